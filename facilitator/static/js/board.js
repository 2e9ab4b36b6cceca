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
  var isBoard = data.role === "board";
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
  /* A theme filed « Transverse » (none of the families) is listed after them (essentials, ranking). */
  var filings = families.concat(["transverse"]);
  filings.forEach(function (key) {
    var info = (data.workshop.family_labels || {})[key];
    labels[key] = info ? info.label : key;
  });
  var views = ["all", "table", "plenary", "present", "synthesis", "plan", "welcome", "closing"];  /* synthesis: board_synthesis.js draws it, plan: plan.js */
  var KEYED = 6;  /* keys 1–6: the first six views; welcome and closing are the board's full-screen covers */
  var OVERLAYS = ["present", "welcome", "closing"];  /* drawn over the view shown before */

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return values[name] !== undefined ? values[name] : all; });
  }
  /* French: "0 gommette" (singular up to 1); English: "0 dots" (Live.plural). */
  function dots(n) { return Live.plural(n, t.dots); }
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
    var roomCards = 0;
    var roomPeople = 0;
    Object.keys(byGroup).forEach(function (g) { roomCards += byGroup[g]; });
    Object.keys(participants).forEach(function (g) { roomPeople += participants[g]; });
    each("[data-total-cards]", function (node) { node.textContent = roomCards; });
    each("[data-total-people]", function (node) { node.textContent = roomPeople; });
    each("[data-glance-group]", function (tile) {
      var number = tile.getAttribute("data-glance-group");
      var counts = byTable[number] || {};
      Array.prototype.forEach.call(tile.querySelectorAll("[data-glance-family]"), function (node) {
        node.textContent = counts[node.getAttribute("data-glance-family")] || 0;
      });
      tile.querySelector("[data-glance-connected]").textContent = Live.plural(presence[number] || 0, t.connected_n);
      tile.querySelector("[data-glance-essentials]").textContent =
        Live.plural((essentials[number] || []).length, t.essentials_n);
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
    scheduleFit();
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
    scheduleFit();
  }

  /* ---- "All cards" on the projector: every card reachable. A column that overflows first shrinks its
     type, step by step down to a readable floor (the CSS `max()` of .card-text); then it pages: the
     cards that fit, "1–12 / 40" in its heading, the next page every PAGE_MS, or at once with
     ↓ / Page Down (↑ / Page Up back; a presenter's remote). The console scrolls instead. ---- */
  var FIT_SCALES = [1, 0.92, 0.84, 0.76, 0.7];
  var PAGE_MS = 12000;
  var columnPages = {};   /* family -> {page, bounds: [[from, to)…]} */
  var fitPending = false;
  function scheduleFit() {
    if (!isBoard || fitPending) { return; }
    fitPending = true;
    window.requestAnimationFrame(function () { fitPending = false; fitColumns(); });
  }
  function fitColumns() {
    if (view !== "all" && view !== "table") { return; }
    each("[data-cards-family]", function (list) { fitColumn(list, true); });
  }
  function showPage(list, state) {
    var items = list.querySelectorAll("[data-card-id]");
    var bound = state.bounds[state.page] || [0, items.length];
    Array.prototype.forEach.call(items, function (node, k) {
      node.classList.toggle("is-off-page", k < bound[0] || k >= bound[1]);
    });
    var label = document.querySelector('[data-page-family="' + list.getAttribute("data-cards-family") + '"]');
    if (!label) { return; }
    label.hidden = state.bounds.length < 2;
    var values = { from: bound[0] + 1, to: bound[1], total: items.length };
    label.textContent = fill(t.column_page, values);
    label.setAttribute("aria-label", fill(t.column_page_label, values));
    list.setAttribute("data-page", String(state.page + 1));
    list.setAttribute("data-pages", String(state.bounds.length));
  }
  function fitColumn(list, again) {
    var family = list.getAttribute("data-cards-family");
    var column = list.parentNode;
    var items = Array.prototype.slice.call(list.querySelectorAll("[data-card-id]"));
    var state = columnPages[family] || { page: 0, bounds: [] };
    columnPages[family] = state;
    items.forEach(function (node) { node.classList.remove("is-off-page"); });
    var fits = false;
    for (var i = 0; i < FIT_SCALES.length && !fits; i += 1) {
      column.style.setProperty("--card-scale", String(FIT_SCALES[i]));
      fits = list.scrollHeight <= list.clientHeight + 1;
    }
    var height = list.clientHeight;
    if (fits || !items.length || height <= 0) {
      state.bounds = [[0, items.length]];
      state.page = 0;
      showPage(list, state);
      return;
    }
    var style = window.getComputedStyle(list);
    var room = height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    var bounds = [];
    var start = 0;
    var top = items[0].getBoundingClientRect().top;
    items.forEach(function (node, k) {
      var box = node.getBoundingClientRect();
      if (k > start && box.bottom - top > room) { bounds.push([start, k]); start = k; top = box.top; }
    });
    bounds.push([start, items.length]);
    state.bounds = bounds;
    state.page = Math.min(state.page, bounds.length - 1);
    showPage(list, state);
    /* The "1–12 / 40" label may have wrapped the heading: measure once more at the new height. */
    if (again && list.clientHeight !== height) { fitColumn(list, false); }
  }
  function turnPages(by) {
    var turned = false;
    each("[data-cards-family]", function (list) {
      var state = columnPages[list.getAttribute("data-cards-family")];
      if (!state || state.bounds.length < 2) { return; }
      state.page = (state.page + by + state.bounds.length) % state.bounds.length;
      showPage(list, state);
      turned = true;
    });
    return turned;
  }
  var pageTimer = null;
  function restartPaging() {
    if (!isBoard) { return; }
    if (pageTimer) { window.clearInterval(pageTimer); }
    pageTimer = window.setInterval(function () {
      if (view === "all" || view === "table") { turnPages(1); }
      if (view === "plenary") { turnTiles(1); }
    }, PAGE_MS);
  }
  if (isBoard) {
    window.addEventListener("resize", scheduleFit);
    restartPaging();
  }
  /* The lines above the plenary and the columns change height after they were fitted (the step bar
     arrives with the agenda, a header wraps): fit again when the space they have changes, or the
     pages measured in a taller window overflow. */
  var fittedHeights = {};
  function refitWhenResized(id, refit) {
    var node = document.getElementById(id);
    if (!isBoard || !node || !window.ResizeObserver) { return; }
    new window.ResizeObserver(function () {
      if (node.hidden || !node.clientHeight || node.clientHeight === fittedHeights[id]) { return; }
      fittedHeights[id] = node.clientHeight;
      refit();
    }).observe(node);
  }
  refitWhenResized("plenary", function () { if (view === "plenary") { renderPlenary(); } });
  refitWhenResized("columns", scheduleFit);

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
    filings.forEach(function (family) {
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

  /* The room's ranking: every table's essentials by plenary dots (by table dots until the plenary
     vote has any), as bars; the leader (all ex aequo) highlighted. */
  function ranking(limit) {
    var entries = [];
    groups.forEach(function (g) {
      (essentials[g.number] || []).forEach(function (e) {
        entries.push({ entry: e, group: g, plenary: plenaryVotes(e), votes: e.votes || 0 });
      });
    });
    var byPlenary = entries.some(function (x) { return x.plenary > 0; }) || voting === "plenary";
    entries.forEach(function (x) { x.score = byPlenary ? x.plenary : x.votes; });
    entries = entries.filter(function (x) { return x.score > 0; });
    entries.sort(function (a, b) { return b.score - a.score || b.votes - a.votes; });
    var top = entries.length ? entries[0].score : 0;
    var section = Live.el("section", "plenary-ranking");
    section.setAttribute("aria-labelledby", "plenary-ranking-title");
    var title = Live.el("h2", "plenary-ranking-title", t.room_ranking);
    title.id = "plenary-ranking-title";
    section.appendChild(title);
    if (!top) {
      section.appendChild(Live.el("p", "essentials-empty", t.plenary_ranking_empty));
      return section;
    }
    var ol = Live.el("ol", "ranking-list");
    entries.slice(0, limit).forEach(function (x) {
      var li = Live.el("li", "ranking-row family-" + x.entry.family);
      li.setAttribute("data-ranking-target", x.entry.target);
      var head = Live.el("span", "ranking-head");
      head.appendChild(Live.el("span", "ranking-family", labels[x.entry.family]));
      if (x.score === top) {
        li.classList.add("is-leader");
        head.appendChild(Live.el("span", "ranking-leader", t.leader));
      }
      li.appendChild(head);
      var bar = Live.el("span", "ranking-bar");
      var track = Live.el("span", "ranking-track");
      var fillBar = Live.el("span", "ranking-fill");
      fillBar.style.width = Math.max(3, Math.round(100 * x.score / top)) + "%";
      track.appendChild(fillBar);
      bar.appendChild(track);
      bar.appendChild(Live.el("span", "ranking-count", dots(x.score)));
      li.appendChild(bar);
      li.appendChild(Live.el("span", "ranking-text", x.entry.text));
      li.appendChild(Live.el("span", "ranking-meta", x.group.name));
      ol.appendChild(li);
    });
    section.appendChild(ol);
    return section;
  }

  var PLENARY_SCALES = [1, 0.9, 0.8, 0.7, 0.62, 0.55];
  var tilePages = {};  /* table number -> {page, bounds} */
  function showTilePage(tile, state, measuring) {
    var items = tile.querySelectorAll(".essential-item");
    var bound = state.bounds[state.page] || [0, items.length];
    Array.prototype.forEach.call(items, function (item, k) {
      item.classList.toggle("is-off-page", k < bound[0] || k >= bound[1]);
    });
    Array.prototype.forEach.call(tile.querySelectorAll(".essential-family"), function (block) {
      block.classList.toggle("is-off-page", !block.querySelector(".essential-item:not(.is-off-page)"));
    });
    var label = tile.querySelector(".column-page");
    if (!label) {
      label = Live.el("span", "column-page");
      tile.querySelector(".plenary-name").appendChild(label);
    }
    var values = { from: bound[0] + 1, to: bound[1], total: items.length };
    label.textContent = " " + fill(t.column_page, values);
    label.setAttribute("aria-label", fill(t.column_page_label, values));
    /* While a page is measured its « 1–6 / 8 » shows, as it will: a taller heading would push the
       page's last item out of the tile. */
    label.hidden = !measuring && state.bounds.length < 2;
    tile.setAttribute("data-pages", String(state.bounds.length));
  }
  function pageTile(tile) {
    var number = tile.getAttribute("data-plenary-group");
    var state = tilePages[number] || { page: 0, bounds: [] };
    tilePages[number] = state;
    var items = tile.querySelectorAll(".essential-item");
    var bounds = [];
    var start = 0;
    while (start < items.length) {
      var end = start + 1;
      while (end < items.length) {
        state.bounds = [[start, end + 1]];
        state.page = 0;
        showTilePage(tile, state, true);
        if (tile.scrollHeight > tile.clientHeight + 1) { break; }
        end += 1;
      }
      bounds.push([start, end]);
      start = end;
    }
    state.bounds = bounds;
    state.page = Math.min(state.page, bounds.length - 1);
    showTilePage(tile, state);
  }
  function turnTiles(by) {
    var turned = false;
    each("[data-plenary-group]", function (tile) {
      var state = tilePages[tile.getAttribute("data-plenary-group")];
      if (!state || state.bounds.length < 2) { return; }
      state.page = (state.page + by + state.bounds.length) % state.bounds.length;
      showTilePage(tile, state);
      turned = true;
    });
    return turned;
  }
  function renderPlenary() {
    var root = document.getElementById("plenary");
    root.textContent = "";
    var n = groups.length;
    root.className = "plenary plenary-" + Math.min(n, 12);
    var grid = Live.el("div", "plenary-tables");
    var columnsCount = n <= 3 ? Math.max(n, 1) : n <= 4 ? 2 : n <= 9 ? 3 : n <= 12 ? 4 : 5;
    grid.style.setProperty("--plenary-columns", String(columnsCount));
    grid.style.setProperty("--plenary-rows", String(Math.ceil(n / columnsCount) || 1));
    groups.forEach(function (g) {
      var column = Live.el("section", "plenary-table");
      column.setAttribute("data-plenary-group", g.number);
      column.appendChild(Live.el("h2", "plenary-name", g.name));
      column.appendChild(familyBlocks(g.number, "plenary-essentials"));
      grid.appendChild(column);
    });
    root.appendChild(grid);
    root.appendChild(ranking(10));
    if (isBoard) { fitPlenary(root); }
  }
  /* On the projector every table stays in sight: the essentials' text shrinks until no table
     overflows (labels and dot counts keep their size); the ranking keeps the rows that fit. */
  function fitPlenary(root) {
    var tiles = root.querySelectorAll(".plenary-table");
    Object.keys(tilePages).forEach(function (number) { tilePages[number].bounds = []; });
    function overflowing() {
      return Array.prototype.some.call(tiles, function (tile) { return tile.scrollHeight > tile.clientHeight + 1; });
    }
    for (var i = 0; i < PLENARY_SCALES.length; i += 1) {
      root.style.setProperty("--plenary-scale", String(PLENARY_SCALES[i]));
      if (!overflowing()) { break; }
    }
    /* A table still too tall at the floor: each of its essentials keeps its dots and 2 lines of its
       text, then 1 (the whole text is in the presentation, key 4). */
    Array.prototype.forEach.call(tiles, function (tile) {
      ["is-clamped-2", "is-clamped-1"].forEach(function (clamp) {
        if (tile.scrollHeight <= tile.clientHeight + 1) { return; }
        tile.classList.remove("is-clamped-2");
        tile.classList.add(clamp);
      });
    });
    /* Still too tall (a table of many essentials on a small screen): that table pages, as the
       columns of "All cards" do ("1–5 / 9", turned with them). */
    Array.prototype.forEach.call(tiles, function (tile) {
      if (tile.scrollHeight > tile.clientHeight + 1) { pageTile(tile); }
    });
    var list = root.querySelector(".ranking-list");
    var section = root.querySelector(".plenary-ranking");
    while (list && list.children.length > 1 && section.scrollHeight > section.clientHeight + 1) {
      list.removeChild(list.lastChild);
    }
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
    fitPresenter(body);
  }
  /* A projected screen cannot scroll: the table's essentials shrink until the last one's dots sit
     above the buttons. */
  var PRESENTER_SCALES = [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4];
  function fitPresenter(body) {
    if (document.getElementById("presenter").hidden) { return; }
    for (var i = 0; i < PRESENTER_SCALES.length; i += 1) {
      body.style.setProperty("--presenter-scale", String(PRESENTER_SCALES[i]));
      if (body.scrollHeight <= body.clientHeight + 1) { break; }
    }
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
    if (OVERLAYS.indexOf(next) < 0) { before = next; }
    view = next;
    if (view === "table" && filter === null && groups.length) { setFilter(groups[0].number); }
    if (view === "all" && filter !== null) { setFilter(null); }
    each(".view-button", function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-view") === view ? "true" : "false");
    });
    each("[data-view-panel]", function (panel) {
      panel.hidden = panel.getAttribute("data-view-panel").split(" ").indexOf(OVERLAYS.indexOf(view) >= 0 ? before : view) < 0;
    });
    document.body.setAttribute("data-view", view);
    var presenter = document.getElementById("presenter");
    presenter.hidden = view !== "present";
    ["welcome", "closing"].forEach(function (cover) {
      var node = document.getElementById("board-" + cover);
      if (node) { node.hidden = view !== cover; }
    });
    var title = document.getElementById("board-table-title");
    title.hidden = !isBoard || view !== "table";
    title.textContent = filter !== null ? (groupNames[filter] || "") : "";
    if (view === "all" || view === "table") { scheduleFit(); }
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
    var title = document.getElementById("board-table-title");
    title.textContent = filter !== null ? (groupNames[filter] || "") : "";
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
    if ((view === "welcome" || view === "closing") && event.key === "Escape") { setView(before); event.preventDefault(); return; }
    if (isBoard && (view === "all" || view === "table" || view === "plenary")) {
      var by = event.key === "ArrowDown" || event.key === "PageDown" ? 1 : event.key === "ArrowUp" || event.key === "PageUp" ? -1 : 0;
      if (by && (view === "plenary" ? turnTiles(by) : turnPages(by))) { restartPaging(); event.preventDefault(); return; }
    }
    var index = ["1", "2", "3", "4", "5", "6"].indexOf(event.key);
    if (index >= 0 && index < KEYED) { setView(views[index]); event.preventDefault(); }
  });

  /* ---- Presenter control: the facilitator's console puts a view on the board (`board:changed`, the
     snapshot's `board`); the keys above still switch it locally until the next change. ---- */
  var drivenSeq = 0;
  function followConsole(state) {
    if (!isBoard || !state || views.indexOf(state.view) < 0) { return; }
    if (typeof state.seq === "number") {
      if (state.seq <= drivenSeq) { return; }
      drivenSeq = state.seq;
    }
    if (state.view === "table" && state.table) { setFilter(state.table); }
    if (state.view === "all" && filter !== null) { setFilter(null); }
    if (state.view === "present" && state.table) {
      var at = groups.map(function (g) { return g.number; }).indexOf(state.table);
      if (at >= 0) { presenterIndex = at; }
    }
    setView(state.view);
    if (state.view === "present") { renderPresenter(); }
  }
  Live.subscribe("board:changed", function (message) {
    followConsole({ view: message.board.view, table: message.board.table, seq: message.seq, at: message.board.at });
  });

  /* ---- Admin chrome on the projector (view tabs, table filter, language, connection): hidden, shown
     while the mouse moves or a control has the keyboard's focus (CSS :focus-within). ---- */
  if (isBoard) {
    var chromeTimer = null;
    document.addEventListener("mousemove", function () {
      document.body.classList.add("chrome-shown");
      window.clearTimeout(chromeTimer);
      chromeTimer = window.setTimeout(function () { document.body.classList.remove("chrome-shown"); }, 3000);
    });
  }

  /* The Accueil step opens the welcome cover, the conclusion (or the end of the run) the closing one,
     on the projector, when the run enters them (a later console choice wins, `at` is server time). */
  var coverKey = null;
  function coverFor(agenda) {
    if (!agenda) { return null; }
    var kind = agenda.step && agenda.step.kind;
    if (agenda.status === "ended" || kind === "conclusion") { return "closing"; }
    if (kind === "accueil" && (agenda.status === "running" || agenda.status === "paused")) { return "welcome"; }
    return null;
  }
  function applyCover(agenda, driven) {
    if (!isBoard) { return; }
    var cover = coverFor(agenda);
    var key = cover && cover + ":" + agenda.position;
    if (key === coverKey) { return; }
    coverKey = key;
    if (!cover) {
      if (view === "welcome" || view === "closing") { setView(before); }
      return;
    }
    if (driven && driven.at && agenda.started_at && driven.at > agenda.started_at) { return; }
    setView(cover);
  }

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

  Live.subscribe("step:changed", function (message) { applyVoting(message.agenda, true); applyCover(message.agenda, null); });

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
      /* A board that (re)joins converges: the console's last choice, unless the run entered its
         Accueil or conclusion since. */
      var agendaNow = snap.agenda || {};
      var later = snap.board && (!agendaNow.started_at || snap.board.at > agendaNow.started_at);
      if (later && coverFor(agendaNow)) { coverKey = coverFor(agendaNow) + ":" + agendaNow.position; }
      if (later) { followConsole(snap.board); } else { applyCover(agendaNow, null); }
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
      /* « Totaux cachés pendant le vote »: a board gets `votes: null` until `votes:totals` ends it. */
      if (message.type === "votes:totals") {
        (essentials[message.group] || []).forEach(function (e) { e.votes = (message.counts || {})[e.target] || 0; });
        renderEssentials();
      }
      if (message.type === "vote:counts" && message.votes !== null && message.votes !== undefined) {
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
