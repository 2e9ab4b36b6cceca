/* Presenter control on the facilitator's console (laptop or phone): the buttons send `board:show`
   {view, table?}; every console shows what the board shows (the ack, `board:changed`, the snapshot's
   `board`). Presentation next/previous step through the tables from the board's current one. The
   console's own view does not change. */
(function () {
  "use strict";
  var Live = window.Live;
  var root = document.getElementById("board-control");
  if (!Live || !root) { return; }
  var t = Live.data.t;
  var groups = Live.data.workshop.groups;
  var numbers = groups.map(function (g) { return g.number; });
  var names = {};
  groups.forEach(function (g) { names[g.number] = g.name; });
  var stateNode = document.getElementById("board-control-state");
  var errorNode = document.getElementById("board-control-error");
  var select = document.getElementById("board-control-group");
  var current = null;  /* {view, table, seq} */

  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (all, name) { return values[name] !== undefined ? values[name] : all; });
  }

  function draw() {
    var view = current && current.view;
    Array.prototype.forEach.call(root.querySelectorAll("[data-board-view]"), function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-board-view") === view ? "true" : "false");
    });
    root.setAttribute("data-board-view", view || "");
    if (!view) { return; }
    var label = t["view_" + view] || view;
    if (current.table && names[current.table]) { label += " · " + names[current.table]; }
    stateNode.textContent = fill(t.on_board, { view: label });
    if (current.table) { select.value = String(current.table); }
  }

  function apply(state) {
    if (!state || (current && typeof state.seq === "number" && state.seq < current.seq)) { return; }
    current = state;
    draw();
  }

  function show(view, table) {
    if (!Live.current) { return; }
    errorNode.hidden = true;
    var payload = { view: view };
    if (table) { payload.table = table; }
    Live.current.request("board:show", payload, function (err, reply) {
      if (err || !reply || !reply.ok) {
        errorNode.hidden = false;
        errorNode.textContent = err ? t.failed + " " + t.network : reply.error.message;
        return;
      }
      apply(reply.board);
    });
  }

  Array.prototype.forEach.call(root.querySelectorAll("[data-board-view]"), function (button) {
    button.addEventListener("click", function () {
      var view = button.getAttribute("data-board-view");
      var table = null;
      if (view === "table") { table = parseInt(select.value, 10); }
      if (view === "present") { table = current && current.view === "present" ? current.table : numbers[0]; }
      show(view, table);
    });
  });
  select.addEventListener("change", function () {
    if (current && (current.view === "table" || current.view === "present")) { show(current.view, parseInt(select.value, 10)); }
  });
  function step(by) {
    var at = current && current.view === "present" ? numbers.indexOf(current.table) : -1;
    var next = at < 0 ? 0 : (at + by + numbers.length) % numbers.length;
    show("present", numbers[next]);
  }
  document.getElementById("board-control-prev").addEventListener("click", function () { step(-1); });
  document.getElementById("board-control-next").addEventListener("click", function () { step(1); });

  Live.subscribe("board:changed", function (message) { apply({ view: message.board.view, table: message.board.table, seq: message.seq }); });
  Live.onJoin(function (reply) { if (reply.snapshot && reply.snapshot.board) { apply(reply.snapshot.board); } });
})();
