/* The projected board and the facilitator console: every table's cards live, counts, a table filter,
   the views (all cards, one table, plenary, presentation) and, on the console, the tables at a glance
   and moderation of any card. Text is always rendered with textContent. */
(function () {
  "use strict";
  var Live = window.Live;
  var data = Live.data;
  var t = data.t;
  var token = Live.pageToken(data.role);
  var isFacilitator = data.role === "facilitator";
  var families = data.workshop.families;
  var groups = data.workshop.groups;
  var cards = {};
  var themes = {};          /* id -> theme: its title shows as a tag on its cards */
  var participants = {};
  var presence = {};
  var ready = {};
  var essentials = {};      /* table number -> [essential…] */
  var plenaryCounts = {};   /* target -> plenary dots */
  var filter = null;
  var view = "all";
  var presenterIndex = 0;
  var voting = "off";
  var groupNames = {};
  groups.forEach(function (g) { groupNames[g.number] = g.name; });
  var labels = {};
  families.forEach(function (key) {
    var info = (data.workshop.family_labels || {})[key];
    labels[key] = info ? info.label : key;
  });
  var views = ["all", "table", "plenary", "present", "synthesis"];  /* synthesis: board_synthesis.js draws it */

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return values[name] !== undefined ? values[name] : all; });
  }
  /* French: "0 gommette" (singular up to 1); English: "0 dots". */
  function dots(n) {
    var one = n === 1 || (n === 0 && String(data.language).indexOf("fr") === 0);
    return fill(one ? t.dots_one : t.dots_many, { n: n });
  }
  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }

  function shown(card) {
    if (card.status === "merged" || card.status === "deleted") { return false; }
    if (card.status === "hidden" && !isFacilitator) { return false; }
    return true;
  }

  function request(event, payload) {
    if (!Live.current) { return; }
    Live.current.request(event, payload, function (err, reply) {
      if (!err && reply && reply.ok && reply.card) { setCard(reply.card); }
    });
  }

  function moderation(card) {
    var tools = Live.el("p", "card-tools");
    var hidden = card.status === "hidden";
    var toggle = Live.el("button", "button small", hidden ? t.restore : t.hide);
    toggle.type = "button";
    toggle.setAttribute("data-action", hidden ? "restore" : "hide");
    toggle.addEventListener("click", function () {
      request(hidden ? "card:restore" : "card:hide", { card_id: card.id, client_id: Live.randomId() });
    });
    var edit = Live.el("button", "button small", t.edit);
    edit.type = "button";
    edit.setAttribute("data-action", "edit");
    edit.addEventListener("click", function () {
      var text = window.prompt(t.edit_prompt, card.text);
      if (text && text !== card.text) { request("card:edit", { card_id: card.id, text: text }); }
    });
    tools.appendChild(toggle);
    tools.appendChild(edit);
    return tools;
  }

  function cardItem(card) {
    var item = Live.el("li", "board-card family-" + card.family);
    item.setAttribute("data-card-id", card.id);
    item.setAttribute("data-group", card.group);
    if (card.status === "hidden") { item.classList.add("is-hidden"); }
    item.appendChild(Live.el("p", "card-text", card.text));
    var meta = Live.el("p", "card-meta");
    meta.appendChild(Live.el("span", "table-chip", t.table + " " + card.group));
    var who = [];
    if (card.author) { who.push(card.author); }
    if (card.organisation) { who.push(card.organisation); }
    if (card.source === "paper") { who.push(t.paper); }
    if (who.length) { meta.appendChild(Live.el("span", "card-author", who.join(" · "))); }
    if (card.status === "hidden") { meta.appendChild(Live.el("span", "hidden-tag", t.hidden_tag)); }
    var theme = card.theme && themes[card.theme];
    if (theme) {
      var tag = Live.el("span", "theme-tag", theme.title);
      tag.setAttribute("data-theme-id", theme.id);
      tag.title = t.theme + " · " + theme.title;
      meta.appendChild(tag);
    }
    item.appendChild(meta);
    if (isFacilitator) { item.appendChild(moderation(card)); }
    return item;
  }

  function visible(card) { return shown(card) && (filter === null || card.group === filter); }

  function updateCounts() {
    var byFamily = {};
    var byGroup = {};
    var byTable = {};
    var total = 0;
    Object.keys(cards).forEach(function (id) {
      var card = cards[id];
      if (!shown(card) || card.status === "hidden") { return; }
      byGroup[card.group] = (byGroup[card.group] || 0) + 1;
      byTable[card.group] = byTable[card.group] || {};
      byTable[card.group][card.family] = (byTable[card.group][card.family] || 0) + 1;
      if (visible(card)) { byFamily[card.family] = (byFamily[card.family] || 0) + 1; total += 1; }
    });
    each("[data-count-family]", function (node) {
      node.textContent = byFamily[node.getAttribute("data-count-family")] || 0;
    });
    each("[data-count-group]", function (node) {
      node.textContent = byGroup[node.getAttribute("data-count-group")] || 0;
    });
    var people = 0;
    Object.keys(participants).forEach(function (g) {
      if (filter === null || parseInt(g, 10) === filter) { people += participants[g]; }
    });
    document.getElementById("total-cards").textContent = total;
    document.getElementById("total-people").textContent = people;
    each("[data-glance-group]", function (tile) {
      var number = tile.getAttribute("data-glance-group");
      var counts = byTable[number] || {};
      Array.prototype.forEach.call(tile.querySelectorAll("[data-glance-family]"), function (node) {
        node.textContent = counts[node.getAttribute("data-glance-family")] || 0;
      });
      tile.querySelector("[data-glance-connected]").textContent = fill(t.connected_n, { n: presence[number] || 0 });
      tile.querySelector("[data-glance-essentials]").textContent =
        fill(t.essentials_n, { n: (essentials[number] || []).length });
      var isReady = !!ready[number];
      tile.classList.toggle("is-ready", isReady);
      tile.querySelector("[data-glance-ready]").textContent = isReady ? t.ready : t.not_ready;
    });
  }

  function renderAll() {
    each("[data-cards-family]", function (column) {
      Array.prototype.forEach.call(column.querySelectorAll("[data-card-id]"), function (node) { node.remove(); });
    });
    Object.keys(cards).map(function (id) { return cards[id]; })
      .sort(function (a, b) { return b.seq - a.seq; })
      .forEach(function (card) {
        if (!visible(card)) { return; }
        var column = document.querySelector('[data-cards-family="' + card.family + '"]');
        if (column) { column.appendChild(cardItem(card)); }
      });
    updateCounts();
  }

  function setCard(card) {
    var known = cards[card.id];
    cards[card.id] = card;
    var existing = document.querySelector('[data-cards-family] [data-card-id="' + card.id + '"]');
    if (!visible(card)) {
      if (existing) { existing.remove(); }
    } else if (existing && known && known.family === card.family) {
      existing.parentNode.replaceChild(cardItem(card), existing);
    } else {
      if (existing) { existing.remove(); }
      var column = document.querySelector('[data-cards-family="' + card.family + '"]');
      if (column) {
        var item = cardItem(card);
        if (!known) { item.classList.add("is-new"); }
        var before = null;
        Array.prototype.some.call(column.querySelectorAll("[data-card-id]"), function (node) {
          var other = cards[node.getAttribute("data-card-id")];
          if (other && other.seq < card.seq) { before = node; return true; }
          return false;
        });
        column.insertBefore(item, before);
      }
    }
    updateCounts();
  }

  /* ---- Essentials: plenary and presenter ---- */
  function plenaryVotes(entry) {
    var n = plenaryCounts[entry.target];
    return n !== undefined ? n : (entry.plenary_votes || 0);
  }

  function familyBlocks(number, className) {
    var list = essentials[number] || [];
    var wrap = Live.el("div", className);
    if (!list.length) {
      wrap.appendChild(Live.el("p", "essentials-empty", t.no_essentials));
      return wrap;
    }
    families.forEach(function (family) {
      var items = list.filter(function (e) { return e.family === family; });
      if (!items.length) { return; }
      var block = Live.el("section", "essential-family family-" + family);
      block.appendChild(Live.el("h3", "essential-family-title", labels[family]));
      var ol = Live.el("ol", "essential-list");
      /* Ties: the same dots at the table and in plenary, within a family ("ex aequo"). */
      var seen = {};
      function score(e) { return (e.votes || 0) + "/" + plenaryVotes(e); }
      items.forEach(function (e) { seen[score(e)] = (seen[score(e)] || 0) + 1; });
      items.forEach(function (e) {
        var li = Live.el("li", "essential-item");
        li.setAttribute("data-essential-target", e.target);
        li.appendChild(Live.el("span", "essential-text", e.text));
        var meta = Live.el("span", "essential-meta");
        meta.appendChild(Live.el("span", "essential-votes", dots(e.votes || 0)));
        var plenary = plenaryVotes(e);
        if (plenary > 0 || voting === "plenary") {
          meta.appendChild(Live.el("span", "essential-votes plenary-votes", fill(t.plenary_dots, { n: plenary })));
        }
        if (score(e) !== "0/0" && seen[score(e)] > 1) { meta.appendChild(Live.el("span", "tie-tag", t.tie)); }
        li.appendChild(meta);
        ol.appendChild(li);
      });
      block.appendChild(ol);
      wrap.appendChild(block);
    });
    return wrap;
  }

  function renderPlenary() {
    var root = document.getElementById("plenary");
    root.textContent = "";
    root.className = "plenary plenary-" + Math.min(groups.length, 9);
    groups.forEach(function (g) {
      var column = Live.el("section", "plenary-table");
      column.setAttribute("data-plenary-group", g.number);
      column.appendChild(Live.el("h2", "plenary-name", g.name));
      column.appendChild(familyBlocks(g.number, "plenary-essentials"));
      root.appendChild(column);
    });
  }

  function renderPresenter() {
    if (!groups.length) { return; }
    presenterIndex = (presenterIndex + groups.length) % groups.length;
    var g = groups[presenterIndex];
    document.getElementById("presenter-table").textContent = g.name;
    document.getElementById("presenter-progress").textContent =
      fill(t.progress, { n: presenterIndex + 1, total: groups.length });
    var body = document.getElementById("presenter-body");
    body.textContent = "";
    body.appendChild(familyBlocks(g.number, "presenter-essentials"));
  }

  function renderEssentials() {
    if (view === "plenary") { renderPlenary(); }
    if (view === "present") { renderPresenter(); }
    updateCounts();
  }

  /* ---- Views ---- */
  var before = "all";
  function setView(next) {
    if (views.indexOf(next) < 0) { return; }
    if (next !== "present") { before = next; }
    view = next;
    if (view === "table" && filter === null && groups.length) { setFilter(groups[0].number); }
    if (view === "all" && filter !== null) { setFilter(null); }
    each(".view-button", function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-view") === view ? "true" : "false");
    });
    each("[data-view-panel]", function (panel) {
      panel.hidden = panel.getAttribute("data-view-panel").split(" ").indexOf(view === "present" ? before : view) < 0;
    });
    document.body.setAttribute("data-view", view);
    var presenter = document.getElementById("presenter");
    presenter.hidden = view !== "present";
    if (view === "present") {
      renderPresenter();
      document.getElementById("presenter-next").focus();
    }
    if (view === "plenary") { renderPlenary(); }
  }

  function setFilter(value) {
    filter = value;
    each(".filter-button", function (other) {
      var g = other.getAttribute("data-group");
      other.setAttribute("aria-pressed", (g ? parseInt(g, 10) : null) === filter ? "true" : "false");
    });
    renderAll();
  }

  each(".filter-button", function (button) {
    button.addEventListener("click", function () {
      var value = button.getAttribute("data-group");
      setFilter(value ? parseInt(value, 10) : null);
      setView(filter === null ? "all" : "table");
    });
  });
  each(".view-button", function (button) {
    button.addEventListener("click", function () { setView(button.getAttribute("data-view")); });
  });
  function move(step) { presenterIndex += step; renderPresenter(); }
  document.getElementById("presenter-prev").addEventListener("click", function () { move(-1); });
  document.getElementById("presenter-next").addEventListener("click", function () { move(1); });
  document.getElementById("presenter-exit").addEventListener("click", function () { setView(before); });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
    if (view === "present") {
      if (event.key === "ArrowRight" || event.key === "PageDown") { move(1); event.preventDefault(); }
      else if (event.key === "ArrowLeft" || event.key === "PageUp") { move(-1); event.preventDefault(); }
      else if (event.key === "Escape") { setView(before); event.preventDefault(); }
      return;
    }
    var index = ["1", "2", "3", "4", "5"].indexOf(event.key);
    if (index >= 0) { setView(views[index]); event.preventDefault(); }
  });

  var asked = (window.location.search.match(/[?&]view=(\w+)/) || [])[1];
  setView(views.indexOf(asked) >= 0 ? asked : "all");
  /* For feature views drawn by other scripts (board_synthesis.js): switch, and read the current view. */
  Live.board = { setView: setView, view: function () { return view; }, asked: asked };

  function applyVoting(agenda, fromStepChange) {
    var next = (agenda && agenda.voting) || "off";
    var entered = next === "plenary" && voting !== "plenary";
    voting = next;
    if (entered && fromStepChange && view !== "present") { setView("plenary"); }
    renderEssentials();
  }

  Live.subscribe("step:changed", function (message) { applyVoting(message.agenda, true); });

  Live.connect({
    payload: function () { return { code: data.code, role: data.role, token: token }; },
    onJoined: function (reply) {
      var snap = reply.snapshot;
      if (!snap) { return; }
      cards = {};
      snap.cards.forEach(function (card) { cards[card.id] = card; });
      themes = {};
      (snap.themes || []).forEach(function (theme) { themes[theme.id] = theme; });
      participants = {};
      Object.keys(snap.participants).forEach(function (g) { participants[g] = snap.participants[g]; });
      presence = reply.presence || {};
      ready = snap.ready || {};
      essentials = snap.essentials || {};
      plenaryCounts = ((snap.votes || {}).counts || {}).plenary || {};
      var wasPlenary = voting === "plenary";
      voting = (snap.agenda && snap.agenda.voting) || "off";
      if (voting === "plenary" && !wasPlenary && !asked && view === "all") { setView("plenary"); }
      renderAll();
      renderEssentials();
    },
    onEvent: function (message) {
      if (message.type === "card:added") { setCard(message.card); }
      if (message.type === "cards:revealed") { message.cards.forEach(setCard); }
      if (message.type === "card:updated") {
        setCard(message.card);
        (message.merged || []).forEach(setCard);
      }
      if (message.type === "theme:created" || message.type === "theme:updated" || message.type === "theme:dissolved") {
        var theme = message.theme;
        var gone = message.type === "theme:dissolved";
        if (gone) { delete themes[theme.id]; } else { themes[theme.id] = theme; }
        Object.keys(cards).forEach(function (id) {
          var card = cards[id];
          if (!gone && theme.cards.indexOf(card.id) >= 0) { card.theme = theme.id; } else if (card.theme === theme.id) { card.theme = null; }
        });
        renderAll();
      }
      if (message.type === "participants:count") {
        participants[message.group] = message.participants;
        updateCounts();
      }
      if (message.type === "group:presence") { presence[message.group] = message.connected; updateCounts(); }
      if (message.type === "group:ready") { ready[message.group] = message.ready; updateCounts(); }
      if (message.type === "essentials:changed") {
        essentials[message.group] = message.essentials;
        renderEssentials();
      }
      if (message.type === "vote:counts") {
        if (message.stage === "plenary") { plenaryCounts[message.target] = message.votes; }
        else {
          (essentials[message.group] || []).forEach(function (e) {
            if (e.target === message.target) { e.votes = message.votes; }
          });
        }
        renderEssentials();
      }
    },
    onJoinError: function (error) {
      var status = document.getElementById("status");
      status.textContent = error.message;
      status.className = "status status-error";
    }
  });
})();
