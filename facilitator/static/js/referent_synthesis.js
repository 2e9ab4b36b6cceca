/* The référent's part of the collaborative Synthèse (issue 17) on its console: each theme of the table
   and each loose card with a picker of the room's common themes (or « Nouveau thème commun »), attached
   at once (`synthesis:attach`, `synthesis:propose_theme`); the list follows `synthesis:outline` (this
   table's view of every change, live and on reconnect). Suggestions while typing, computed here
   (similar.js): a paper card that looks like one already at the table, the closest common theme while
   naming a table theme or a new common theme, each accepted in one tap.
   Plain ES2017; listens through Live.subscribe / Live.onJoin. Text only ever set with textContent. */
(function () {
  "use strict";

  function init() {
    var Live = window.Live;
    var panel = document.getElementById("synthesis-panel");
    if (!Live || !panel || !window.Similar) { return; }
    var Similar = window.Similar;
    var data = Live.data;
    var group = data.group;
    var t = JSON.parse(panel.getAttribute("data-strings"));
    var outline = { themes: [], attached: { themes: {}, cards: {} }, total_tables: 0 };
    var outlineSeq = -1;
    var agenda = null;
    var tableThemes = {};  // id -> theme of this table
    var cards = {};        // id -> card of this table
    var proposing = null;  // {key: "t12" | "c40", title}: the « Nouveau thème commun » form open
    var themeList = document.getElementById("synthesis-table-themes");
    var looseList = document.getElementById("synthesis-loose");
    var STEP_KIND = "synthese";
    var DUPLICATE_MIN = 0.55;
    var TITLE_MIN = 0.4;

    function byId(id) { return document.getElementById(id); }
    function fill(text, values) {
      return String(text).replace(/\{(\w+)\}/g, function (all, name) { return values[name] !== undefined ? values[name] : all; });
    }
    function showError(message) {
      var node = byId("synthesis-error");
      node.textContent = message || "";
      node.hidden = !message;
    }
    function note(message) { byId("synthesis-note").textContent = message || ""; }
    function counted(card) {
      return card.group === group && !card.sealed && (card.status === "visible" || card.status === "hidden");
    }
    function open() {
      if (!agenda || agenda.status === "free" || agenda.position === null || agenda.position === undefined) { return true; }
      return !!(agenda.step && agenda.step.kind === STEP_KIND && (agenda.status === "running" || agenda.status === "paused"));
    }
    function commonTitle(id) {
      var theme = outline.themes.filter(function (x) { return x.id === id; })[0];
      return theme ? theme.title : "";
    }

    function applyOutline(message) {
      if (!message || !message.synthesis) { return; }
      if (typeof message.seq === "number") {
        if (message.seq < outlineSeq) { return; }
        outlineSeq = message.seq;
      }
      outline = message.synthesis;
      render();
    }

    /* A lost answer is retried a few times (the same client_id for a proposal: created once). */
    function request(event, payload, done, attempt) {
      attempt = attempt || 0;
      showError("");
      if (!Live.current) { return; }
      Live.current.request(event, payload, function (err, reply) {
        var later = err || (!reply.ok && ["not_joined", "internal", "rate_limited"].indexOf(reply.error.code) >= 0);
        if (later && attempt < 3) {
          window.setTimeout(function () { request(event, payload, done, attempt + 1); }, 2000);
          return;
        }
        if (err) { showError(data.t.error); return; }
        if (!reply.ok) { showError(reply.error.message); return; }
        applyOutline({ seq: reply.seq, synthesis: reply.synthesis_outline });
        if (done) { done(reply); }
      });
    }

    function attach(item, themeId) {
      var payload = { theme: themeId };
      payload[item.kind === "theme" ? "table_theme" : "card"] = item.id;
      request("synthesis:attach", payload, function () {
        note(themeId === null ? t.detached : fill(t.attached, { title: commonTitle(themeId) }));
      });
    }

    function propose(item, title) {
      var payload = { title: title, client_id: Live.randomId() };
      payload[item.kind === "theme" ? "table_theme" : "card"] = item.id;
      request("synthesis:propose_theme", payload, function () {
        proposing = null;
        note(fill(t.proposed, { title: title }));
        render();
      });
    }

    function optionLabel(theme) {
      var n = theme.tables.length;
      var label = n ? theme.title + " (" + Live.plural(n, t.tables_n) + ")" : theme.title;
      if (theme.origin === "table" && theme.proposed_by) { label += " · " + fill(t.by_table, { n: theme.proposed_by }); }
      return label;
    }

    function picker(item, current, label) {
      var select = document.createElement("select");
      select.className = "synthesis-picker";
      select.id = "synthesis-pick-" + item.key;
      select.setAttribute("data-pick", item.key);
      select.setAttribute("aria-label", label);
      var none = document.createElement("option");
      none.value = "";
      none.textContent = t.none;
      select.appendChild(none);
      outline.themes.forEach(function (theme) {
        var option = document.createElement("option");
        option.value = String(theme.id);
        option.textContent = optionLabel(theme);
        select.appendChild(option);
      });
      var fresh = document.createElement("option");
      fresh.value = "new";
      fresh.textContent = t["new"];
      select.appendChild(fresh);
      select.value = proposing && proposing.key === item.key ? "new" : current ? String(current) : "";
      select.addEventListener("change", function () {
        if (select.value === "new") {
          proposing = { key: item.key, title: item.title || "" };
          render();
          var input = byId("synthesis-new-" + item.key);
          if (input) { input.focus(); input.select(); }
          return;
        }
        if (proposing && proposing.key === item.key) { proposing = null; }
        attach(item, select.value ? parseInt(select.value, 10) : null);
      });
      return select;
    }

    /* The « Nouveau thème commun » form: a title (the table theme's by default), and the closest
       existing common theme offered instead, in one tap. */
    function proposeForm(item) {
      var form = Live.el("form", "synthesis-new");
      var id = "synthesis-new-" + item.key;
      var label = Live.el("label", "synthesis-new-label", t.new_label);
      label.setAttribute("for", id);
      form.appendChild(label);
      var row = Live.el("div", "synthesis-new-row");
      var input = document.createElement("input");
      input.id = id;
      input.maxLength = 200;
      input.autocomplete = "off";
      input.value = proposing.title;
      row.appendChild(input);
      var submit = Live.el("button", "button primary", t.propose);
      submit.type = "submit";
      row.appendChild(submit);
      var cancel = Live.el("button", "button link", t.cancel);
      cancel.type = "button";
      cancel.addEventListener("click", function () { proposing = null; render(); });
      row.appendChild(cancel);
      form.appendChild(row);
      var hint = Live.el("div", "synthesis-suggestion");
      hint.setAttribute("aria-live", "polite");
      form.appendChild(hint);
      function suggest() {
        proposing.title = input.value;
        hint.textContent = "";
        var near = Similar.closest(input.value, outline.themes, function (x) { return x.title; }, TITLE_MIN);
        if (!near || !input.value.trim()) { return; }
        hint.appendChild(Live.el("span", "muted", t.closest + " "));
        var use = Live.el("button", "button small", fill(t.use_closest, { title: near.title }));
        use.type = "button";
        use.setAttribute("data-use-theme", String(near.id));
        use.addEventListener("click", function () { proposing = null; attach(item, near.id); });
        hint.appendChild(use);
      }
      input.addEventListener("input", suggest);
      suggest();
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var title = input.value.trim();
        if (!title) { input.focus(); return; }
        propose(item, title);
      });
      return form;
    }

    function row(item, current, text, meta, label) {
      var li = Live.el("li", "synthesis-attach" + (current ? " is-attached" : ""));
      li.setAttribute("data-synthesis-item", item.key);
      var head = Live.el("div", "synthesis-attach-head");
      head.appendChild(Live.el("span", "synthesis-attach-title", text));
      if (meta) { head.appendChild(Live.el("span", "synthesis-attach-meta muted", meta)); }
      li.appendChild(head);
      li.appendChild(picker(item, current, label));
      if (proposing && proposing.key === item.key) { li.appendChild(proposeForm(item)); }
      return li;
    }

    function render() {
      var active = document.activeElement;
      var focusKey = active && active.getAttribute ? (active.getAttribute("data-pick") || active.id) : null;
      var shown = open() && (outline.themes.length > 0 || !!(agenda && agenda.step && agenda.step.kind === STEP_KIND));
      panel.hidden = !shown;
      if (!shown) { return; }
      var attached = outline.attached || { themes: {}, cards: {} };
      themeList.textContent = "";
      var mine = Object.keys(tableThemes).map(function (id) { return tableThemes[id]; })
        .filter(function (theme) { return theme.cards.some(function (id) { return cards[id] && counted(cards[id]); }); })
        .sort(function (a, b) { return a.id - b.id; });
      if (!mine.length) { themeList.appendChild(Live.el("li", "muted", t.no_themes)); }
      mine.forEach(function (theme) {
        var n = theme.cards.filter(function (id) { return cards[id] && counted(cards[id]); }).length;
        var item = { kind: "theme", id: theme.id, key: "t" + theme.id, title: theme.title };
        themeList.appendChild(row(item, attached.themes[String(theme.id)], theme.title,
          Live.plural(n, t.cards_n), fill(t.picker, { title: theme.title })));
      });
      looseList.textContent = "";
      Object.keys(cards).map(function (id) { return cards[id]; })
        .filter(function (card) { return counted(card) && !card.theme; })
        .sort(function (a, b) { return a.seq - b.seq; })
        .forEach(function (card) {
          var item = { kind: "card", id: card.id, key: "c" + card.id, title: card.text.slice(0, 200) };
          looseList.appendChild(row(item, attached.cards[String(card.id)], card.text, null, t.picker_card));
        });
      if (!outline.themes.length) { note(t.waiting); }
      if (focusKey) {
        var again = panel.querySelector('[data-pick="' + focusKey + '"]') || byId(focusKey);
        if (again && again !== document.activeElement) { again.focus(); }
      }
    }

    /* --- Suggestions while typing, elsewhere on the console -------------------------------------- */

    function suggestionBox(after, id) {
      var box = byId(id);
      if (!box) {
        box = Live.el("div", "synthesis-suggestion typing-suggestion");
        box.id = id;
        box.setAttribute("aria-live", "polite");
        after.parentNode.insertBefore(box, after.nextSibling);
      }
      return box;
    }

    /* A paper card like one already at the table: « Déjà sur la table ? » and « ne pas l'ajouter ». */
    var paper = byId("card-text");
    if (paper) {
      var paperBox = suggestionBox(paper.closest(".paper-row") || paper, "duplicate-suggestion");
      var suggestDuplicate = function () {
        paperBox.textContent = "";
        var text = paper.value.trim();
        if (text.length < 8) { return; }
        var pool = Object.keys(cards).map(function (id) { return cards[id]; })
          .filter(function (card) { return counted(card) && card.status === "visible"; });
        var near = Similar.closest(text, pool, function (card) { return card.text; }, DUPLICATE_MIN);
        if (!near) { return; }
        paperBox.appendChild(Live.el("span", "muted", t.duplicate + " "));
        paperBox.appendChild(Live.el("q", "suggested-text", near.text));
        var skip = Live.el("button", "button small", t.not_add);
        skip.type = "button";
        skip.id = "duplicate-skip";
        skip.addEventListener("click", function () { paper.value = ""; paperBox.textContent = ""; paper.focus(); });
        paperBox.appendChild(skip);
      };
      paper.addEventListener("input", suggestDuplicate);
      var paperForm = byId("card-form");
      if (paperForm) { paperForm.addEventListener("submit", function () { window.setTimeout(suggestDuplicate, 0); }); }
    }

    /* Naming a table theme: the closest common theme's title, used in one tap. */
    var themeTitle = byId("theme-title");
    if (themeTitle) {
      var titleBox = suggestionBox(byId("theme-form") || themeTitle, "title-suggestion");
      var suggestTitle = function () {
        titleBox.textContent = "";
        var text = themeTitle.value.trim();
        if (text.length < 3) { return; }
        var near = Similar.closest(text, outline.themes, function (x) { return x.title; }, TITLE_MIN);
        if (!near || near.title === text) { return; }
        titleBox.appendChild(Live.el("span", "muted", t.closest + " "));
        var use = Live.el("button", "button small", fill(t.use_title, { title: near.title }));
        use.type = "button";
        use.id = "title-use";
        use.addEventListener("click", function () { themeTitle.value = near.title; titleBox.textContent = ""; themeTitle.focus(); });
        titleBox.appendChild(use);
      };
      themeTitle.addEventListener("input", suggestTitle);
    }

    /* --- Live state ------------------------------------------------------------------------------ */

    function applyTheme(theme) {
      if (theme.group !== group) { return; }
      tableThemes[theme.id] = theme;
      Object.keys(cards).forEach(function (id) {
        var card = cards[id];
        if (theme.cards.indexOf(card.id) >= 0) { card.theme = theme.id; } else if (card.theme === theme.id) { card.theme = null; }
      });
    }

    Live.onJoin(function (reply) {
      var snapshot = reply.snapshot;
      if (snapshot) {
        cards = {};
        (snapshot.cards || []).forEach(function (card) { if (card.group === group) { cards[card.id] = card; } });
        tableThemes = {};
        (snapshot.themes || []).forEach(applyTheme);
        agenda = snapshot.agenda || null;
        outlineSeq = -1;
        if (snapshot.synthesis_outline) { applyOutline({ seq: snapshot.seq, synthesis: snapshot.synthesis_outline }); }
      }
      render();
    });
    Live.subscribe("synthesis:outline", applyOutline);
    Live.subscribe("step:changed", function (message) { agenda = message.agenda; render(); });
    ["card:added", "card:updated"].forEach(function (type) {
      Live.subscribe(type, function (message) {
        [message.card].concat(message.merged || []).forEach(function (card) {
          if (card && card.group === group) { cards[card.id] = card; }
        });
        render();
      });
    });
    Live.subscribe("cards:revealed", function (message) {
      (message.cards || []).forEach(function (card) { if (card.group === group) { cards[card.id] = card; } });
      render();
    });
    Live.subscribe("theme:created", function (message) { applyTheme(message.theme); render(); });
    Live.subscribe("theme:updated", function (message) { applyTheme(message.theme); render(); });
    Live.subscribe("theme:dissolved", function (message) {
      delete tableThemes[message.theme.id];
      Object.keys(cards).forEach(function (id) { if (cards[id].theme === message.theme.id) { cards[id].theme = null; } });
      render();
    });
  }

  /* Deferred before live.js: wait until every deferred script has run. */
  if (document.readyState === "complete") { init(); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
