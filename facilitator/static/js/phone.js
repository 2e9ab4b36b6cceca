/* The phone page (participant) and the référent console: join a table, post cards, see the table.
   Cards wait in an outbox in localStorage until the server acknowledges them, so a card typed in a
   Wi-Fi dead zone is sent when the phone reconnects, once (the server is idempotent on client_id). */
(function () {
  "use strict";
  var Live = window.Live;
  var data = Live.data;
  var t = data.t;
  var isReferent = data.role === "referent";
  var cards = {};           // id -> card
  var themes = {};          // id -> theme (titled group of the table's cards, made by the référent)
  var mine = JSON.parse(Live.storageGet(Live.key("mine")) || "[]");
  var outbox = JSON.parse(Live.storageGet(Live.key("outbox:" + data.role)) || "[]");
  var inFlight = {};
  var live = null;
  var joinInfo = JSON.parse(Live.storageGet(Live.key("join")) || "null");
  var token = isReferent ? Live.pageToken("referent") : null;

  // Refusals that say "not now" rather than "never": keep the card and send it after the next join.
  var RETRY_LATER = ["not_joined", "internal", "too_many_attempts", "rate_limited"];
  var retryTimer = null;
  var list = document.getElementById("cards");
  var form = document.getElementById("card-form");
  var textarea = document.getElementById("card-text");
  var counter = document.getElementById("card-counter");
  var cardError = document.getElementById("card-error");
  var editing = null;        // {id, draft}: the author editing their own card
  var confirmDelete = null;  // the card whose "Delete" was tapped once
  var composerLine = document.getElementById("composer-closed");
  var composerClosed = false; // no family open now (agenda.js says so with "posting:changed")
  var openFamilies = null;    // the families open now; null until the agenda says (free mode: all)
  var focusInForm = false;    // the last focus went into the composer (a disabled field may lose it)

  function saveOutbox() { Live.storageSet(Live.key("outbox:" + data.role), JSON.stringify(outbox)); }

  /* The text being typed survives a closed step and a reload: kept in localStorage until it is sent. */
  function draftKey() { return Live.key("draft:" + data.role); }
  function saveDraft() {
    var checked = form.querySelector("input[name=family]:checked");
    Live.storageSet(draftKey(), textarea.value ? JSON.stringify({ text: textarea.value, family: checked ? checked.value : null }) : null);
  }
  function restoreDraft() {
    var draft = null;
    try { draft = JSON.parse(Live.storageGet(draftKey()) || "null"); } catch (e) { draft = null; }
    if (!draft || !draft.text || textarea.value) { return; }
    textarea.value = draft.text;
    var radio = draft.family ? form.querySelector('input[name=family][value="' + draft.family + '"]') : null;
    if (radio && !radio.disabled) { radio.checked = true; }
  }
  /* A refused card goes back into the text box (after what is there), never lost. */
  function giveBack(text) {
    textarea.value = textarea.value ? textarea.value.replace(/\s+$/, "") + "\n" + text : text;
    updateCounter();
    saveDraft();
    updateComposer();
  }

  /* Nothing can be posted: the composer folds into one line (the step bar says why); the text being
     typed stays in the text box, hidden, and the line says so. It unfolds when a family opens. */
  function updateComposer() {
    if (!composerLine) { return; }
    var active = document.activeElement;
    var hadFocus = active !== composerLine && (form.contains(active) || ((!active || active === document.body) && focusInForm));
    var lineHadFocus = document.activeElement === composerLine;
    form.classList.toggle("is-folded", composerClosed);
    form.classList.toggle("has-draft", !!textarea.value.trim());
    composerLine.hidden = !composerClosed;
    composerLine.textContent = textarea.value.trim() ? t.draft_kept : t.composer_closed;
    if (composerClosed && hadFocus) { composerLine.focus(); }
    if (!composerClosed && lineHadFocus) {
      var checked = form.querySelector("input[name=family]:checked");
      if (checked) { checked.focus(); }
    }
    render();
  }
  function saveMine() { Live.storageSet(Live.key("mine"), JSON.stringify(mine.slice(-500))); }

  /* « Table 3 — Relais territoriaux », as the join page's picker says it (participant.html). */
  function tableLabel(number, name) {
    var plain = t.table_n.replace("{n}", number);
    if (!name || name === plain || name === "Table " + number) { return plain; }
    return t.table_named.replace("{n}", number).replace("{name}", name);
  }

  function familyLabel(key) {
    var labels = data.workshop.family_labels[key];
    return labels ? labels.label : key;
  }

  function cardItem(card, pending) {
    var item = Live.el("li", "phone-card family-" + card.family);
    item.setAttribute("data-family", card.family);
    var head = Live.el("div", "card-meta");
    head.appendChild(Live.el("span", "family-chip family-" + card.family, familyLabel(card.family)));
    var who = [];
    if (card.author) { who.push(card.author); }
    if (card.organisation) { who.push(card.organisation); }
    if (card.source === "paper") { who.push(t.paper); }
    if (who.length) { head.appendChild(Live.el("span", "card-author", who.join(" · "))); }
    if (pending) {
      head.appendChild(Live.el("span", "card-state pending", t.pending));
      item.classList.add("is-pending");
    } else if (mine.indexOf(card.id) >= 0) {
      head.appendChild(Live.el("span", "card-state sent", t.mine + " ✓"));
      item.classList.add("is-mine");
    }
    if (card.sealed) {
      head.appendChild(Live.el("span", "card-state sealed", "🔒 " + t.sealed));
      item.classList.add("is-sealed");  /* not revealed yet: no dots (votes.js), the server refuses them */
    }
    if (card.status === "hidden") {
      head.appendChild(Live.el("span", "card-state hidden-badge", t.hidden_by_referent));
      item.classList.add("is-hidden");  /* its author's eyes only: no dots (votes.js) */
    }
    item.appendChild(head);
    if (!pending && editing && editing.id === card.id) {
      item.appendChild(editForm(card));
      return item;
    }
    item.appendChild(Live.el("p", "card-text", card.text));
    /* Edit and delete only while the card's family is open: the server refuses them otherwise. */
    var editable = openFamilies === null || openFamilies.indexOf(card.family) >= 0;
    if (!pending && editable && card.status === "visible" && mine.indexOf(card.id) >= 0) { item.appendChild(ownActions(card)); }
    return item;
  }

  /* The author's own card: edit or delete it while its family is open (the server says when not). */
  function ownActions(card) {
    var row = Live.el("div", "own-actions");
    var edit = Live.el("button", "button small", "✏️ " + t.edit);
    edit.type = "button";
    edit.setAttribute("data-action", "edit");
    edit.addEventListener("click", function () {
      editing = { id: card.id, draft: card.text };
      confirmDelete = null;
      render();
      var area = list.querySelector('[data-card-id="' + card.id + '"] textarea');
      if (area) { area.focus(); }
    });
    var confirming = confirmDelete === card.id;
    var remove = Live.el("button", "button small" + (confirming ? " danger" : ""), confirming ? t.confirm_delete : t.delete);
    remove.type = "button";
    remove.setAttribute("data-action", "delete");
    remove.addEventListener("click", function () {
      if (confirmDelete !== card.id) {
        confirmDelete = card.id;
        render();
        var again = list.querySelector('[data-card-id="' + card.id + '"] [data-action="delete"]');
        if (again) { again.focus(); }
        return;
      }
      confirmDelete = null;
      moderate("card:delete", { card_id: card.id });
    });
    row.appendChild(edit);
    row.appendChild(remove);
    return row;
  }

  function editForm(card) {
    var form = Live.el("form", "edit-form");
    var label = Live.el("label", "visually-hidden", t.edit);
    label.setAttribute("for", "edit-" + card.id);
    var area = Live.el("textarea");
    area.id = "edit-" + card.id;
    area.rows = 3;
    area.value = editing.draft;
    /* No maxLength here either: a long paste is kept and the line under it says how much to cut. */
    var note = Live.el("p", "muted edit-counter");
    note.id = "edit-counter-" + card.id;
    note.setAttribute("aria-live", "polite");
    area.setAttribute("aria-describedby", note.id);
    function updateNote() {
      var over = tooLong(area.value);
      note.textContent = lengthNote(area.value);
      note.classList.toggle("over", over);
      area.setAttribute("aria-invalid", over ? "true" : "false");
      ok.disabled = over;
    }
    area.addEventListener("input", function () { editing.draft = area.value; updateNote(); });
    area.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { editing = null; render(); }
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); save(); }
    });
    function save() {
      var text = area.value.trim();
      if (!text || tooLong(text)) { area.focus(); return; }
      editing = null;
      moderate("card:edit", { card_id: card.id, text: text });
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); save(); });
    var row = Live.el("div", "own-actions");
    var ok = Live.el("button", "button small primary", t.save);
    ok.type = "submit";
    var cancel = Live.el("button", "button small link", t.cancel);
    cancel.type = "button";
    cancel.addEventListener("click", function () { editing = null; render(); });
    row.appendChild(ok);
    row.appendChild(cancel);
    form.appendChild(label);
    form.appendChild(area);
    form.appendChild(note);
    form.appendChild(row);
    updateNote();
    return form;
  }

  /* An edit or a deletion, with a client_id: a retry after a lost ack is applied once. */
  function moderate(event, payload, attempt) {
    attempt = attempt || 0;
    if (!payload.client_id) { payload.client_id = Live.randomId(); }
    showCardError("");
    var retry = function () { if (attempt < 5) { window.setTimeout(function () { moderate(event, payload, attempt + 1); }, 2000); } };
    if (!live || !live.state.joined) { retry(); render(); return; }
    live.request(event, payload, function (err, reply) {
      if (err || (!reply.ok && RETRY_LATER.indexOf(reply.error.code) >= 0)) { retry(); return; }
      if (reply.ok) { cards[reply.card.id] = reply.card; } else { showCardError(reply.error.message); }
      render();
    });
    render();
  }

  /* Others' hidden, merged and deleted cards are not shown; the author still sees their hidden card. */
  function shown(card) {
    if (card.status === "visible") { return true; }
    return card.status === "hidden" && mine.indexOf(card.id) >= 0;
  }

  function render() {
    list.textContent = "";
    outbox.forEach(function (entry) {
      var item = cardItem(entry, true);
      item.setAttribute("data-client-id", entry.client_id);
      list.appendChild(item);
    });
    var all = Object.keys(cards).map(function (id) { return cards[id]; })
      .filter(shown)
      .sort(function (a, b) { return b.seq - a.seq; });
    function add(parent, card) {
      var item = cardItem(card, false);
      item.setAttribute("data-card-id", card.id);
      parent.appendChild(item);
    }
    /* Themes first (title, then its cards), then the cards in no theme. The title row carries
       data-theme-id and not the cards, so votes.js gives the theme its own (+)/(−). */
    Object.keys(themes).map(function (id) { return themes[id]; })
      .sort(function (a, b) { return a.id - b.id; })
      .forEach(function (theme) {
        var inside = all.filter(function (card) { return card.theme === theme.id; });
        if (!inside.length) { return; }  /* nothing to read (or vote on) in a theme of removed cards */
        var group = Live.el("li", "phone-theme");
        var head = Live.el("div", "phone-theme-head");
        head.setAttribute("data-theme-id", theme.id);
        var title = Live.el("h3", "phone-theme-title");
        title.appendChild(Live.el("span", "theme-kicker", t.theme + " · "));
        title.appendChild(Live.el("span", "theme-name", theme.title));
        head.appendChild(title);
        group.appendChild(head);
        var members = Live.el("ol", "phone-cards phone-theme-cards");
        inside.forEach(function (card) { add(members, card); });
        group.appendChild(members);
        list.appendChild(group);
      });
    all.filter(function (card) { return !(card.theme && themes[card.theme]); }).forEach(function (card) { add(list, card); });
    var count = Object.keys(cards).filter(function (id) { return shown(cards[id]); }).length;
    document.getElementById("card-count").textContent = count ? "(" + count + ")" : "";
    var none = document.getElementById("no-cards");
    none.hidden = count + outbox.length > 0;
    /* "Be the first!" only while a card can be posted. */
    if (!none.hidden && !isReferent) { none.textContent = composerClosed ? t.empty_closed : t.empty; }
    saveView();
  }

  /* The line under the composer: an error (refused, too long), or `kind` "info" for news that lost
     nothing (a resend kept the first text: this one is back in the box). */
  function showCardError(message, kind) {
    cardError.className = kind === "info" ? "note note-info" : "error note note-error";
    cardError.removeAttribute("data-reason");
    cardError.textContent = message || "";
    cardError.hidden = !message;
  }

  function flush() {
    if (!live || !live.state.joined) { return; }
    outbox.forEach(function (entry) {
      if (inFlight[entry.client_id]) { return; }
      inFlight[entry.client_id] = true;
      live.request("card:add", { client_id: entry.client_id, family: entry.family, text: entry.text }, function (err, reply) {
        delete inFlight[entry.client_id];
        // No answer, or the connection was not ready: the card stays in the outbox and goes again
        // (same client_id, so the server stores it once).
        if (err) { retryLater(3); return; }
        if (!reply.ok && RETRY_LATER.indexOf(reply.error.code) >= 0) {
          retryLater((reply.error.details && reply.error.details.retry_after) || 3);
          return;
        }
        outbox = outbox.filter(function (other) { return other.client_id !== entry.client_id; });
        saveOutbox();
        if (reply.ok) {
          mine.push(reply.card.id);
          saveMine();
          cards[reply.card.id] = reply.card;
          /* A resend answered with a card of another text (docs/protocol.md): never lose this one. */
          if (reply.text_differs) { showCardError(t.text_differs, "info"); giveBack(entry.text); }
        } else {
          showCardError(reply.error.message);
          giveBack(entry.text);
        }
        render();
      });
    });
  }

  /* One timer for the whole outbox: a burst of refusals schedules one retry, not one each. */
  function retryLater(seconds) {
    if (retryTimer) { return; }
    retryTimer = window.setTimeout(function () { retryTimer = null; flush(); }, seconds * 1000);
  }

  /* Characters as the server counts them (code points, spaces around trimmed). */
  function textLength(text) { return Array.from(text.trim()).length; }
  function tooLong(text) { return textLength(text) > data.text_limit; }
  /* « 12 caractères restants », or past the limit « 312 / 280 — raccourcissez de 32 caractères ». */
  function lengthNote(text) {
    var length = textLength(text);
    var left = data.text_limit - length;
    if (left >= 0) { return Live.plural(left, t.characters_left); }
    return Live.plural(-left, t.too_long).replace("{count}", length).replace("{limit}", data.text_limit);
  }

  /* A paste past the limit is kept whole (no maxlength): the counter says by how much to shorten it
     and the send button waits, so nothing is ever cut without the author knowing. */
  function updateCounter() {
    var over = tooLong(textarea.value);
    counter.textContent = lengthNote(textarea.value);
    counter.classList.toggle("over", over);
    textarea.setAttribute("aria-invalid", over ? "true" : "false");
    var send = document.getElementById("send-card");
    if (send) { send.disabled = over || textarea.disabled; }
    if (!over && cardError.getAttribute("data-reason") === "too_long") { showCardError(""); }
  }

  function submitCard(event) {
    if (event) { event.preventDefault(); }
    var text = textarea.value.trim();
    var family = form.querySelector("input[name=family]:checked").value;
    showCardError("");
    if (!text) { textarea.focus(); return; }
    if (tooLong(text)) {
      showCardError(t.too_long_send);
      cardError.setAttribute("data-reason", "too_long");
      textarea.focus();
      return;
    }
    outbox.push({ client_id: Live.randomId(), family: family, text: text });
    saveOutbox();
    textarea.value = "";
    updateCounter();
    saveDraft();
    render();
    flush();
    textarea.focus();
  }

  function onEvent(message) {
    if (message.type === "card:added") {
      cards[message.card.id] = message.card;
      render();
    }
    if (message.type === "card:updated") {
      cards[message.card.id] = message.card;
      (message.merged || []).forEach(function (card) { cards[card.id] = card; });
      render();
    }
    if (message.type === "cards:revealed") {
      message.cards.forEach(function (card) { cards[card.id] = card; });
      render();
    }
  }

  /* The table's page: the join form away, the composer, the table's cards. */
  function showTable(number) {
    document.getElementById("join-section").hidden = true;
    document.getElementById("post-section").hidden = false;
    var group = data.workshop.groups.filter(function (g) { return g.number === number; })[0];
    var badge = document.getElementById("table-badge");
    badge.textContent = tableLabel(number, group ? group.name : "");
    badge.hidden = false;
    var referentTable = document.getElementById("referent-table");
    if (referentTable && group) { referentTable.textContent = group.name; }
  }

  /* The table's cards as last received, for a reload without network (the service worker serves the
     page, this its content): shown, marked offline, until the join's snapshot replaces them. */
  function viewKey() { return Live.key("view:" + data.role); }
  function saveView() {
    if (isReferent || !live || !live.state.joined || !joinInfo) { return; }
    var kept = Object.keys(cards).map(function (id) { return cards[id]; }).filter(shown).slice(-300);
    var keptThemes = Object.keys(themes).map(function (id) { return themes[id]; });
    Live.storageSet(viewKey(), JSON.stringify({ group: joinInfo.group, cards: kept, themes: keptThemes }));
  }
  function restoreView(number) {
    var view = null;
    try { view = JSON.parse(Live.storageGet(viewKey()) || "null"); } catch (e) { view = null; }
    if (!view || view.group !== number) { return; }
    (view.cards || []).forEach(function (card) { cards[card.id] = card; });
    (view.themes || []).forEach(function (theme) { themes[theme.id] = theme; });
  }

  function onJoined(reply) {
    if (reply.participant_token) {
      joinInfo = Object.assign({}, joinInfo || {}, { participant_token: reply.participant_token, group: reply.group });
      Live.storageSet(Live.key("join"), JSON.stringify(joinInfo));
    }
    showTable(reply.group);
    cards = {};
    reply.snapshot.cards.forEach(function (card) { cards[card.id] = card; });
    themes = {};
    (reply.snapshot.themes || []).forEach(function (theme) { themes[theme.id] = theme; });
    render();
    flush();
  }

  /* A theme event carries the theme with the ids of its cards: each card's `theme` follows it. */
  function applyTheme(message, gone) {
    var theme = message.theme;
    if (gone) { delete themes[theme.id]; } else { themes[theme.id] = theme; }
    Object.keys(cards).forEach(function (id) {
      var card = cards[id];
      if (!gone && theme.cards.indexOf(card.id) >= 0) { card.theme = theme.id; } else if (card.theme === theme.id) { card.theme = null; }
    });
    render();
  }
  Live.subscribe("theme:created", function (message) { applyTheme(message, false); });
  Live.subscribe("theme:updated", function (message) { applyTheme(message, false); });
  Live.subscribe("theme:dissolved", function (message) { applyTheme(message, true); });

  function onJoinError(error) {
    var node = document.getElementById("join-error");
    document.getElementById("join-section").hidden = false;
    document.getElementById("post-section").hidden = true;
    node.textContent = t.join_error + " : " + error.message;
    node.hidden = false;
    if (error.code === "unknown_group" || error.code === "group_required" || error.code === "table_full") {
      joinInfo = null;
      Live.storageSet(Live.key("join"), null);
      document.getElementById("group-field").hidden = false;
    }
  }

  function payload() {
    if (isReferent) { return { code: data.code, role: "referent", token: token, group: data.group }; }
    var body = { code: data.code, role: "participant" };
    if (joinInfo) {
      if (joinInfo.participant_token) { body.participant_token = joinInfo.participant_token; }
      if (joinInfo.group) { body.group = joinInfo.group; }
      if (joinInfo.name) { body.name = joinInfo.name; }
      if (joinInfo.organisation) { body.organisation = joinInfo.organisation; }
    }
    return body;
  }

  function start() {
    if (live) { live.join(); return; }
    live = Live.connect({
      payload: payload, onJoined: onJoined, onResumed: flush, onEvent: onEvent, onJoinError: onJoinError
    });
  }

  document.getElementById("join-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var checked = document.querySelector("input[name=group]:checked");
    var nameField = document.getElementById("name");
    var organisationField = document.getElementById("organisation");  /* not asked when anonymous */
    var info = {
      participant_token: joinInfo && joinInfo.participant_token,
      group: data.group || (checked ? parseInt(checked.value, 10) : null),
      name: nameField && nameField.value.trim() ? nameField.value.trim() : null,
      organisation: organisationField && organisationField.value ? organisationField.value : null
    };
    if (!info.group) { document.getElementById("group-field").hidden = false; return; }
    joinInfo = info;
    Live.storageSet(Live.key("join"), JSON.stringify(joinInfo));
    document.getElementById("join-error").hidden = true;
    start();
  });

  var otherTable = document.getElementById("other-table");
  if (otherTable) {
    otherTable.addEventListener("click", function (event) {
      event.preventDefault();
      data.group = null;
      document.getElementById("group-field").hidden = false;
      otherTable.parentNode.hidden = true;
    });
  }

  form.addEventListener("submit", submitCard);
  textarea.addEventListener("input", function () { updateCounter(); saveDraft(); });
  document.addEventListener("focusin", function (event) { focusInForm = form.contains(event.target); });
  if (composerLine) {
    form.addEventListener("posting:changed", function (event) {
      composerClosed = !!event.detail.closed;
      openFamilies = event.detail.open;
      updateComposer();
      updateCounter();  /* agenda.js enabled "Send": it still waits for a text too long */
    });
  }
  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { submitCard(event); }
  });
  Array.prototype.forEach.call(form.querySelectorAll("input[name=family]"), function (radio) {
    radio.addEventListener("change", function () {
      var hint = data.workshop.family_labels[radio.value];
      textarea.placeholder = hint ? hint.hint : "";
      if (textarea.value) { saveDraft(); }
      if (!composerClosed) { textarea.focus(); }
    });
  });
  restoreDraft();
  updateCounter();

  /* The service worker that serves this page when a reload finds no network (phone_sw.js). Browsers
     run workers only on https or localhost: on a plain-http venue LAN the page works as before. */
  if (data.service_worker && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(data.service_worker, { scope: data.service_worker.replace(/[^/]*$/, "") })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        var urls = [window.location.href];
        Array.prototype.forEach.call(document.querySelectorAll("script[src], link[rel=stylesheet][href]"), function (node) {
          urls.push(node.src || node.href);
        });
        if (registration.active) { registration.active.postMessage({ type: "keep", urls: urls }); }
      })
      .catch(function () { /* no worker: a reload offline shows the browser's page, nothing is lost */ });
  }

  /* Someone who already joined this workshop on this phone goes straight back to their table, unless
     the QR code of another table was scanned. */
  if (isReferent) {
    start();
  } else if (joinInfo && joinInfo.participant_token && (!data.group || data.group === joinInfo.group)) {
    /* Back at my table at once, even without network: my cards waiting in the outbox are in sight. */
    showTable(joinInfo.group);
    restoreView(joinInfo.group);
    render();
    start();
  } else if (joinInfo && data.group && data.group !== joinInfo.group) {
    joinInfo.group = data.group;
  }
})();
