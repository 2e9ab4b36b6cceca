/* The participant's phone, step by step: a spoken line when the step changes (a live region), and
   when the run is over (the conclusion, or ended) a short thank-you at the top of the page with the
   table's essentials and the plenary vote's result. (The composer folding away is phone.js's, the
   dots are votes.js's.) Plain ES2017; listens through Live.subscribe / Live.onJoin. */
(function () {
  "use strict";

  function init() {
    var Live = window.Live;
    var box = document.getElementById("phone-end");
    if (!Live || !box) { return; }
    var t = JSON.parse(box.getAttribute("data-strings"));
    var announcer = document.getElementById("step-announce");
    var state = null;           /* the agenda state of the last step:changed or snapshot */
    var myGroup = null;
    var essentials = {};        /* table number -> essentials, as the server lists them */
    var plenaryCounts = {};     /* target -> plenary dots */
    var everyTable = false;     /* every table's essentials are known (the plenary's or essentials:list) */
    var asking = false;
    var stepKey = null;

    function fill(text, values) {
      return text.replace(/\{(\w+)\}/g, function (_m, name) { return values[name]; });
    }
    function familyLabel(key) {
      var labels = Live.data.workshop.family_labels && Live.data.workshop.family_labels[key];
      return labels ? labels.label : key;
    }
    function tableName(number) {
      var group = (Live.data.workshop.groups || []).filter(function (g) { return g.number === number; })[0];
      return group ? group.name : t.table + " " + number;
    }
    function dots(n) { return Live.plural(n, t.dots); }

    /* Same rule as agenda.run_over on the server (which lets a phone list every table's essentials). */
    function runOver(s) {
      if (!s || s.status === "free") { return false; }
      if (s.status === "ended") { return true; }
      var step = s.step;
      if (!step) { return false; }
      if (step.kind === "conclusion") { return true; }
      var last = s.steps && s.steps.length ? s.steps[s.steps.length - 1].position : -1;
      return step.position === last && !(step.open_families || []).length && step.voting === "off";
    }

    function item(essential, meta) {
      var li = Live.el("li", "phone-end-item family-" + essential.family);
      var head = Live.el("div", "card-meta");
      head.appendChild(Live.el("span", "family-chip family-" + essential.family, familyLabel(essential.family)));
      if (meta) { head.appendChild(Live.el("span", "phone-end-meta", meta)); }
      li.appendChild(head);
      li.appendChild(Live.el("p", "card-text", essential.text));
      return li;
    }

    /* The plenary's result: the essentials with the most plenary dots, three of them plus every one
       tied with the third; nothing when no plenary dot was cast. */
    function plenaryTop() {
      var all = [];
      Object.keys(essentials).forEach(function (number) {
        (essentials[number] || []).forEach(function (essential) {
          var n = plenaryCounts[essential.target];
          if (n === undefined) { n = essential.plenary_votes || 0; }
          if (n > 0) { all.push({ essential: essential, votes: n }); }
        });
      });
      all.sort(function (a, b) {
        return b.votes - a.votes || a.essential.group - b.essential.group || a.essential.position - b.essential.position;
      });
      if (all.length <= 3) { return all; }
      var cut = all[2].votes;
      return all.filter(function (entry, index) { return index < 3 || entry.votes === cut; });
    }

    function render() {
      var over = runOver(state);
      box.hidden = !over;
      document.body.classList.toggle("is-run-over", over);
      if (!over) { return; }
      document.getElementById("phone-end-over").hidden = !(state && state.status === "ended");
      var mine = essentials[String(myGroup)] || [];
      var list = document.getElementById("phone-end-essentials");
      list.textContent = "";
      mine.forEach(function (essential) { list.appendChild(item(essential, "")); });
      document.getElementById("phone-end-none").hidden = mine.length > 0;
      var top = everyTable ? plenaryTop() : [];
      var plenaryList = document.getElementById("phone-end-plenary-list");
      plenaryList.textContent = "";
      top.forEach(function (entry) {
        var where = tableName(entry.essential.group);
        if (entry.essential.group === myGroup) { where += " (" + t.your_table + ")"; }
        plenaryList.appendChild(item(entry.essential, where + " · " + dots(entry.votes)));
      });
      document.getElementById("phone-end-plenary").hidden = top.length === 0;
    }

    /* Once the run is over: every table's essentials and the plenary counts, asked once. */
    function askEveryTable() {
      if (everyTable || asking || !runOver(state) || !Live.current) { return; }
      asking = true;
      Live.current.request("essentials:list", {}, function (err, reply) {
        asking = false;
        if (!err && reply.ok) {
          essentials = reply.essentials || essentials;
          plenaryCounts = reply.counts || {};
          everyTable = true;
        }
        render();
      });
    }

    function announce(previous) {
      var key = !state ? null : (state.status === "ended" ? "ended" : state.status + ":" + state.position);
      if (key === stepKey) { return; }
      stepKey = key;
      if (!previous || !announcer) { return; }  /* the first state after joining is not news */
      var text = "";
      if (runOver(state)) {
        text = t.over;
      } else if (state.step && state.status !== "free") {
        text = fill(t.new_step, { title: state.step.title });
        var open = state.open_families || [];
        if (open.length && !state.locked) { text += " " + fill(t.open, { families: open.map(familyLabel).join(", ") }); }
      }
      announcer.textContent = text;
    }

    Live.onJoin(function (reply) {
      if (reply.group) { myGroup = reply.group; }
      var snapshot = reply.snapshot;
      if (snapshot) {
        state = snapshot.agenda || state;
        essentials = snapshot.essentials || {};
        plenaryCounts = (snapshot.votes && snapshot.votes.counts && snapshot.votes.counts.plenary) || {};
      }
      everyTable = false;  /* the snapshot lists every table only during the plenary: ask once over */
      announce(false);
      render();
      askEveryTable();
    });
    Live.subscribe("step:changed", function (message) {
      var wasOver = runOver(state);
      state = message.agenda;
      announce(true);
      render();
      askEveryTable();
      /* The thank-you appears at the top: bring it in sight, without moving the focus. */
      if (runOver(state) && !wasOver && window.scrollY > 0) { window.scrollTo(0, 0); }
    });
    Live.subscribe("essentials:changed", function (message) {
      essentials[String(message.group)] = message.essentials;
      render();
    });
    Live.subscribe("vote:counts", function (message) {
      if (message.stage === "plenary") {
        plenaryCounts[message.target] = message.votes;
        render();
      }
    });
  }

  if (document.readyState === "complete") { init(); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
