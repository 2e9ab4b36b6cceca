/* The board's "Synthèse" view (key 5, ?view=synthesis): the cross-table themes as large tiles (title,
   "Soulevé par N tables sur M", number of cards, a few visible cards), from the snapshot's `synthesis`
   and `synthesis:changed`. A board switches to it when the facilitator projects the synthesis and back
   when they stop; the console (also often projected) does the same and holds the "Show on the board"
   button. Boards only ever receive visible, unsealed card texts; a card hidden since is dropped here at
   once. Text is always rendered with textContent. */
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
      n === 1 ? fill(t.raised_one, { total: total }) : fill(t.raised_many, { n: n, total: total })));
    facts.appendChild(Live.el("span", "synthesis-tile-count",
      theme.count === 1 ? t.cards_one : fill(t.cards_many, { n: theme.count })));
    facts.appendChild(Live.el("span", "synthesis-tile-tables",
      fill(n === 1 ? t.table_list : t.tables_list, { list: theme.tables.join(", ") })));
    item.appendChild(facts);
    var examples = theme.examples || [];
    if (examples.length) {
      var list = Live.el("ul", "synthesis-examples");
      examples.forEach(function (example) {
        var li = Live.el("li", "synthesis-example family-" + example.family);
        li.setAttribute("data-card-id", String(example.id));
        li.appendChild(Live.el("span", "synthesis-example-text", example.text));
        var family = labels[example.family] ? labels[example.family].label : example.family;
        li.appendChild(Live.el("span", "synthesis-example-meta", fill(t.table_n, { n: example.group }) + " · " + family));
        list.appendChild(li);
      });
      item.appendChild(list);
    }
    return item;
  }

  function render() {
    tiles.textContent = "";
    var themes = (synthesis && synthesis.themes) || [];
    var total = (synthesis && synthesis.total_tables) || data.workshop.groups.length;
    themes.forEach(function (theme) { tiles.appendChild(tile(theme, total)); });
    root.classList.toggle("synthesis-many", themes.length > 9);
    root.classList.toggle("synthesis-mid", themes.length > 4 && themes.length <= 9);
    root.classList.toggle("synthesis-few", themes.length > 0 && themes.length <= 4);
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
