/* Dot voting on the phone: the dots left (always in sight while voting is open) and a (+)/(−) on each
   card of the table, with my dots and the live total. The référent console (referent.js) shows the
   live totals only, on each card and in each theme's title row — and, for a person without a phone
   the référent picked (#paper-voters), that person's (+)/(−) and dots left, cast on their budget.
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
    /* « Totaux cachés pendant le vote »: the server sends this phone no table totals until the vote
       ends (then `votes:totals`); the rows show my own dots only. Staff pages always get the totals. */
    var totalsHidden = false;
    /* The référent console: people without a phone (paper participants), and the one whose dots the
       référent is casting now (`acting`); their (+)/(−) then show on the cards, on their budget. */
    var paperBox = document.getElementById("paper-voters");
    var pt = paperBox ? JSON.parse(paperBox.getAttribute("data-strings")) : {};
    var paperPeople = [];
    var acting = null;

    function fill(text, values) {
      return text.replace(/\{(\w+)\}/g, function (_m, name) { return values[name]; });
    }
    function stage() { return voting === "plenary" ? "plenary" : "table"; }
    function actingPerson() {
      for (var i = 0; i < paperPeople.length; i += 1) { if (paperPeople[i].id === acting) { return paperPeople[i]; } }
      return null;
    }
    /* Whether this page puts dots: a phone, or the référent casting for a paper participant. */
    function casting() { return isPhone || (voting !== "off" && !!actingPerson()); }
    function myDots(which) { var p = actingPerson(); return (p ? p.mine[which] : mine[which]) || {}; }
    function myLeft(which) { var p = actingPerson(); return p ? p.remaining[which] : left[which]; }
    function myByFamily(which) { var p = actingPerson(); return p ? p.remaining_by_family[which] : byFamily[which]; }
    function personName(p) { return p.name || fill(pt.person, { n: p.number }); }
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
      var open = casting() && voting !== "off";
      bar.hidden = !open;
      document.body.classList.toggle("is-voting", voting !== "off");
      if (!open) { return; }
      var n = myLeft(stage());
      var text = n === 0 ? t.left_none : Live.plural(n, t.left);
      var person = actingPerson();
      if (person) {
        text = fill(n === 0 ? pt.left_none : Live.plural(n, pt.left), { n: n, name: personName(person) });
      }
      if (isPhone && totalsHidden && stage() === "table") { text += " — " + t.totals_hidden; }
      var node = document.getElementById("vote-left");
      node.textContent = text;
      node.setAttribute("data-left", n);
      bar.classList.toggle("is-empty", n === 0);
      var families = document.getElementById("vote-families");
      var per = myByFamily(stage());
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

    function dotsText(n) { return Live.plural(n, t.dots); }

    /* The item's own row, never one of the rows of the cards inside it (a theme holds its cards). */
    function ownRow(item) {
      for (var i = 0; i < item.children.length; i += 1) {
        if (item.children[i].classList.contains("vote-row")) { return item.children[i]; }
      }
      return null;
    }

    function decorate(item) {
      var key = targetOf(item);
      if (!key) { return; }
      var row = ownRow(item);
      var showing = voting === "table" || (voting === "off" && Object.keys(counts.table).length > 0);
      /* A phone outside the table vote: the card's dots only when it has some, and no buttons. */
      var readOnly = isPhone && voting !== "table";
      var unvotable = item.classList.contains("is-hidden") || item.classList.contains("is-sealed");
      var buttons = casting() && !readOnly && !unvotable;
      var mode = readOnly ? "count" : (buttons ? "vote" : "total");
      if (readOnly && !(counts.table[key] > 0)) { showing = false; }
      /* A hidden or sealed card (its author's phone still shows it, marked) takes no dots. */
      if (isPhone && unvotable) { showing = false; }
      /* A card inside a theme: the theme takes the dots, one row per theme (its cards show none). */
      if (item.getAttribute("data-card-id") && item.closest(".phone-theme, .theme-group")) { showing = false; }
      if (!showing) { if (row) { row.remove(); } item.classList.remove("has-my-dots"); return; }
      if (row && row.getAttribute("data-mode") !== mode) { row.remove(); row = null; }
      if (!row) {
        row = Live.el("div", "vote-row");
        row.setAttribute("data-target", key);
        row.setAttribute("data-mode", mode);
        if (buttons) {
          var minus = Live.el("button", "vote-button vote-minus", "−");
          minus.type = "button";
          minus.setAttribute("aria-label", t.remove);
          minus.addEventListener("click", function () { cast(key, -1); });
          row.appendChild(minus);
        }
        var tally = Live.el("span", "vote-tally");
        if (isPhone || buttons) {
          /* The dots (●●) are drawn; the label says them: a labelled span needs a role (axe). */
          var mineBox = Live.el("span", "vote-mine");
          mineBox.setAttribute("role", "img");
          tally.appendChild(mineBox);
        }
        tally.appendChild(Live.el("span", "vote-total"));
        row.appendChild(tally);
        if (buttons) {
          var plus = Live.el("button", "vote-button vote-plus", "+");
          plus.type = "button";
          plus.setAttribute("aria-label", t.add);
          plus.addEventListener("click", function () { cast(key, 1); });
          row.appendChild(plus);
        }
        item.appendChild(row);
      }
      var my = isPhone || buttons ? (myDots("table")[key] || 0) : 0;
      var total = counts.table[key] || 0;
      var mineNode = row.querySelector(".vote-mine");
      if (mineNode) {
        mineNode.textContent = my ? new Array(my + 1).join("●") : "";
        mineNode.setAttribute("aria-label", fill(t.mine, { n: my }));
      }
      var secret = isPhone && totalsHidden;
      row.querySelector(".vote-total").textContent = secret ? fill(t.yours, { n: my }) : dotsText(total);
      row.classList.toggle("is-secret", secret);
      if (secret) { row.removeAttribute("data-votes"); } else { row.setAttribute("data-votes", total); }
      row.setAttribute("data-mine", my);
      item.classList.toggle("has-my-dots", my > 0);
      var plusButton = row.querySelector(".vote-plus");
      var minusButton = row.querySelector(".vote-minus");
      var closed = voting !== "table";
      if (plusButton) { plusButton.disabled = closed || busy[key] || myLeft("table") <= 0; }
      if (minusButton) { minusButton.disabled = closed || busy[key] || my <= 0; }
    }

    var observer = null;
    /* Plenary: every table's essentials, each with its (+)/(−), above the table's own cards. */
    var plenary = {};                      /* table number -> essentials */
    var plenaryBox = document.getElementById("plenary-vote");
    function renderPlenary() {
      if (!plenaryBox) { return; }
      var open = voting === "plenary";
      plenaryBox.hidden = !open;
      if (!open) { return; }
      var title = list.parentNode.querySelector(".cards-title");
      if (plenaryBox.parentNode !== list.parentNode || plenaryBox.nextSibling !== title) {
        list.parentNode.insertBefore(plenaryBox, title || list);
      }
      var box = document.getElementById("plenary-tables");
      box.textContent = "";
      (Live.data.workshop.groups || []).forEach(function (group) {
        var items = plenary[String(group.number)] || [];
        if (!items.length) { return; }
        var section = Live.el("section", "vote-plenary-table");
        section.appendChild(Live.el("h3", "vote-plenary-table-title", group.name));
        var ol = Live.el("ol", "plenary-list");
        items.forEach(function (essential) {
          var li = Live.el("li", "phone-card plenary-card family-" + essential.family);
          li.setAttribute("data-plenary-target", essential.target);
          var head = Live.el("div", "card-meta");
          head.appendChild(Live.el("span", "family-chip family-" + essential.family, familyLabel(essential.family)));
          li.appendChild(head);
          li.appendChild(Live.el("p", "card-text", essential.text));
          li.appendChild(voteRow(essential.target, "plenary"));
          ol.appendChild(li);
        });
        section.appendChild(ol);
        box.appendChild(section);
      });
    }

    function loadPlenary() {
      if (voting !== "plenary" || !Live.current) { renderPlenary(); return; }
      Live.current.request("essentials:list", {}, function (err, reply) {
        if (!err && reply.ok) {
          plenary = reply.essentials;
          counts.plenary = reply.counts || {};
        }
        renderPlenary();
      });
    }

    function voteRow(key, which) {
      var row = Live.el("div", "vote-row");
      row.setAttribute("data-target", key);
      var my = myDots(which)[key] || 0;
      var total = counts[which][key] || 0;
      var closed = voting !== which;
      if (casting()) {
        var minus = Live.el("button", "vote-button vote-minus", "−");
        minus.type = "button";
        minus.setAttribute("aria-label", t.remove);
        minus.disabled = closed || busy[key] || my <= 0;
        minus.addEventListener("click", function () { cast(key, -1); });
        row.appendChild(minus);
      }
      var tally = Live.el("span", "vote-tally");
      var mineNode = Live.el("span", "vote-mine", my ? new Array(my + 1).join("●") : "");
      mineNode.setAttribute("role", "img");
      mineNode.setAttribute("aria-label", fill(t.mine, { n: my }));
      tally.appendChild(mineNode);
      tally.appendChild(Live.el("span", "vote-total", dotsText(total)));
      row.appendChild(tally);
      if (casting()) {
        var plus = Live.el("button", "vote-button vote-plus", "+");
        plus.type = "button";
        plus.setAttribute("aria-label", t.add);
        plus.disabled = closed || busy[key] || myLeft(which) <= 0;
        plus.addEventListener("click", function () { cast(key, 1); });
        row.appendChild(plus);
      }
      row.setAttribute("data-votes", total);
      row.setAttribute("data-mine", my);
      return row;
    }

    function decorateAll() {
      Array.prototype.forEach.call(list.querySelectorAll("[data-card-id], [data-theme-id]"), decorate);
      if (observer) { observer.takeRecords(); }  /* our own changes are not a redraw */
      renderPlenary();
      renderBar();
      renderPaper();
    }

    function cast(key, delta, clientId, attempt, forPerson) {
      if (!Live.current || !Live.current.state.joined) { return; }
      clientId = clientId || Live.randomId();
      attempt = attempt || 1;
      var parts = key.split(":");
      var payload = { delta: delta, client_id: clientId };
      forPerson = forPerson || (isPhone ? null : acting);
      if (forPerson) { payload.paper_participant = forPerson; }
      payload[parts[0] === "card" ? "card_id" : "theme_id"] = parseInt(parts[1], 10);
      busy[key] = true;
      showError("");
      decorateAll();
      Live.current.request("vote:cast", payload, function (err, reply) {
        if (err) {
          /* No ack: send the same request again (same client_id, counted once by the server). */
          if (attempt < 3) { return cast(key, delta, clientId, attempt + 1, forPerson); }
          delete busy[key];
          showError(t.retry);
          decorateAll();
          return;
        }
        delete busy[key];
        if (reply.ok && reply.paper_participant) {
          paperPeople.forEach(function (p) {
            if (p.id !== reply.paper_participant) { return; }
            p.mine[reply.stage] = reply.mine || {};
            p.remaining[reply.stage] = reply.remaining;
            p.remaining_by_family[reply.stage] = reply.by_family || null;
          });
          if (reply.votes !== null && reply.votes !== undefined) { counts[reply.stage][reply.target] = reply.votes; }
        } else if (reply.ok) {
          var s = reply.stage;
          mine[s] = reply.mine || {};
          left[s] = reply.remaining;
          byFamily[s] = reply.by_family || null;
          if (reply.votes !== null && reply.votes !== undefined) { counts[s][reply.target] = reply.votes; }
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
      totalsHidden = !!v.totals_hidden;
      counts = { table: v.counts.table || {}, plenary: v.counts.plenary || {} };
      mine = { table: v.mine.table || {}, plenary: v.mine.plenary || {} };
      left = { table: v.remaining.table, plenary: v.remaining.plenary };
      byFamily = { table: v.remaining_by_family.table, plenary: v.remaining_by_family.plenary };
      if (voting === "plenary") { plenary = snapshot.essentials || {}; }
      if (snapshot.paper_participants) { paperPeople = snapshot.paper_participants; }
      if (!actingPerson()) { acting = null; }
      decorateAll();
    }

    /* --- People without a phone (référent console): add one, pick whose dots to cast. ---------- */
    function renderPaper() {
      if (!paperBox) { return; }
      var open = voting !== "off";
      paperBox.hidden = !open;
      if (!open) { return; }
      var box = document.getElementById("paper-people");
      var focusedId = document.activeElement && box.contains(document.activeElement) ? document.activeElement.getAttribute("data-person") : null;
      box.textContent = "";
      paperPeople.forEach(function (p) {
        var n = p.remaining[stage()];
        var chip = Live.el("button", "button paper-person" + (p.id === acting ? " is-acting" : ""));
        chip.type = "button";
        chip.setAttribute("data-person", p.id);
        chip.setAttribute("aria-pressed", p.id === acting ? "true" : "false");
        chip.appendChild(Live.el("span", "paper-person-name", personName(p)));
        chip.appendChild(Live.el("span", "paper-person-left", Live.plural(n, pt.dots_left)));
        chip.addEventListener("click", function () {
          acting = acting === p.id ? null : p.id;
          decorateAll();
        });
        box.appendChild(chip);
      });
      var status = document.getElementById("paper-acting");
      var person = actingPerson();
      status.textContent = person ? fill(pt.acting, { name: personName(person) }) : (paperPeople.length ? pt.pick : pt.none);
      document.getElementById("paper-done").hidden = !person;
      paperBox.classList.toggle("is-acting", !!person);
      document.body.classList.toggle("is-paper-voting", !!person);
      if (focusedId) {
        var again = box.querySelector('[data-person="' + focusedId + '"]');
        if (again) { again.focus(); }
      }
    }

    if (paperBox) {
      document.getElementById("paper-add").addEventListener("submit", function (event) {
        event.preventDefault();
        var input = document.getElementById("paper-name");
        var error = document.getElementById("paper-error");
        error.hidden = true;
        if (!Live.current || !Live.current.state.joined) { return; }
        var payload = { client_id: Live.randomId() };
        if (input.value.trim()) { payload.name = input.value.trim(); }
        Live.current.request("participant:add_paper", payload, function (err, reply) {
          if (err || !reply.ok) {
            error.textContent = err ? t.retry : reply.error.message;
            error.hidden = false;
            return;
          }
          paperPeople.push(reply.participant);
          acting = reply.participant.id;  /* a person added is the one whose dots come next */
          input.value = "";
          decorateAll();
          var chip = document.querySelector('#paper-people [data-person="' + acting + '"]');
          if (chip) { chip.focus(); }
        });
      });
      document.getElementById("paper-done").addEventListener("click", function () {
        acting = null;
        decorateAll();
        document.getElementById("paper-name").focus();
      });
    }

    Live.onJoin(function (reply) { if (reply.snapshot) { load(reply.snapshot); } else { decorateAll(); } });
    Live.subscribe("vote:counts", function (message) {
      if (message.votes === null || message.votes === undefined) { return; }  /* hidden: not told */
      counts[message.stage][message.target] = message.votes;
      decorateAll();
    });
    /* The table vote is over: its totals, which were hidden, for this table. */
    Live.subscribe("votes:totals", function (message) {
      counts[message.stage] = Object.assign({}, message.counts || {});
      decorateAll();
    });
    Live.subscribe("step:changed", function (message) {
      var was = voting;
      voting = message.agenda.voting;
      var hide = !!message.agenda.totals_hidden;
      if (hide && !totalsHidden && isPhone) { counts.table = {}; }  /* back into a hidden vote */
      totalsHidden = hide;
      if (voting === "plenary" && was !== "plenary") { loadPlenary(); }
      decorateAll();
    });
    /* A merge, its undo, or cards joining a theme move dots between targets: the totals come in
       `vote:counts`, but whose dots moved only the server knows — ask for my own again (once for a
       burst of changes). */
    var refreshTimer = null;
    function refreshMine() {
      if (refreshTimer) { return; }
      refreshTimer = window.setTimeout(function () {
        refreshTimer = null;
        if (!Live.current || !Live.current.state.joined) { return; }
        Live.current.request("vote:mine", {}, function (err, reply) {
          if (err || !reply.ok) { return; }
          if (reply.paper_participants) { paperPeople = reply.paper_participants; }
          if (reply.mine) {
            mine = { table: reply.mine.table || {}, plenary: reply.mine.plenary || {} };
            left = { table: reply.remaining.table, plenary: reply.remaining.plenary };
            byFamily = { table: reply.remaining_by_family.table, plenary: reply.remaining_by_family.plenary };
          }
          if (!actingPerson()) { acting = null; }
          decorateAll();
        });
      }, 300);
    }
    var movesDots = isPhone || !!paperBox;
    Live.subscribe("card:updated", function (message) {
      if (movesDots && (message.merged || message.unmerged)) { refreshMine(); }
    });
    Live.subscribe("theme:created", function () { if (movesDots) { refreshMine(); } });
    Live.subscribe("theme:updated", function () { if (movesDots) { refreshMine(); } });
    Live.subscribe("essentials:changed", function (message) {
      plenary[String(message.group)] = message.essentials;
      if (voting === "plenary") { renderPlenary(); }
    });
    /* The page's script redraws cards (the whole list, or one card of a nested board): decorate the
       new items each time. */
    observer = Live.watchRedraws(list, decorateAll);
    window.Votes = { counts: function () { return counts; }, state: function () { return voting; } };
  }

  /* Deferred before live.js: wait until every deferred script has run. */
  if (document.readyState === "complete") { init(); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
