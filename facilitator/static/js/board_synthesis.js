/* The board's "Synthèse" view (key 5, ?view=synthesis): the cross-table themes as large tiles (title,
   "Soulevé par N tables sur M", number of cards, a few visible cards), from the snapshot's `synthesis`
   and `synthesis:changed`. A board switches to it when the facilitator projects the synthesis and back
   when they stop; the console (also often projected) does the same and holds the "Show on the board"
   button. Boards only ever receive visible, unsealed card texts; a card hidden since is dropped here at
   once. Text is always rendered with textContent.
   Pages: a projected screen cannot scroll, so the themes are shown a page at a time, in their order (the
   themes raised by the most tables first). How many fit is measured on this screen (at most 3 columns
   and 3 rows: 9 at 1920×1080, fewer on a 1280×720 projector); every tile keeps the size of the board's
   card text and sheds the examples it has no room for. ←/→, Page Up/Down (a presenter's remote) and the
   on-screen buttons change the page, on this screen only (no event); a live change keeps the page. */
(function () {
  "use strict";
  var Live = window.Live;
  var board = Live.board;
  var root = document.getElementById("synthesis-board");
  if (!Live || !board || !root) { return; }
  var data = Live.data;
  var t = data.t;
  var isFacilitator = data.role === "facilitator";
  var tiles = document.getElementById("synthesis-tiles");
  var stateNode = document.getElementById("synthesis-board-state");
  var emptyNode = document.getElementById("synthesis-board-empty");
  var synthesis = null;   /* {proposed, total_tables, themes: [{id, title, tables, count, examples}]} */
  var projected = false;
  var previous = "all";   /* the view to go back to when the projection stops */
  var labels = data.workshop.family_labels || {};
  var groupNames = {};  /* the tiles name their tables (« Luchon, Avène »), not « tables 1, 3 » */
  (data.workshop.groups || []).forEach(function (g) { groupNames[g.number] = g.name; });
  function tableName(number) { return groupNames[number] || fill(t.table_n, { n: number }); }
  var pager = document.getElementById("synthesis-pager");
  var pageNode = document.getElementById("synthesis-page");
  var page = 0;           /* the page shown, local to this screen */
  var perPage = 9;        /* measured by layout(): columns × rows that fit */
  var measured = 0;       /* the tiles' height when measured */
  var MAX_COLUMNS = 3;
  var MAX_ROWS = 3;
  var MIN_TILE_WIDTH = 17; /* in the tiles' font size (the board's card text) */

  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (all, name) { return values[name] !== undefined ? values[name] : all; });
  }

  function tile(theme, total) {
    var item = Live.el("li", "synthesis-tile");
    item.setAttribute("data-synthesis-theme", String(theme.id));
    item.appendChild(Live.el("h3", "synthesis-tile-title", theme.title));
    var n = theme.tables.length;
    var facts = Live.el("p", "synthesis-tile-facts");
    facts.appendChild(Live.el("span", "synthesis-tile-provenance",
      n === 0 ? t.raised_none : fill(Live.plural(n, t.raised), { total: total })));
    if (theme.count) {  /* a theme seeded by hand waits for the tables' cards: no « 0 cartes » */
      facts.appendChild(Live.el("span", "synthesis-tile-count", Live.plural(theme.count, t.cards_n)));
    }
    if (theme.proposed_by) {  /* a common theme a table proposed (issue 17) */
      facts.appendChild(Live.el("span", "synthesis-tile-origin", fill(t.by_table, { n: theme.proposed_by })));
    }
    var names = Live.el("span", "synthesis-tile-tables", theme.tables.map(tableName).join(", "));
    names.title = names.textContent;
    facts.appendChild(names);
    item.appendChild(facts);
    var examples = theme.examples || [];
    if (examples.length) {
      var list = Live.el("ul", "synthesis-examples");
      examples.forEach(function (example) {
        var li = Live.el("li", "synthesis-example family-" + example.family);
        li.setAttribute("data-card-id", String(example.id));
        li.appendChild(Live.el("span", "synthesis-example-text", example.text));
        var family = labels[example.family] ? labels[example.family].label : example.family;
        li.appendChild(Live.el("span", "synthesis-example-meta", tableName(example.group) + " · " + family));
        list.appendChild(li);
      });
      item.appendChild(list);
    }
    return item;
  }

  function themesList() { return (synthesis && synthesis.themes) || []; }
  function pages() { return Math.max(1, Math.ceil(themesList().length / perPage)); }
  function shownNow() { return !root.hidden && tiles.clientHeight > 0; }

  function setGrid(columns, rows) {
    var names = tiles.className.split(/\s+/).filter(function (name) { return !/^synthesis-(columns|rows)-/.test(name); });
    if (columns) { names.push("synthesis-columns-" + columns); }
    if (rows) { names.push("synthesis-rows-" + rows); }
    tiles.className = names.join(" ");
  }

  /* A tile taller than its cell first loses its title's third line, then shortens its examples, from
     the last: without their table and family, one line, then none — the first example goes last, so
     9 tiles keep a card each when the room allows (issue 16). */
  function shed(item) {
    function over() { return item.scrollHeight > item.clientHeight + 1; }
    if (over()) { item.classList.add("is-tight"); }
    var examples = item.querySelectorAll(".synthesis-example");
    for (var i = examples.length - 1; i >= 0 && over(); i -= 1) {
      examples[i].classList.add("is-bare");
      if (over()) { examples[i].classList.add("is-short"); }
      if (over() && i > 0) { examples[i].remove(); }
    }
    if (over() && examples.length) { examples[0].remove(); }
    var list = item.querySelector(".synthesis-examples");
    if (list && !list.children.length) { list.remove(); }
  }

  /* How many tiles fit this screen: the columns from the width (at most 3), the rows from the tallest
     tile without examples (at most 3). Measured only while the view is shown. */
  function layout(themes, total, usual) {
    var few = !usual && themes.length <= 4;
    root.classList.toggle("synthesis-few", few && themes.length > 0);
    if (!shownNow() || !themes.length) { return; }
    var style = window.getComputedStyle(tiles);
    var gap = parseFloat(style.rowGap) || 0;
    var em = parseFloat(style.fontSize) || 16;
    var width = tiles.clientWidth;
    var columns = Math.max(1, Math.min(few ? 2 : MAX_COLUMNS, Math.floor((width + gap) / (MIN_TILE_WIDTH * em + gap))));
    if (themes.length === 1) { columns = 1; }
    /* The tallest tile without examples, at this width. */
    setGrid(columns, 0);
    tiles.classList.add("is-measuring");
    tiles.textContent = "";
    themes.forEach(function (theme) { tiles.appendChild(tile(theme, total)); });
    var tallest = 0;
    Array.prototype.forEach.call(tiles.children, function (item) { tallest = Math.max(tallest, item.offsetHeight); });
    tiles.classList.remove("is-measuring");
    tiles.textContent = "";
    function rowsThatFit() {
      return Math.max(1, Math.min(MAX_ROWS, Math.floor((tiles.clientHeight + gap) / (tallest + gap))));
    }
    pager.hidden = true;
    var rows = rowsThatFit();
    if (columns * rows < themes.length) {
      if (few) { layout(themes, total, true); return; }  /* big titles do not fit: the usual size */
      pager.hidden = false;  /* the pager may take room: measure again with it */
      rows = rowsThatFit();
    }
    perPage = columns * rows;
    measured = tiles.clientHeight;
    setGrid(columns, themes.length <= perPage ? Math.ceil(themes.length / columns) : rows);
  }

  function drawPage() {
    var themes = themesList();
    var total = (synthesis && synthesis.total_tables) || data.workshop.groups.length;
    tiles.textContent = "";
    var count = pages();
    page = Math.max(0, Math.min(page, count - 1));
    themes.slice(page * perPage, (page + 1) * perPage).forEach(function (theme) { tiles.appendChild(tile(theme, total)); });
    if (shownNow()) { Array.prototype.forEach.call(tiles.children, shed); }
    pager.hidden = count < 2;
    pageNode.textContent = fill(t.synthesis_page, { n: page + 1, total: count });
    root.setAttribute("data-page", String(page + 1));
  }

  function render() {
    var themes = themesList();
    var total = (synthesis && synthesis.total_tables) || data.workshop.groups.length;
    layout(themes, total);
    drawPage();
    emptyNode.hidden = themes.length > 0;
    emptyNode.textContent = isFacilitator ? t.synthesis_none_console : t.synthesis_none;
    if (isFacilitator) {
      stateNode.hidden = false;
      stateNode.textContent = projected ? t.synthesis_on_board : t.synthesis_off_board;
      stateNode.classList.toggle("is-on", projected);
    } else {
      stateNode.hidden = true;
    }
    renderButton();
  }

  /* ---- Pages: keys, buttons; a new size of the screen or the view shown measures again, keeping the
     first theme of the page in sight ---- */
  function turn(step) {
    var count = pages();
    if (count < 2) { return; }
    page = (page + step + count) % count;
    drawPage();
  }
  document.getElementById("synthesis-prev").addEventListener("click", function () { turn(-1); });
  document.getElementById("synthesis-next").addEventListener("click", function () { turn(1); });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (board.view() !== "synthesis" || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
    if (event.key === "ArrowRight" || event.key === "PageDown") { turn(1); event.preventDefault(); }
    else if (event.key === "ArrowLeft" || event.key === "PageUp") { turn(-1); event.preventDefault(); }
  });
  var pending = false;
  function remeasure() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      if (!shownNow()) { return; }
      var first = page * perPage;
      render();
      page = Math.floor(first / perPage);
      drawPage();
    });
  }
  window.addEventListener("resize", remeasure);
  /* The lines above the tiles can change height at any time (the step bar, a wrapped header). */
  if (window.ResizeObserver) {
    new window.ResizeObserver(function () {
      if (shownNow() && tiles.clientHeight !== measured) { remeasure(); }
    }).observe(tiles);
  }
  if (window.MutationObserver) {
    new window.MutationObserver(remeasure).observe(document.body, { attributes: true, attributeFilter: ["data-view"] });
  }

  /* The projection follows the facilitator: in on "project", out on "unproject" (back to the view
     the screen showed before). */
  function follow(wasProjected) {
    if (projected && !wasProjected) {
      if (board.view() !== "synthesis") { previous = board.view() === "present" ? "all" : board.view(); }
      board.setView("synthesis");
    } else if (!projected && wasProjected && board.view() === "synthesis") {
      board.setView(previous || "all");
    }
  }

  function apply(state, fromEvent) {
    var was = projected;
    projected = !!(state && state.projected);
    if (projected && !was) { page = 0; }  /* a new projection opens on its first page */
    if (state && state.synthesis !== undefined) { synthesis = state.synthesis; }
    else if (state && state.themes !== undefined) { synthesis = state; }
    else if (!isFacilitator) { synthesis = null; }  /* a board keeps nothing it is no longer shown */
    render();
    if (fromEvent || !board.asked) { follow(was); }
  }

  Live.onJoin(function (reply) {
    if (!reply.snapshot) { return; }
    var state = reply.snapshot.synthesis || { projected: false };
    apply(state, false);
  });

  Live.subscribe("synthesis:changed", function (message) { apply(message, true); });

  /* A card hidden (or merged, deleted) since: its text leaves the tiles at once; an edited one shows its
     new text (shortened as the server does). */
  var LIMIT = 180;
  Live.subscribe("card:updated", function (message) {
    if (!synthesis) { return; }
    var byId = {};
    [message.card].concat(message.merged || []).forEach(function (card) { if (card) { byId[card.id] = card; } });
    var changed = false;
    (synthesis.themes || []).forEach(function (theme) {
      var kept = [];
      (theme.examples || []).forEach(function (example) {
        var card = byId[example.id];
        if (!card) { kept.push(example); return; }
        changed = true;
        if (card.status !== "visible" || typeof card.text !== "string") { return; }
        var text = card.text.length > LIMIT ? card.text.slice(0, LIMIT - 1).trim() + "…" : card.text;
        kept.push({ id: example.id, group: example.group, family: card.family || example.family, text: text });
      });
      theme.examples = kept;
    });
    if (changed) { render(); }
  });

  /* ---- The console's "Show on the board" button (report_download.html) ---- */
  var button = document.getElementById("synthesis-project");
  var status = document.getElementById("synthesis-project-status");
  var busy = false;

  function renderButton() {
    if (!button) { return; }
    var themes = (synthesis && synthesis.themes) || [];
    button.textContent = projected ? button.getAttribute("data-stop") : button.getAttribute("data-start");
    button.classList.toggle("is-on", projected);
    button.disabled = busy || (!projected && !themes.length);
    if (!busy) { status.textContent = projected ? t.synthesis_on_board : (themes.length ? "" : t.synthesis_none_console); }
  }

  if (button && isFacilitator && window.fetch) {
    var token = Live.pageToken("facilitator");
    button.addEventListener("click", function () {
      var wanted = !projected;
      busy = true;
      renderButton();
      status.textContent = t.saving;
      window.fetch("/api/workshops/" + encodeURIComponent(data.code) + "/synthesis/projection", {
        method: "POST",
        credentials: "omit",
        cache: "no-store",
        headers: {
          "Authorization": "Bearer " + (token || ""),
          "Content-Type": "application/json",
          "Accept-Language": document.documentElement.lang || "fr"
        },
        body: JSON.stringify({ projected: wanted })
      }).then(function (response) {
        return response.json().then(function (reply) {
          busy = false;
          if (response.ok && reply.ok) {
            var was = projected;
            projected = reply.projected;
            render();
            follow(was);
          } else {
            renderButton();
            status.textContent = t.failed + " " + (reply && reply.error ? reply.error.message : response.status);
          }
        });
      }).catch(function () {
        busy = false;
        renderButton();
        status.textContent = t.failed + " " + t.network;
      });
    });
  }
  render();
})();
