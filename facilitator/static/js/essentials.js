/* The référent's essentials: a "Keep" button on each card of the table, the kept cards family by
   family (reorder, remove), and "take them from the vote". Every change sends the family's whole
   ordered list (`essentials:set`); the server checks the limit and answers with the table's list.
   Plain ES2017; listens through Live.subscribe / Live.onJoin. */
(function () {
  "use strict";

  function init() {
    var Live = window.Live;
    var panel = document.getElementById("essentials-panel");
    var list = document.getElementById("cards");
    if (!Live || !panel || !list) { return; }
    var t = JSON.parse(panel.getAttribute("data-strings"));
    var families = Live.data.workshop.families;
    var limit = 3;            /* essentials_per_family, from the snapshot */
    var group = Live.data.group;
    var kept = [];            /* the table's essentials, as the server sent them */
    var votes = {};           /* target key -> dots at the table stage */

    function fill(text, values) {
      return text.replace(/\{(\w+)\}/g, function (_m, name) { return values[name]; });
    }
    function byId(id) { return document.getElementById(id); }
    function familyLabel(key) {
      var labels = Live.data.workshop.family_labels && Live.data.workshop.family_labels[key];
      return labels ? labels.label : key;
    }
    function inFamily(family) { return kept.filter(function (e) { return e.family === family; }); }
    function showError(message) {
      byId("essentials-error").textContent = message || "";
      byId("essentials-error").hidden = !message;
    }
    /* `kind`: "success" (done), or "warning" (done, but ties wait for the référent's choice). */
    function showNote(message, kind) {
      var note = byId("essentials-note");
      note.className = "essentials-note note note-" + (kind || "success");
      note.textContent = message || "";
      note.hidden = !message;
    }

    function send(family, targets) {
      showError("");
      Live.current.request("essentials:set", { family: family, targets: targets }, function (err, reply) {
        if (err) { showError(t.retry || "…"); return; }
        if (!reply.ok) { showError(reply.error.message); return; }
        kept = reply.essentials;
        render();
      });
    }

    /* A family's essentials as target keys ("card:12", "theme:3"), cards and themes in one order. */
    function idsOf(family) { return inFamily(family).map(function (e) { return e.target; }); }

    function toggle(target, family) {
      var ids = idsOf(family);
      var at = ids.indexOf(target);
      if (at >= 0) { ids.splice(at, 1); } else { ids.push(target); }
      send(family, ids);
    }

    function move(family, index, step) {
      var ids = idsOf(family);
      var other = index + step;
      if (other < 0 || other >= ids.length) { return; }
      var swap = ids[index]; ids[index] = ids[other]; ids[other] = swap;
      send(family, ids);
    }

    function iconButton(label, text, onClick) {
      var button = Live.el("button", "button icon-button", text);
      button.type = "button";
      button.setAttribute("aria-label", label);
      button.title = label;
      button.addEventListener("click", onClick);
      return button;
    }

    function renderPanel() {
      var box = byId("essentials-families");
      box.textContent = "";
      /* « Transverse » only once a theme is filed there (kept, or with its own « Garder » on the page). */
      var shown = families.slice();
      if (inFamily("transverse").length || list.querySelector('[data-family="transverse"]')) { shown.push("transverse"); }
      shown.forEach(function (family) {
        var items = inFamily(family);
        var section = Live.el("section", "essentials-family family-" + family);
        section.setAttribute("data-family", family);
        var head = Live.el("h3", "essentials-family-title");
        head.appendChild(Live.el("span", "family-chip family-" + family, familyLabel(family)));
        head.appendChild(Live.el("span", "muted", " " + fill(t.count, { n: items.length, limit: limit })));
        section.appendChild(head);
        if (!items.length) { section.appendChild(Live.el("p", "muted", t.none)); }
        var ol = Live.el("ol", "essentials-list");
        items.forEach(function (essential, index) {
          var li = Live.el("li", "essential" + (essential.theme_id ? " is-theme" : ""));
          li.setAttribute("data-target", essential.target);
          if (essential.theme_id) { li.appendChild(Live.el("span", "essential-kind", t.theme + " · ")); }
          li.appendChild(Live.el("span", "essential-text", essential.text));
          var n = votes[essential.target] !== undefined ? votes[essential.target] : essential.votes;
          li.appendChild(Live.el("span", "essential-votes", Live.plural(n, t.dots)));
          var tools = Live.el("span", "essential-tools");
          var up = iconButton(t.up, "↑", function () { move(family, index, -1); });
          up.disabled = index === 0;
          var down = iconButton(t.down, "↓", function () { move(family, index, 1); });
          down.disabled = index === items.length - 1;
          tools.appendChild(up);
          tools.appendChild(down);
          tools.appendChild(iconButton(t.remove, "✕", function () { toggle(essential.target, family); }));
          li.appendChild(tools);
          ol.appendChild(li);
        });
        section.appendChild(ol);
        box.appendChild(section);
      });
    }

    /* A card (data-card-id) or a theme's title row (data-theme-id): its own "Keep", never one of the
       buttons of the cards inside it. */
    function ownKeep(item) {
      for (var i = 0; i < item.children.length; i += 1) {
        if (item.children[i].classList.contains("keep-button")) { return item.children[i]; }
      }
      return null;
    }

    function decorate(item) {
      var target = item.getAttribute("data-card-id") ? "card:" + item.getAttribute("data-card-id")
        : (item.getAttribute("data-theme-id") ? "theme:" + item.getAttribute("data-theme-id") : null);
      var family = item.getAttribute("data-family");
      var button = ownKeep(item);
      if (!target || !family) { if (button) { button.remove(); } return; }
      if (button && button.getAttribute("data-for") !== target + "|" + family) { button.remove(); button = null; }
      if (!button) {
        button = Live.el("button", "button keep-button");
        button.type = "button";
        button.setAttribute("data-for", target + "|" + family);
        button.addEventListener("click", function () { toggle(target, family); });
        item.appendChild(button);
      }
      var isKept = kept.some(function (e) { return e.target === target; });
      button.textContent = isKept ? "★ " + t.kept : "☆ " + t.keep;
      button.setAttribute("aria-pressed", isKept ? "true" : "false");
      item.classList.toggle("is-essential", isKept);
    }

    var observer = null;
    function decorateCards() {
      Array.prototype.forEach.call(list.querySelectorAll("[data-card-id], [data-theme-id]"), decorate);
      if (observer) { observer.takeRecords(); }  /* our own changes are not a redraw */
    }

    function render() {
      panel.hidden = false;
      renderPanel();
      decorateCards();
    }

    byId("essentials-from-votes").addEventListener("click", function () {
      showError("");
      showNote("");
      Live.current.request("essentials:from_votes", {}, function (err, reply) {
        if (err) { return; }
        if (!reply.ok) { showError(reply.error.message); return; }
        kept = reply.essentials;
        var notes = [t.from_votes_done];
        Object.keys(reply.ties || {}).forEach(function (family) {
          var cards = reply.ties[family].map(function (e) { return "« " + e.text + " »"; }).join(", ");
          notes.push(fill(t.ties, { family: familyLabel(family), cards: cards }) + " (" + t.tie + ")");
        });
        showNote(notes.join(" "), notes.length > 1 ? "warning" : "success");
        render();
      });
    });

    Live.onJoin(function (reply) {
      if (reply.snapshot) {
        kept = (reply.snapshot.essentials || {})[String(group)] || [];
        votes = (reply.snapshot.votes && reply.snapshot.votes.counts.table) || {};
        limit = reply.snapshot.essentials_limit || limit;
      }
      render();
    });
    Live.subscribe("essentials:changed", function (message) {
      if (message.group !== group) { return; }
      kept = message.essentials;
      render();
    });
    Live.subscribe("vote:counts", function (message) {
      if (message.stage !== "table") { return; }
      votes[message.target] = message.votes;
      renderPanel();
    });
    observer = Live.watchRedraws(list, decorateCards);
  }

  /* Deferred before live.js: wait until every deferred script has run. */
  if (document.readyState === "complete") { init(); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
