/* The projected board and the facilitator console: every table's cards live, counts, a table filter. */
(function () {
  "use strict";
  var Live = window.Live;
  var data = Live.data;
  var t = data.t;
  var token = Live.pageToken(data.role);
  var cards = {};
  var participants = {};
  var filter = null;
  var groupNames = {};
  data.workshop.groups.forEach(function (g) { groupNames[g.number] = g.name; });

  function cardItem(card) {
    var item = Live.el("li", "board-card family-" + card.family);
    item.setAttribute("data-card-id", card.id);
    item.setAttribute("data-group", card.group);
    item.appendChild(Live.el("p", "card-text", card.text));
    var meta = Live.el("p", "card-meta");
    meta.appendChild(Live.el("span", "table-chip", t.table + " " + card.group));
    var who = [];
    if (card.author) { who.push(card.author); }
    if (card.organisation) { who.push(card.organisation); }
    if (card.source === "paper") { who.push(t.paper); }
    if (who.length) { meta.appendChild(Live.el("span", "card-author", who.join(" · "))); }
    item.appendChild(meta);
    return item;
  }

  function visible(card) { return filter === null || card.group === filter; }

  function updateCounts() {
    var byFamily = {};
    var byGroup = {};
    var total = 0;
    Object.keys(cards).forEach(function (id) {
      var card = cards[id];
      byGroup[card.group] = (byGroup[card.group] || 0) + 1;
      if (visible(card)) { byFamily[card.family] = (byFamily[card.family] || 0) + 1; total += 1; }
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-count-family]"), function (node) {
      node.textContent = byFamily[node.getAttribute("data-count-family")] || 0;
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-count-group]"), function (node) {
      node.textContent = byGroup[node.getAttribute("data-count-group")] || 0;
    });
    var people = 0;
    Object.keys(participants).forEach(function (g) {
      if (filter === null || parseInt(g, 10) === filter) { people += participants[g]; }
    });
    document.getElementById("total-cards").textContent = total;
    document.getElementById("total-people").textContent = people;
  }

  function renderAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-cards-family]"), function (column) {
      column.textContent = "";
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

  function addCard(card) {
    var known = cards[card.id];
    cards[card.id] = card;
    if (!known && visible(card)) {
      var column = document.querySelector('[data-cards-family="' + card.family + '"]');
      if (column) {
        var item = cardItem(card);
        item.classList.add("is-new");
        column.insertBefore(item, column.firstChild);
      }
    }
    updateCounts();
  }

  Array.prototype.forEach.call(document.querySelectorAll(".filter-button"), function (button) {
    button.addEventListener("click", function () {
      var value = button.getAttribute("data-group");
      filter = value ? parseInt(value, 10) : null;
      Array.prototype.forEach.call(document.querySelectorAll(".filter-button"), function (other) {
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
      renderAll();
    });
  });

  Live.connect({
    payload: function () { return { code: data.code, role: data.role, token: token }; },
    onJoined: function (reply) {
      cards = {};
      reply.snapshot.cards.forEach(function (card) { cards[card.id] = card; });
      participants = {};
      Object.keys(reply.snapshot.participants).forEach(function (g) { participants[g] = reply.snapshot.participants[g]; });
      renderAll();
    },
    onEvent: function (message) {
      if (message.type === "card:added") { addCard(message.card); }
      if (message.type === "cards:revealed") { message.cards.forEach(addCard); }
      if (message.type === "participants:count") {
        participants[message.group] = message.participants;
        updateCounts();
      }
    },
    onJoinError: function (error) {
      var status = document.getElementById("status");
      status.textContent = error.message;
      status.className = "status status-error";
    }
  });
})();
