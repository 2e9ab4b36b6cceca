/* Dot voting on the phone: the dots left (always in sight while voting is open) and a (+)/(−) on each
   card of the table, with my dots and the live total. The référent console shows the totals only.
   The server enforces the budget; this page only shows what the acks and `vote:counts` say.
   Plain ES2017; listens through Live.subscribe / Live.onJoin, decorates the card list of phone.js
   (elements with data-card-id or data-theme-id inside #cards) each time it is drawn. */
(function () {
  "use strict";

  function init() {
    var Live = window.Live;
    var bar = document.getElementById("vote-budget");
    var list = document.getElementById("cards");
    if (!Live || !bar || !list) { return; }
    var t = JSON.parse(bar.getAttribute("data-strings"));
    var isPhone = Live.data.role === "participant";
    var voting = "off";                    /* off | table | plenary */
    var counts = { table: {}, plenary: {} };
    var mine = { table: {}, plenary: {} };
    var left = { table: 0, plenary: 0 };
    var byFamily = { table: null, plenary: null };
    var busy = {};                         /* target key -> true while its cast waits for the ack */

    /* French says "0 gommette", English "0 dots". */
    function one(n) { return n === 1 || (n === 0 && Live.data.language === "fr"); }
    function fill(text, values) {
      return text.replace(/\{(\w+)\}/g, function (_m, name) { return values[name]; });
    }
    function stage() { return voting === "plenary" ? "plenary" : "table"; }
    function familyLabel(key) {
      var labels = Live.data.workshop.family_labels && Live.data.workshop.family_labels[key];
      return labels ? labels.label : key;
    }
    function showError(message) {
      var node = document.getElementById("vote-error");
      node.textContent = message || "";
      node.hidden = !message;
    }

    function renderBar() {
      var open = isPhone && voting !== "off";
      bar.hidden = !open;
      document.body.classList.toggle("is-voting", voting !== "off");
      if (!open) { return; }
      var n = left[stage()];
      var text = n === 0 ? t.left_none : fill(one(n) ? t.left_one : t.left_many, { n: n });
      var node = document.getElementById("vote-left");
      node.textContent = text;
      node.setAttribute("data-left", n);
      bar.classList.toggle("is-empty", n === 0);
      var families = document.getElementById("vote-families");
      var per = byFamily[stage()];
      if (per && Object.keys(per).length) {
        families.textContent = Object.keys(per).map(function (f) {
          return fill(t.family_left, { family: familyLabel(f), n: per[f] });
        }).join(" · ");
        families.hidden = false;
      } else {
        families.hidden = true;
      }
    }

    function targetOf(item) {
      if (item.getAttribute("data-card-id")) { return "card:" + item.getAttribute("data-card-id"); }
      if (item.getAttribute("data-theme-id")) { return "theme:" + item.getAttribute("data-theme-id"); }
      return null;
    }

    function dotsText(n) { return fill(one(n) ? t.dots_one : t.dots_many, { n: n }); }

    function decorate(item) {
      var key = targetOf(item);
      if (!key) { return; }
      var row = item.querySelector(".vote-row");
      var showing = voting === "table" || (voting === "off" && Object.keys(counts.table).length > 0);
      if (!showing) { if (row) { row.remove(); } return; }
      if (!row) {
        row = Live.el("div", "vote-row");
        row.setAttribute("data-target", key);
        if (isPhone) {
          var minus = Live.el("button", "vote-button vote-minus", "−");
          minus.type = "button";
          minus.setAttribute("aria-label", t.remove);
          minus.addEventListener("click", function () { cast(key, -1); });
          row.appendChild(minus);
        }
        var tally = Live.el("span", "vote-tally");
        tally.appendChild(Live.el("span", "vote-mine"));
        tally.appendChild(Live.el("span", "vote-total"));
        row.appendChild(tally);
        if (isPhone) {
          var plus = Live.el("button", "vote-button vote-plus", "+");
          plus.type = "button";
          plus.setAttribute("aria-label", t.add);
          plus.addEventListener("click", function () { cast(key, 1); });
          row.appendChild(plus);
        }
        item.appendChild(row);
      }
      var my = mine.table[key] || 0;
      var total = counts.table[key] || 0;
      row.querySelector(".vote-mine").textContent = my ? new Array(my + 1).join("●") : "";
      row.querySelector(".vote-mine").setAttribute("aria-label", fill(t.mine, { n: my }));
      row.querySelector(".vote-total").textContent = dotsText(total);
      row.setAttribute("data-votes", total);
      row.setAttribute("data-mine", my);
      item.classList.toggle("has-my-dots", my > 0);
      var plusButton = row.querySelector(".vote-plus");
      var minusButton = row.querySelector(".vote-minus");
      var closed = voting !== "table";
      if (plusButton) { plusButton.disabled = closed || busy[key] || left.table <= 0; }
      if (minusButton) { minusButton.disabled = closed || busy[key] || my <= 0; }
    }

    var observer = null;
    function decorateAll() {
      Array.prototype.forEach.call(list.querySelectorAll("[data-card-id], [data-theme-id]"), decorate);
      if (observer) { observer.takeRecords(); }  /* our own changes are not a redraw */
      renderBar();
    }

    function cast(key, delta, clientId, attempt) {
      if (!Live.current || !Live.current.state.joined) { return; }
      clientId = clientId || Live.randomId();
      attempt = attempt || 1;
      var parts = key.split(":");
      var payload = { delta: delta, client_id: clientId };
      payload[parts[0] === "card" ? "card_id" : "theme_id"] = parseInt(parts[1], 10);
      busy[key] = true;
      showError("");
      decorateAll();
      Live.current.request("vote:cast", payload, function (err, reply) {
        if (err) {
          /* No ack: send the same request again (same client_id, counted once by the server). */
          if (attempt < 3) { return cast(key, delta, clientId, attempt + 1); }
          delete busy[key];
          showError(t.retry);
          decorateAll();
          return;
        }
        delete busy[key];
        if (reply.ok) {
          var s = reply.stage;
          mine[s] = reply.mine || {};
          left[s] = reply.remaining;
          byFamily[s] = reply.by_family || null;
          counts[s][reply.target] = reply.votes;
        } else {
          showError(reply.error.message);
        }
        decorateAll();
      });
    }

    function load(snapshot) {
      var v = snapshot.votes;
      if (!v) { return; }
      voting = v.state;
      counts = { table: v.counts.table || {}, plenary: v.counts.plenary || {} };
      mine = { table: v.mine.table || {}, plenary: v.mine.plenary || {} };
      left = { table: v.remaining.table, plenary: v.remaining.plenary };
      byFamily = { table: v.remaining_by_family.table, plenary: v.remaining_by_family.plenary };
      decorateAll();
    }

    Live.onJoin(function (reply) { if (reply.snapshot) { load(reply.snapshot); } else { decorateAll(); } });
    Live.subscribe("vote:counts", function (message) {
      counts[message.stage][message.target] = message.votes;
      decorateAll();
    });
    Live.subscribe("step:changed", function (message) {
      voting = message.agenda.voting;
      decorateAll();
    });
    /* The page's script redraws cards (the whole list, or one card of a nested board): decorate the
       new items each time. */
    observer = new MutationObserver(decorateAll);
    observer.observe(list, { childList: true, subtree: true });
    window.Votes = { counts: function () { return counts; }, state: function () { return voting; } };
  }

  /* Deferred before live.js: wait until every deferred script has run. */
  if (document.readyState === "complete") { init(); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
