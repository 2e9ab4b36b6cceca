/* The référent's console: the table's cards live, grouped by theme then by family, with moderation
   (edit, hide/restore, move, merge, themes), paper cards typed fast, the people connected and the
   "table ready" toggle. votes.js adds each card's and theme's live dot total while a vote is on.
   Plain ES2017 script. Card text is only ever set with textContent. */
(function () {
  "use strict";
  var Live = window.Live;
  var data = Live.data;
  var t = data.t;
  var group = data.group;
  var token = Live.pageToken("referent");
  var families = data.workshop.families;

  var cards = {};       // id -> card
  var sealed = {};      // family -> this table's cards sealed until the reveal (counts, never texts)
  var themes = {};      // id -> theme
  var selected = [];    // card ids, in the order they were picked
  var ready = false;
  var connected = null;
  var editing = null;   // {kind: "card"|"theme", id, draft}
  var confirmDelete = null;
  var mergeChoosing = false; // the merge chooser is open (which text is kept, then confirm)
  var keepChoice = null;     // the card whose text the merge keeps
  var undoTimer = null;
  var outbox = JSON.parse(Live.storageGet(Live.key("outbox:referent:" + group)) || "[]");
  var inFlight = {};
  var live = null;
  var RETRY_LATER = ["not_joined", "internal", "too_many_attempts", "rate_limited"];

  var board = document.getElementById("cards");
  var paperForm = document.getElementById("card-form");
  var paperText = document.getElementById("card-text");

  function byId(id) { return document.getElementById(id); }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_m, name) { return values[name]; });
  }
  function familyLabel(key) {
    var labels = data.workshop.family_labels[key];
    return labels ? labels.label : key;
  }
  function showError(id, message) {
    var node = byId(id);
    node.textContent = message || "";
    node.hidden = !message;
  }
  function shown(card) { return card.group === group && (card.status === "visible" || card.status === "hidden"); }
  function bySeq(a, b) { return a.seq - b.seq; }

  /* --- Requests: a client_id each, so that a retry after a lost ack is applied once. ------------ */

  function send(event, payload, done, attempt) {
    attempt = attempt || 0;
    if (!payload.client_id) { payload.client_id = Live.randomId(); }
    if (!live || !live.state.joined) {
      if (attempt < 5) { window.setTimeout(function () { send(event, payload, done, attempt + 1); }, 2000); }
      return;
    }
    live.request(event, payload, function (err, reply) {
      var later = err || (!reply.ok && RETRY_LATER.indexOf(reply.error.code) >= 0);
      if (later && attempt < 5) {
        window.setTimeout(function () { send(event, payload, done, attempt + 1); }, 2000);
        return;
      }
      if (err) { showError("console-error", t.error); return; }
      if (!reply.ok) { showError("console-error", reply.error.message); }
      else { showError("console-error", ""); }
      if (done) { done(reply); }
    });
  }

  /* --- Paper cards: an outbox in localStorage, like the phones. ---------------------------------- */

  function saveOutbox() { Live.storageSet(Live.key("outbox:referent:" + group), JSON.stringify(outbox)); }

  function flush() {
    if (!live || !live.state.joined) { return; }
    outbox.forEach(function (entry) {
      if (inFlight[entry.client_id]) { return; }
      inFlight[entry.client_id] = true;
      live.request("card:add", { client_id: entry.client_id, family: entry.family, text: entry.text }, function (err, reply) {
        delete inFlight[entry.client_id];
        if (err || (!reply.ok && RETRY_LATER.indexOf(reply.error.code) >= 0)) {
          window.setTimeout(flush, 3000);
          return;
        }
        outbox = outbox.filter(function (other) { return other.client_id !== entry.client_id; });
        saveOutbox();
        if (reply.ok) {
          cards[reply.card.id] = reply.card;
          /* A resend answered with a card of another text (docs/protocol.md): never lose this one. */
          if (reply.text_differs) {
            showError("card-error", t.text_differs);
            if (!paperText.value) { paperText.value = entry.text; }
          }
        } else {
          showError("card-error", reply.error.message);
          if (!paperText.value) { paperText.value = entry.text; }
        }
        render();
      });
    });
  }

  /* A paste past the limit is kept whole: « 312 / 280 — raccourcissez de 32 caractères » until it fits
     (code points of the trimmed text, as the server counts). */
  function overLimit() {
    var length = Array.from(paperText.value.trim()).length;
    var over = length - data.text_limit;
    var message = over > 0 ? Live.plural(over, t.too_long).replace("{count}", length).replace("{limit}", data.text_limit) : "";
    showError("card-error", message);
    paperText.setAttribute("aria-invalid", over > 0 ? "true" : "false");
    byId("send-card").disabled = over > 0;
    return over > 0;
  }
  paperText.addEventListener("input", overLimit);
  paperForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = paperText.value.trim();
    showError("card-error", "");
    if (!text) { paperText.focus(); return; }
    if (overLimit()) { paperText.focus(); return; }
    var family = paperForm.querySelector("input[name=family]:checked").value;
    outbox.push({ client_id: Live.randomId(), family: family, text: text });
    saveOutbox();
    paperText.value = "";
    render();
    flush();
    paperText.focus();
  });
  paperText.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      paperForm.requestSubmit ? paperForm.requestSubmit() : paperForm.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  Array.prototype.forEach.call(paperForm.querySelectorAll("input[name=family]"), function (radio) {
    radio.addEventListener("change", function () {
      var hint = data.workshop.family_labels[radio.value];
      paperText.placeholder = hint ? hint.hint : "";
      paperText.focus();
    });
  });

  /* --- Drawing ------------------------------------------------------------------------------------ */

  function button(label, className, key, onClick) {
    var node = Live.el("button", "button small " + (className || ""), label);
    node.type = "button";
    if (key) { node.setAttribute("data-key", key); }
    node.addEventListener("click", onClick);
    return node;
  }

  function toggleSelected(id) {
    var at = selected.indexOf(id);
    if (at >= 0) { selected.splice(at, 1); } else { selected.push(id); }
    render();
  }

  function cardItem(card, inTheme) {
    var item = Live.el("li", "ref-card family-" + card.family + (card.status === "hidden" ? " is-hidden" : ""));
    item.setAttribute("data-card-id", card.id);
    item.setAttribute("data-family", card.family);
    var isSelected = selected.indexOf(card.id) >= 0;
    if (isSelected) { item.classList.add("is-selected"); }

    var top = Live.el("div", "ref-card-top");
    if (!card.sealed) {
      var pick = Live.el("label", "pick");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.checked = isSelected;
      box.setAttribute("data-key", "select-" + card.id);
      box.addEventListener("change", function () { toggleSelected(card.id); });
      pick.appendChild(box);
      pick.appendChild(Live.el("span", "visually-hidden", t.select));
      top.appendChild(pick);
    }
    var body = Live.el("div", "ref-card-body");
    if (editing && editing.kind === "card" && editing.id === card.id) {
      var form = Live.el("form", "edit-form");
      var label = Live.el("label", "visually-hidden", t.edit_label);
      label.setAttribute("for", "edit-" + card.id);
      var area = Live.el("textarea", "edit-text");
      area.id = "edit-" + card.id;
      area.rows = 3;
      area.maxLength = data.text_limit;
      area.value = editing.draft;
      area.setAttribute("data-key", "edit-text-" + card.id);
      area.addEventListener("input", function () { editing.draft = area.value; });
      area.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { editing = null; render(); focusKey("edit-" + card.id); }
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); save(); }
      });
      function save() {
        var text = area.value.trim();
        if (!text) { area.focus(); return; }
        var id = card.id;
        editing = null;
        send("card:edit", { card_id: id, text: text }, function (reply) {
          if (reply.ok) { cards[id] = reply.card; }
          render();
          focusKey("edit-" + id);
        });
        render();
      }
      form.addEventListener("submit", function (event) { event.preventDefault(); save(); });
      form.appendChild(label);
      form.appendChild(area);
      var row = Live.el("div", "edit-actions");
      var ok = Live.el("button", "button small primary", t.save);
      ok.type = "submit";
      row.appendChild(ok);
      row.appendChild(button(t.cancel, "link", null, function () { editing = null; render(); focusKey("edit-" + card.id); }));
      form.appendChild(row);
      body.appendChild(form);
    } else {
      body.appendChild(Live.el("p", "card-text", card.text));
    }
    var meta = Live.el("p", "card-meta");
    if (inTheme) { meta.appendChild(Live.el("span", "family-chip family-" + card.family, familyLabel(card.family))); }
    var who = [];
    if (card.author) { who.push(card.author); }
    if (card.organisation) { who.push(card.organisation); }
    if (card.source === "paper") { who.push("📝 " + t.paper); }
    if (who.length) { meta.appendChild(Live.el("span", "card-author", who.join(" · "))); }
    if (card.status === "hidden") { meta.appendChild(Live.el("span", "card-state hidden-badge", "🚫 " + t.hidden)); }
    if (card.sealed) { meta.appendChild(Live.el("span", "card-state sealed", "🔒 " + t.sealed)); }
    body.appendChild(meta);
    if (card.merged_from && card.merged_from.length) {
      var merged = Live.el("div", "merged-from");
      merged.appendChild(Live.el("span", "merged-title", t.merged_from));
      var list = Live.el("ul", "merged-list");
      card.merged_from.forEach(function (m) {
        list.appendChild(Live.el("li", null, "« " + m.text + " »" + (m.author ? " — " + m.author : "")));
      });
      merged.appendChild(list);
      body.appendChild(merged);
    }
    top.appendChild(body);
    item.appendChild(top);

    if (!card.sealed && !(editing && editing.kind === "card" && editing.id === card.id)) {
      var actions = Live.el("div", "ref-actions");
      actions.appendChild(button("✏️ " + t.edit, "", "edit-" + card.id, function () {
        editing = { kind: "card", id: card.id, draft: card.text };
        render();
        focusKey("edit-text-" + card.id);
      }));
      if (card.status === "hidden") {
        actions.appendChild(button(t.restore, "", "restore-" + card.id, function () {
          send("card:restore", { card_id: card.id }, function (reply) { if (reply.ok) { cards[card.id] = reply.card; render(); focusKey("hide-" + card.id); } });
        }));
        actions.lastChild.setAttribute("data-key", "hide-" + card.id);
      } else {
        actions.appendChild(button(t.hide, "", "hide-" + card.id, function () {
          send("card:hide", { card_id: card.id }, function (reply) { if (reply.ok) { cards[card.id] = reply.card; render(); focusKey("hide-" + card.id); } });
        }));
      }
      var moveLabel = Live.el("label", "move");
      moveLabel.appendChild(Live.el("span", "visually-hidden", t.move_to));
      var select = document.createElement("select");
      select.setAttribute("data-key", "move-" + card.id);
      select.setAttribute("aria-label", t.move_to);
      families.forEach(function (key) {
        var option = Live.el("option", null, familyLabel(key));
        option.value = key;
        option.selected = key === card.family;
        select.appendChild(option);
      });
      select.addEventListener("change", function () {
        send("card:move", { card_id: card.id, family: select.value }, function (reply) {
          if (reply.ok) { cards[card.id] = reply.card; }
          render();
          focusKey("move-" + card.id);
        });
      });
      moveLabel.appendChild(select);
      actions.appendChild(moveLabel);
      if (inTheme) {
        actions.appendChild(button(t.remove_from_theme, "", "untheme-" + card.id, function () {
          send("theme:remove_cards", { theme_id: card.theme, cards: [card.id] }, function (reply) {
            if (reply.ok) { applyTheme(reply.theme); render(); }
          });
        }));
      }
      if (card.merged_from && card.merged_from.length) {
        var separate = button("↩ " + t.unmerge, "", "unmerge-" + card.id, function () { unmerge(card.id); });
        separate.title = t.unmerge_hint;
        actions.appendChild(separate);
      }
      if (card.source === "paper") {
        var confirming = confirmDelete === card.id;
        actions.appendChild(button(confirming ? "⚠️ " + t.delete + " ?" : t.delete, confirming ? "danger" : "", "delete-" + card.id, function () {
          if (confirmDelete !== card.id) { confirmDelete = card.id; render(); focusKey("delete-" + card.id); return; }
          confirmDelete = null;
          send("card:delete", { card_id: card.id }, function (reply) { if (reply.ok) { cards[card.id] = reply.card; render(); } });
        }));
      }
      item.appendChild(actions);
    }
    return item;
  }

  function themeSection(theme, members) {
    var section = Live.el("section", "theme-group");
    section.setAttribute("data-theme", theme.id);
    /* The title row carries data-theme-id, not the cards: votes.js puts the theme's dot total there. */
    var head = Live.el("div", "theme-head");
    head.setAttribute("data-theme-id", theme.id);
    /* The family it is filed under (votes, essentials.js's "Keep"): the référent's choice, else its
       earliest card's. */
    if (theme.family) { head.setAttribute("data-family", theme.family); }
    if (editing && editing.kind === "theme" && editing.id === theme.id) {
      var form = Live.el("form", "theme-rename");
      var label = Live.el("label", "visually-hidden", t.title_label);
      label.setAttribute("for", "rename-" + theme.id);
      var input = Live.el("input");
      input.id = "rename-" + theme.id;
      input.maxLength = 200;
      input.value = editing.draft;
      input.setAttribute("data-key", "rename-input-" + theme.id);
      input.addEventListener("input", function () { editing.draft = input.value; });
      input.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { editing = null; render(); focusKey("rename-" + theme.id); }
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var title = input.value.trim();
        if (!title) { input.focus(); return; }
        editing = null;
        send("theme:rename", { theme_id: theme.id, title: title }, function (reply) {
          if (reply.ok) { applyTheme(reply.theme); }
          render();
          focusKey("rename-" + theme.id);
        });
        render();
      });
      form.appendChild(label);
      form.appendChild(input);
      var ok = Live.el("button", "button small primary", t.save);
      ok.type = "submit";
      form.appendChild(ok);
      form.appendChild(button(t.cancel, "link", null, function () { editing = null; render(); }));
      head.appendChild(form);
    } else {
      var title = Live.el("h3", "theme-title");
      title.appendChild(Live.el("span", "theme-kicker", t.theme + " · "));
      title.appendChild(Live.el("span", "theme-name", theme.title));
      head.appendChild(title);
      var tools = Live.el("div", "theme-tools");
      tools.appendChild(button(t.rename, "", "rename-" + theme.id, function () {
        editing = { kind: "theme", id: theme.id, draft: theme.title };
        render();
        focusKey("rename-input-" + theme.id);
      }));
      var kinds = {};
      members.forEach(function (card) { kinds[card.family] = true; });
      if (Object.keys(kinds).length > 1 || theme.family_chosen) {
        /* A mixed theme: which family it is filed under (its earliest card's until chosen). */
        var fileLabel = Live.el("label", "theme-family");
        fileLabel.appendChild(Live.el("span", "theme-family-label", t.filed_under));
        var pickFamily = document.createElement("select");
        pickFamily.setAttribute("data-key", "theme-family-" + theme.id);
        families.concat(["transverse"]).forEach(function (key) {
          var option = Live.el("option", null, familyLabel(key));
          option.value = key;
          option.selected = key === theme.family;
          pickFamily.appendChild(option);
        });
        pickFamily.addEventListener("change", function () {
          send("theme:set_family", { theme_id: theme.id, family: pickFamily.value }, function (reply) {
            if (reply.ok) { applyTheme(reply.theme); }
            render();
            focusKey("theme-family-" + theme.id);
          });
        });
        fileLabel.appendChild(pickFamily);
        tools.appendChild(fileLabel);
      }
      tools.appendChild(button(t.dissolve, "", "dissolve-" + theme.id, function () {
        send("theme:dissolve", { theme_id: theme.id }, function (reply) {
          if (reply.ok) { dissolve(reply.theme); render(); }
        });
      }));
      head.appendChild(tools);
    }
    section.appendChild(head);
    var list = Live.el("ul", "ref-cards");
    members.forEach(function (card) { list.appendChild(cardItem(card, true)); });
    section.appendChild(list);
    return section;
  }

  function focusKey(key) {
    window.setTimeout(function () {
      var node = board.querySelector('[data-key="' + key + '"]') || document.querySelector('[data-key="' + key + '"]');
      if (node) { node.focus(); }
    }, 0);
  }

  /* An empty family says what is true: its cards are sealed until the reveal (the silent step), or
     all in themes above, or there is none yet. */
  function emptyText(family, all) {
    var waitingReveal = sealed[family] || 0;
    if (waitingReveal) { return Live.plural(waitingReveal, t.sealed_family); }
    var grouped = all.some(function (card) { return card.family === family && card.theme && themes[card.theme]; });
    return grouped ? t.all_in_themes : t.no_cards;
  }

  function render() {
    var active = document.activeElement;
    var activeKey = active && board.contains(active) ? active.getAttribute("data-key") : null;
    var all = Object.keys(cards).map(function (id) { return cards[id]; }).filter(shown).sort(bySeq);
    selected = selected.filter(function (id) { return cards[id] && shown(cards[id]); });
    var fragment = document.createDocumentFragment();

    Object.keys(themes).map(function (id) { return themes[id]; }).sort(function (a, b) { return a.id - b.id; })
      .forEach(function (theme) {
        var members = all.filter(function (card) { return card.theme === theme.id; });
        fragment.appendChild(themeSection(theme, members));
      });

    /* Paper cards waiting to be sent, then each family's cards that are in no theme. */
    families.forEach(function (key) {
      var section = Live.el("section", "family-section family-" + key);
      var members = all.filter(function (card) { return card.family === key && !(card.theme && themes[card.theme]); });
      var waiting = outbox.filter(function (entry) { return entry.family === key; });
      var heading = Live.el("h3", "family-heading");
      heading.appendChild(Live.el("span", "family-chip family-" + key, familyLabel(key)));
      heading.appendChild(Live.el("span", "count", String(members.length)));
      section.appendChild(heading);
      var list = Live.el("ul", "ref-cards");
      waiting.forEach(function (entry) {
        var item = Live.el("li", "ref-card is-pending family-" + key);
        item.appendChild(Live.el("p", "card-text", entry.text));
        item.appendChild(Live.el("p", "card-meta", "📝 " + t.paper + " · " + t.pending));
        list.appendChild(item);
      });
      members.forEach(function (card) { list.appendChild(cardItem(card, false)); });
      if (!members.length && !waiting.length) { list.appendChild(Live.el("li", "empty muted", emptyText(key, all))); }
      section.appendChild(list);
      fragment.appendChild(section);
    });
    board.textContent = "";
    board.appendChild(fragment);
    byId("card-count").textContent = "(" + all.length + ")";

    var bar = byId("selection-bar");
    bar.hidden = selected.length === 0;
    byId("selection-count").textContent = Live.plural(selected.length, t.selected);
    byId("merge-button").disabled = selected.length < 2;
    renderMergeChooser();
    document.body.classList.toggle("has-selection", selected.length > 0);

    var toggle = byId("ready-toggle");
    toggle.setAttribute("aria-pressed", ready ? "true" : "false");
    toggle.textContent = ready ? t.ready : t.not_ready;
    toggle.classList.toggle("is-ready", ready);
    byId("ready-hint").textContent = ready ? t.ready_hint_on : t.ready_hint_off;
    byId("presence-text").textContent = connected === null ? "—" : Live.plural(connected, t.people);
    if (activeKey) { focusKey(activeKey); }
  }

  /* --- Applying what the server says -------------------------------------------------------------- */

  function applyTheme(theme) {
    if (theme.group !== group) { return; }
    themes[theme.id] = theme;
    Object.keys(cards).forEach(function (id) {
      var card = cards[id];
      var member = theme.cards.indexOf(card.id) >= 0;
      if (member) { card.theme = theme.id; } else if (card.theme === theme.id) { card.theme = null; }
    });
  }

  function dissolve(theme) {
    delete themes[theme.id];
    Object.keys(cards).forEach(function (id) { if (cards[id].theme === theme.id) { cards[id].theme = null; } });
  }

  function onEvent(message) {
    var type = message.type;
    if (type === "card:added" || type === "card:updated") {
      cards[message.card.id] = message.card;
      (message.merged || []).forEach(function (card) { cards[card.id] = card; });
    } else if (type === "cards:revealed") {
      message.cards.forEach(function (card) { cards[card.id] = card; });
      if (message.group === group) { sealed = message.counts || {}; }
    } else if (type === "card:sealed") {
      if (message.group !== group) { return; }
      sealed = message.counts || {};
    } else if (type === "theme:created" || type === "theme:updated") {
      applyTheme(message.theme);
    } else if (type === "theme:dissolved") {
      dissolve(message.theme);
    } else if (type === "group:ready") {
      if (message.group !== group) { return; }
      ready = message.ready;
    } else if (type === "group:presence") {
      if (message.group !== group) { return; }
      connected = message.connected;
    } else {
      return;
    }
    render();
  }

  function onJoined(reply) {
    var snapshot = reply.snapshot;
    cards = {};
    snapshot.cards.forEach(function (card) { cards[card.id] = card; });
    themes = {};
    (snapshot.themes || []).forEach(function (theme) { themes[theme.id] = theme; });
    sealed = (snapshot.sealed || {})[String(group)] || {};
    ready = !!(snapshot.ready && snapshot.ready[String(group)]);
    applyPresence(reply);
    render();
    flush();
  }

  function applyPresence(reply) {
    if (reply.presence && reply.presence[String(group)] !== undefined) { connected = reply.presence[String(group)]; }
  }

  /* --- The selection bar and the ready toggle ----------------------------------------------------- */

  /* Merge: "Fusionner…" opens the chooser (which card's text is kept, the earliest by default), the
     second "Fusionner" confirms; then a bar offers to undo it (card:unmerge), as does "Séparer" on
     the kept card for as long as the merge can be undone. */
  function renderMergeChooser() {
    var chooser = byId("merge-chooser");
    var open = mergeChoosing && selected.length >= 2;
    if (!open) { mergeChoosing = false; }
    chooser.hidden = !open;
    byId("merge-button").setAttribute("aria-expanded", open ? "true" : "false");
    byId("merge-button").hidden = open;
    byId("theme-form").hidden = open;
    byId("clear-selection").hidden = open;
    if (!open) { return; }
    var chosen = selected.map(function (id) { return cards[id]; }).sort(bySeq);
    if (!chosen.some(function (card) { return card.id === keepChoice; })) { keepChoice = chosen[0].id; }
    var box = byId("merge-options");
    var focused = document.activeElement && box.contains(document.activeElement);
    box.textContent = "";
    chosen.forEach(function (card) {
      var option = Live.el("label", "merge-option" + (card.id === keepChoice ? " is-kept" : ""));
      var radio = document.createElement("input");
      radio.type = "radio";
      radio.name = "merge-keep";
      radio.value = card.id;
      radio.checked = card.id === keepChoice;
      radio.setAttribute("data-keep", card.id);
      radio.addEventListener("change", function () { keepChoice = card.id; render(); box.querySelector('[data-keep="' + card.id + '"]').focus(); });
      option.appendChild(radio);
      option.appendChild(Live.el("span", "merge-option-text", "« " + card.text + " »" + (card.author ? " — " + card.author : "")));
      box.appendChild(option);
    });
    byId("merge-confirm").textContent = fill(t.merge_confirm, { n: chosen.length });
    if (focused) { var again = box.querySelector("input:checked"); if (again) { again.focus(); } }
  }

  function showUndo(text, keepId) {
    var bar = byId("undo-bar");
    byId("undo-text").textContent = text;
    byId("undo-merge").hidden = !keepId;
    byId("undo-merge").setAttribute("data-card", keepId || "");
    bar.hidden = false;
    if (undoTimer) { window.clearTimeout(undoTimer); }
    undoTimer = window.setTimeout(function () { bar.hidden = true; }, 30000);
  }

  function unmerge(cardId) {
    showError("console-error", "");
    send("card:unmerge", { card_id: cardId }, function (reply) {
      if (!reply.ok) { return; }
      cards[reply.card.id] = reply.card;
      reply.unmerged.forEach(function (card) { cards[card.id] = card; });
      showUndo(fill(t.unmerged_done, { n: reply.unmerged.length + 1 }), null);
      render();
      focusKey("select-" + reply.card.id);
    });
  }

  byId("merge-button").addEventListener("click", function () {
    if (selected.length < 2) { return; }
    mergeChoosing = true;
    keepChoice = null;
    showError("selection-error", "");
    render();
    var checked = byId("merge-options").querySelector("input:checked");
    if (checked) { checked.focus(); }
  });
  byId("merge-back").addEventListener("click", function () {
    mergeChoosing = false;
    render();
    byId("merge-button").focus();
  });

  byId("merge-chooser").addEventListener("submit", function (event) {
    event.preventDefault();
    if (selected.length < 2) { return; }
    var keep = keepChoice || selected[0];
    var others = selected.filter(function (id) { return id !== keep; });
    showError("selection-error", "");
    send("card:merge", { keep: keep, cards: others }, function (reply) {
      if (!reply.ok) { showError("selection-error", reply.error.message); return; }
      cards[reply.card.id] = reply.card;
      reply.merged.forEach(function (id) { if (cards[id]) { cards[id].status = "merged"; } });
      selected = [];
      mergeChoosing = false;
      showUndo(fill(t.merged_done, { n: reply.merged.length + 1, text: reply.card.text }), reply.card.id);
      render();
      byId("undo-merge").focus();
    });
  });

  byId("undo-merge").addEventListener("click", function () {
    var id = parseInt(byId("undo-merge").getAttribute("data-card"), 10);
    if (id) { unmerge(id); }
  });
  byId("undo-close").addEventListener("click", function () { byId("undo-bar").hidden = true; });

  byId("theme-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = byId("theme-title");
    var title = input.value.trim();
    if (!title) { input.focus(); return; }
    var ids = selected.slice();
    showError("selection-error", "");
    send("theme:create", { title: title, cards: ids }, function (reply) {
      if (!reply.ok) { showError("selection-error", reply.error.message); return; }
      applyTheme(reply.theme);
      input.value = "";
      selected = [];
      render();
    });
  });

  byId("clear-selection").addEventListener("click", function () { selected = []; mergeChoosing = false; render(); });

  byId("ready-toggle").addEventListener("click", function () {
    var wanted = !ready;
    send("group:ready", { ready: wanted }, function (reply) {
      if (reply.ok) { ready = reply.ready; render(); }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && mergeChoosing) { mergeChoosing = false; render(); byId("merge-button").focus(); return; }
    if (event.key === "Escape" && selected.length && !editing) { selected = []; render(); }
  });

  live = Live.connect({
    payload: function () { return { code: data.code, role: "referent", token: token, group: group }; },
    onJoined: onJoined,
    onResumed: function (reply) { applyPresence(reply); render(); flush(); },
    onEvent: onEvent,
    onJoinError: function (error) { showError("console-error", t.join_error + " : " + error.message); }
  });
  render();
})();
