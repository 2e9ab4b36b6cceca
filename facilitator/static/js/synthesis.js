/* The synthesis editor (/f/<code>/synthese): the report's cross-table themes, read and edited through
   /api/workshops/<code>/synthesis with the facilitator token kept by the console (never in a URL).
   Every answer carries the whole synthesis: the page redraws from it. Text goes in with textContent.
   Live: the page joins as the facilitator; a `synthesis:changed` it did not cause (a higher `seq` than
   its last answer) makes it read the synthesis again and redraw, keeping what is being typed, ticked
   and focused. "Show on the board" projects it (POST …/synthesis/projection). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  if (!window.fetch || !window.Live) { return; }
  var Live = window.Live;
  var data = Live.data;
  var t = data.t;
  var labels = (data.workshop && data.workshop.family_labels) || {};
  var token = Live.pageToken("facilitator");
  var list = document.getElementById("synth-themes");
  var statusNode = document.getElementById("synth-status");
  var errorNode = document.getElementById("synth-error");
  var mergeForm = document.getElementById("synth-merge");
  var mergeInto = document.getElementById("merge-into");
  var mergeFrom = document.getElementById("merge-from");
  var proposeButton = document.getElementById("synth-propose");
  var replaceBox = document.getElementById("synth-replace");
  var projectButton = document.getElementById("synth-project");
  var projectedNote = document.getElementById("synth-projected");
  var remoteNode = document.getElementById("synth-remote");
  var state = null;
  var busy = false;
  var seen = 0;       /* the seq of the last answer: our own changes are not news */
  var pending = 0;    /* a change by someone else arrived during our own call */

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (all, name) {
      return values[name] !== undefined ? values[name] : all;
    });
  }
  function el(tag, className, text) { return Live.el(tag, className, text); }

  function say(message) { statusNode.textContent = message || ""; }
  function fail(message) { errorNode.textContent = t.failed + " " + message; }

  function setBusy(on) {
    busy = on;
    document.body.setAttribute("aria-busy", on ? "true" : "false");
    Array.prototype.forEach.call(document.querySelectorAll(".synth button, .synth select, .synth input"), function (node) {
      if (node.id !== "synth-back") { node.disabled = on; }
    });
    if (!on && state) { renderProjection(); }
  }

  /* One call to the API; `after(listing)` runs on success, once the page is redrawn. */
  function call(method, path, body, message, after) {
    if (busy) { return; }
    errorNode.textContent = "";
    remoteNode.textContent = "";
    say(message || t.saving);
    setBusy(true);
    var options = {
      method: method,
      credentials: "omit",
      cache: "no-store",
      headers: {
        "Authorization": "Bearer " + (token || ""),
        "Accept-Language": document.documentElement.lang || "fr"
      }
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    window.fetch("/api/workshops/" + encodeURIComponent(data.code) + "/synthesis" + path, options).then(function (response) {
      return response.json().then(function (reply) {
        setBusy(false);
        if (response.ok && reply.ok) {
          state = reply;
          if (reply.seq > seen) { seen = reply.seq; }
          render();
          if (after) { after(reply); }
        } else {
          say("");
          fail(reply && reply.error ? reply.error.message : String(response.status));
        }
        catchUp();
      }, function () { setBusy(false); say(""); fail(String(response.status)); catchUp(); });
    }, function () {
      setBusy(false);
      say("");
      fail(t.network);
      catchUp();
    });
  }

  /* ---- Live: someone else's change (another organiser, the console's projection button) ---- */
  function catchUp() {
    if (pending > seen) { pending = 0; refresh(); }
  }

  /* Read the synthesis again without disabling anything (the organiser may be typing). */
  function refresh() {
    window.fetch("/api/workshops/" + encodeURIComponent(data.code) + "/synthesis", {
      credentials: "omit",
      cache: "no-store",
      headers: { "Authorization": "Bearer " + (token || ""), "Accept-Language": document.documentElement.lang || "fr" }
    }).then(function (response) { return response.json(); }).then(function (reply) {
      if (!reply || !reply.ok) { return; }
      if (busy) { pending = Math.max(pending, reply.seq || 0); return; }  /* our own answer is on its way */
      state = reply;
      if (reply.seq > seen) { seen = reply.seq; }
      renderKeeping();
      remoteNode.textContent = t.remote;
    }, function () { /* offline: the next change or rejoin tries again */ });
  }

  function changed(message) {
    if (!(message.seq > seen)) { return; }
    if (busy || !state) { pending = Math.max(pending, message.seq); return; }
    refresh();
  }

  /* Redraw and give back what the organiser was doing: typed titles, ticked cards, a chosen theme, focus. */
  function renderKeeping() {
    var typed = {};
    var ticked = {};
    var chosen = {};
    Array.prototype.forEach.call(document.querySelectorAll(".synth-themes input[type=text], .synth-unassigned input[type=text]"), function (input) {
      if (input.value !== input.defaultValue) { typed[input.id] = input.value; }
    });
    Array.prototype.forEach.call(document.querySelectorAll(".synth input[type=checkbox]:checked"), function (box) {
      if (box.id) { ticked[box.id] = true; }
    });
    Array.prototype.forEach.call(document.querySelectorAll(".synth-move select"), function (select) {
      if (select.value) { chosen[select.id] = select.value; }
    });
    var active = document.activeElement;
    var focusId = active && active.id && list.parentNode.contains(active) ? active.id : null;
    var selection = null;
    if (focusId && active.tagName === "INPUT" && active.type === "text") {
      selection = [active.selectionStart, active.selectionEnd];
    }
    render();
    Object.keys(typed).forEach(function (id) {
      var input = document.getElementById(id);
      if (input) { input.value = typed[id]; }
    });
    Object.keys(ticked).forEach(function (id) {
      var box = document.getElementById(id);
      if (box) { box.checked = true; }
    });
    Object.keys(chosen).forEach(function (id) {
      var select = document.getElementById(id);
      if (!select) { return; }
      select.dispatchEvent(new Event("focus"));  /* lists its themes */
      select.value = chosen[id];
    });
    if (focusId) {
      var node = document.getElementById(focusId);
      if (node) {
        node.focus();
        if (selection && node.setSelectionRange) { node.setSelectionRange(selection[0], selection[1]); }
      }
    }
  }

  function renderProjection() {
    var on = !!state.projected;
    projectButton.textContent = projectButton.getAttribute(on ? "data-stop" : "data-start");
    projectButton.classList.toggle("is-on", on);
    projectButton.disabled = busy || (!on && !state.themes.length);
    projectedNote.hidden = !on;
  }

  function provenance(theme) {
    var n = theme.tables.length;
    if (n === 0) { return t.raised_none; }
    var text = fill(Live.plural(n, t.raised), { total: state.total_tables });
    return text + " (" + fill(Live.plural(n, t.tables_list), { list: theme.tables.join(", ") }) + ")";
  }

  /* Where the theme comes from and what persons did with it, as the compte rendu says it. */
  function history(theme) {
    if (theme.origin === "table") { return fill(t.by_table, { n: theme.proposed_by }); }
    if (theme.origin === "facilitator") { return t.by_hand; }
    if (theme.renamed && theme.regrouped) { return t.by_machine_both; }
    if (theme.renamed) { return t.by_machine_renamed; }
    if (theme.regrouped) { return t.by_machine_regrouped; }
    return t.by_machine;
  }

  function familyLabel(key) { return labels[key] ? labels[key].label : key; }

  function moveControl(card, currentThemeId) {
    var box = el("div", "synth-move");
    var label = el("label", "visually-hidden", t.move_label);
    var select = el("select");
    select.id = "move-" + card.id;
    label.htmlFor = select.id;
    select.appendChild(new Option(t.move_to, ""));
    /* The themes are listed when the control is reached (focus comes first, with the keyboard, a click
       or a touch): a thousand cards × a hundred themes would otherwise be 100,000 options per redraw. */
    var filled = false;
    function fillThemes() {
      if (filled) { return; }
      filled = true;
      state.themes.forEach(function (theme) {
        if (theme.id !== currentThemeId) { select.appendChild(new Option(theme.title, String(theme.id))); }
      });
    }
    select.addEventListener("focus", fillThemes);
    select.addEventListener("mousedown", fillThemes);
    select.addEventListener("touchstart", fillThemes);
    var button = el("button", "button small", t.move);
    button.type = "button";
    button.setAttribute("data-move", String(card.id));
    button.addEventListener("click", function () {
      if (!select.value) { errorNode.textContent = t.choose_theme; select.focus(); return; }
      var target = Number(select.value);
      call("POST", "/move", { card: card.id, theme: target }, null, function () {
        say(t.moved);
        focusTheme(currentThemeId !== null && findTheme(currentThemeId) ? currentThemeId : target);
      });
    });
    box.appendChild(label);
    box.appendChild(select);
    box.appendChild(button);
    return box;
  }

  function cardItem(card, themeId) {
    var item = el("li", "synth-card family-" + card.family);
    item.setAttribute("data-card-id", String(card.id));
    var text = el("span", "synth-card-text", card.text);
    var meta = el("span", "synth-card-meta", fill(t.table_n, { n: card.group }) + " · " + familyLabel(card.family));
    if (themeId !== null) {
      var box = el("input");
      box.type = "checkbox";
      box.id = "pick-" + card.id;
      box.value = String(card.id);
      var label = el("label", "synth-pick");
      label.htmlFor = box.id;
      label.appendChild(text);
      label.appendChild(meta);
      var row = el("div", "synth-card-row");
      row.appendChild(box);
      row.appendChild(label);
      item.appendChild(row);
    } else {
      item.appendChild(text);
      item.appendChild(meta);
    }
    item.appendChild(moveControl(card, themeId));
    return item;
  }

  function inlineForm(className, inputId, labelText, value, buttonText, submit) {
    var form = el("form", className);
    var label = el("label", null, labelText);
    var input = el("input");
    input.id = inputId;
    input.type = "text";
    input.maxLength = 200;
    input.defaultValue = value || "";  /* what the server says: a different value is being typed */
    input.value = value || "";
    label.htmlFor = input.id;
    var row = el("div", "synth-inline");
    var button = el("button", "button", buttonText);
    button.type = "submit";
    row.appendChild(input);
    row.appendChild(button);
    form.appendChild(label);
    form.appendChild(row);
    form.addEventListener("submit", function (event) { event.preventDefault(); submit(input); });
    return form;
  }

  function themeItem(theme, index) {
    var item = el("li", "synth-theme");
    item.setAttribute("data-theme-id", String(theme.id));
    var head = el("div", "synth-theme-head");
    var title = el("h2", "synth-title", theme.title);
    title.id = "theme-title-" + theme.id;
    title.tabIndex = -1;
    head.appendChild(title);
    var facts = el("p", "synth-provenance", provenance(theme) + " · " +
      Live.plural(theme.cards.length, t.cards_n));
    head.appendChild(facts);
    head.appendChild(el("span", (theme.edited ? "synth-edited " : "") + "synth-origin synth-origin-" + (theme.origin || "machine"), history(theme)));
    item.appendChild(head);

    item.appendChild(inlineForm("synth-rename", "rename-" + theme.id, t.title_label, theme.title, t.rename, function (input) {
      call("PATCH", "/themes/" + theme.id, { title: input.value }, null, function () {
        say(t.renamed);
        focusTheme(theme.id);
      });
    }));

    var group = el("fieldset", "synth-cards");
    group.appendChild(el("legend", "visually-hidden", fill(t.cards_of, { title: theme.title })));
    var cards = el("ul", "synth-card-list");
    theme.cards.forEach(function (card) { cards.appendChild(cardItem(card, theme.id)); });
    group.appendChild(cards);
    item.appendChild(group);

    if (theme.cards.length > 1) {
      item.appendChild(inlineForm("synth-split", "split-" + theme.id, t.split_label, "", t.split_button, function (input) {
        var ticked = Array.prototype.map.call(
          cards.querySelectorAll("input[type=checkbox]:checked"), function (box) { return Number(box.value); });
        if (!ticked.length) {
          errorNode.textContent = t.tick_cards;
          var first = cards.querySelector("input[type=checkbox]");
          if (first) { first.focus(); }
          return;
        }
        call("POST", "/themes/" + theme.id + "/split", { cards: ticked, title: input.value }, null, function (reply) {
          say(t.split);
          var next = reply.themes[index + 1];
          focusTheme(next ? next.id : theme.id);
        });
      }));
    }
    return item;
  }

  function findTheme(id) {
    return state.themes.filter(function (theme) { return theme.id === id; })[0];
  }

  function focusTheme(id) {
    var node = document.getElementById("theme-title-" + id);
    if (node) {
      node.focus();
      if (node.scrollIntoView) { node.scrollIntoView({ block: "nearest" }); }
    }
  }

  function fillSelect(select, keep) {
    while (select.firstChild) { select.removeChild(select.firstChild); }
    state.themes.forEach(function (theme, index) {
      select.appendChild(new Option((index + 1) + ". " + theme.title, String(theme.id)));
    });
    if (keep && findTheme(Number(keep))) { select.value = keep; }
  }

  function render() {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    state.themes.forEach(function (theme, index) { list.appendChild(themeItem(theme, index)); });
    document.getElementById("synth-empty").hidden = state.themes.length > 0;
    var unassigned = document.getElementById("synth-unassigned");
    var loose = document.getElementById("synth-unassigned-cards");
    while (loose.firstChild) { loose.removeChild(loose.firstChild); }
    state.unassigned.forEach(function (card) { loose.appendChild(cardItem(card, null)); });
    unassigned.hidden = !(state.unassigned.length && state.themes.length);
    var into = mergeInto.value;
    var from = mergeFrom.value;
    fillSelect(mergeInto, into);
    fillSelect(mergeFrom, from);
    if (state.themes.length > 1 && mergeFrom.value === mergeInto.value) { mergeFrom.selectedIndex = 1; }
    mergeForm.hidden = state.themes.length < 2;
    renderProjection();
  }

  projectButton.addEventListener("click", function () {
    var wanted = !state.projected;
    call("POST", "/projection", { projected: wanted }, null, function () {
      say(wanted ? t.on_board : t.off_board);
    });
  });

  Live.subscribe("synthesis:changed", changed);
  Live.connect({
    payload: function () { return { code: data.code, role: "facilitator", token: token }; },
    /* A (re)join with a fresh snapshot may have missed changes: read the synthesis again. */
    onJoined: function (reply) { if (state && reply.snapshot && reply.snapshot.seq > seen) { changed({ seq: reply.snapshot.seq }); } }
  });

  mergeForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var into = Number(mergeInto.value);
    call("POST", "/merge", { into: into, from: Number(mergeFrom.value) }, null, function () {
      say(t.merged);
      focusTheme(into);
    });
  });

  /* While the proposal runs (seconds, in a subprocess): a spinner and the seconds elapsed. */
  var progress = document.getElementById("synth-progress");
  var progressText = document.getElementById("synth-progress-text");
  var progressTimer = null;
  function showProgress() {
    var started = Date.now();
    function tick() {
      if (!busy) {
        window.clearInterval(progressTimer);
        progressTimer = null;
        progress.hidden = true;
        return;
      }
      progressText.textContent = fill(t.computing_elapsed, { s: Math.floor((Date.now() - started) / 1000) });
    }
    progress.hidden = false;
    tick();
    if (progressTimer) { window.clearInterval(progressTimer); }
    progressTimer = window.setInterval(tick, 1000);
  }

  proposeButton.addEventListener("click", function () {
    call("POST", "/propose", { replace_edited: replaceBox.checked }, t.computing, function (reply) {
      say(fill(t.proposed, { n: reply.themes.length }));
      replaceBox.checked = false;
    });
    if (busy) { showProgress(); }
  });

  document.getElementById("synth-seed").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("seed-title");
    var title = input.value.trim();
    if (!title) { input.focus(); return; }
    call("POST", "/themes", { title: title }, null, function () {
      input.value = "";
      say(t.seeded);
    });
  });

  call("GET", "", undefined, " ", function () { say(""); });
});
