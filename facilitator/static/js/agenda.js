/* The agenda on every page: the step bar and its countdown from server time, the closed families on
   phones and référent consoles, the counts of cards hidden until the reveal, and the facilitator's
   controls. Plain ES2017 script; it only listens through Live.subscribe / Live.onJoin. */
(function () {
  "use strict";

  function init() {
    var Live = window.Live;
    var bar = document.getElementById("step-bar");
    if (!Live || !bar) { return; }
    var t = JSON.parse(bar.getAttribute("data-strings"));
    var role = Live.data.role;
    var state = null;    /* the agenda state of the last step:changed or snapshot */
    var offset = 0;      /* server clock − this device's clock, in ms */
    var sealed = {};     /* {table number: {family: count}} */
    var formKey = null;

    function byId(id) { return document.getElementById(id); }
    function setOffset(serverTime) {
      var ms = serverTime ? Date.parse(serverTime) : NaN;
      if (!isNaN(ms)) { offset = ms - Date.now(); }
    }
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    function format(seconds) {
      var s = Math.max(0, Math.ceil(seconds));
      var h = Math.floor(s / 3600);
      var m = Math.floor((s % 3600) / 60);
      return (h ? h + ":" + pad(m) : pad(m)) + ":" + pad(s % 60);
    }
    function secondsLeft() {
      if (!state) { return null; }
      if (state.status === "paused") { return state.remaining; }
      if (state.status === "running" && state.deadline) {
        return (Date.parse(state.deadline) - (Date.now() + offset)) / 1000;
      }
      return null;
    }

    /* Phones and référent consoles: only the step's families can be chosen; closed ones say so. */
    function updateForm(left) {
      var form = byId("card-form");
      if (!form || !state) { return; }
      var timeUp = role === "participant" && left !== null && left <= 0;
      var open = state.locked || timeUp ? [] : (state.open_families || []);
      var key = open.join(",") + "|" + state.locked + "|" + timeUp;
      if (key === formKey) { return; }
      formKey = key;
      var checked = null;
      var firstOpen = null;
      Array.prototype.forEach.call(form.querySelectorAll("input[name=family]"), function (radio) {
        var isOpen = open.indexOf(radio.value) >= 0;
        var label = radio.parentNode;
        radio.disabled = !isOpen;
        label.classList.toggle("is-closed", !isOpen);
        var tag = label.querySelector(".closed-tag");
        if (!tag) {
          tag = Live.el("small", "closed-tag", t.closed);
          label.querySelector("span").appendChild(tag);
        }
        tag.hidden = isOpen;
        if (isOpen && !firstOpen) { firstOpen = radio; }
        if (radio.checked) { checked = radio; }
      });
      if (firstOpen && (!checked || checked.disabled)) {
        firstOpen.checked = true;
        firstOpen.dispatchEvent(new Event("change"));
      }
      var closed = open.length === 0;
      var textarea = byId("card-text");
      var send = byId("send-card");
      if (textarea) { textarea.disabled = closed; }
      if (send) { send.disabled = closed; }
      form.classList.toggle("is-closed", closed);
      /* The phone folds its composer away while nothing can be posted (phone.js listens). */
      form.dispatchEvent(new CustomEvent("posting:changed", { detail: { open: open.slice(), closed: closed } }));
    }

    function updateNote(left) {
      var note = byId("step-note");
      var text = "";
      var kind = "info";
      var timeUp = left !== null && left <= 0;
      if (state && state.locked) { text = t.locked; kind = "warning"; }
      else if (state && state.step && state.status !== "free" && state.status !== "ended") {
        if (byId("card-form") && (!state.open_families.length || (timeUp && role === "participant"))) {
          /* Time up in a posting step: the clock line already says « Temps écoulé » and the folded
             composer says cards are closed; a third line would only repeat them. */
          text = timeUp && state.open_families.length ? "" : t.no_family;
          /* A voting step: the phone has something to do, only not a card. */
          if (role === "participant" && !state.open_families.length && state.voting !== "off" && t.vote_now) {
            text = t.vote_now;
          }
          /* The action plan (plan.js): the table's actions are below, to volunteer for or to write. */
          if (!state.open_families.length && state.step.kind === "plan" && t.plan_step) {
            text = role === "participant" ? t.plan_step : t.plan_step_referent;
          }
        } else if (state.step.hidden_until_reveal && !state.step.revealed) {
          text = t.hidden_step;
        }
      }
      note.textContent = text;
      note.hidden = !text;
      /* Phones and référent consoles show it as a note of its kind (icon and style, app.css); the
         dark board keeps its plain line. */
      if (role === "participant" || role === "referent") { note.className = "step-note note note-" + kind; }
    }

    function tick() {
      var left = secondsLeft();
      var over = left !== null && left <= 0;
      byId("step-countdown").textContent = left === null ? "" : format(left);
      var status = "";
      if (state && state.status === "paused") { status = t.paused; }
      else if (state && state.status === "ended") { status = t.ended; }
      else if (over) { status = t.time_up; }
      byId("step-status").textContent = status;
      bar.classList.toggle("is-over", over);
      bar.classList.toggle("is-ending", left !== null && left > 0 && left <= 60);
      updateForm(left);
      updateNote(left);
    }

    function renderSealed() {
      var total = 0;
      var byFamily = {};
      Object.keys(sealed).forEach(function (group) {
        var counts = sealed[group] || {};
        Object.keys(counts).forEach(function (family) {
          total += counts[family];
          byFamily[family] = (byFamily[family] || 0) + counts[family];
        });
      });
      var line = byId("step-sealed");
      line.textContent = total ? Live.plural(total, t.sealed) : "";
      line.hidden = !total;
      /* The board's columns: a count per family, never a text. */
      Array.prototype.forEach.call(document.querySelectorAll("[data-cards-family]"), function (column) {
        var family = column.getAttribute("data-cards-family");
        var badge = column.parentNode.querySelector(".sealed-badge");
        if (!badge) {
          badge = Live.el("p", "sealed-badge");
          column.parentNode.insertBefore(badge, column);
        }
        var n = byFamily[family] || 0;
        badge.textContent = n ? "🔒 " + Live.plural(n, t.sealed) : "";
        badge.hidden = !n;
      });
    }

    function updateControls() {
      var controls = byId("agenda-controls");
      if (!controls || !state) { return; }
      var status = state.status;
      var started = status !== "free";
      var last = state.step && state.position >= state.steps.length - 1;
      var show = {
        "step:start": !started,
        "step:previous": started && state.position > 0,
        "step:goto": started && state.steps.length > 1,
        "step:pause": status === "running",
        "step:resume": status === "paused",
        "step:extend": status === "running" || status === "paused",
        "step:next": started && status !== "ended" && !last,
        "step:end": started && status !== "ended",
        "cards:reveal": true
      };
      Array.prototype.forEach.call(controls.querySelectorAll("[data-agenda-group]"), function (group) {
        group.hidden = !show[group.getAttribute("data-agenda-group")];
      });
      if (!show["step:end"]) { askEnd(false); }
      var hideTotals = byId("agenda-hide-totals");
      if (hideTotals && !hideTotals.disabled) { hideTotals.checked = !!state.hide_vote_totals; }
      fillGoto();
      Array.prototype.forEach.call(controls.querySelectorAll("[data-agenda]"), function (button) {
        var type = button.getAttribute("data-agenda");
        if (button.parentNode.closest("[data-agenda-group]")) { return; }  /* shown with its group */
        if (type === "workshop:lock") {
          button.hidden = (button.getAttribute("data-locked") === "true") === !!state.locked;
        } else {
          button.hidden = !show[type];
        }
      });
    }

    /* The go-to list: every step, the one after the current preselected (a choice made is kept). */
    var gotoKey = null;
    function fillGoto() {
      var select = byId("agenda-goto-step");
      if (!select || !state || !state.steps) { return; }
      var key = state.position + "|" + state.steps.map(function (s) { return s.title; }).join("|");
      if (key === gotoKey) { return; }
      gotoKey = key;
      select.textContent = "";
      state.steps.forEach(function (step) {
        var option = Live.el("option", null, t.step + " " + (step.position + 1) + " · " + step.title);
        option.value = step.position;
        select.appendChild(option);
      });
      var next = state.position === null ? 0 : Math.min(state.position + 1, state.steps.length - 1);
      select.value = String(next);
    }

    /* "Terminer le déroulé" asks first: the button becomes "Confirmer la fin ?" + Annuler for a few
       seconds (keyboard: the focus moves to the confirmation, Échap cancels). */
    var endTimer = null;
    function askEnd(asking) {
      var ask = byId("agenda-end-ask");
      var confirmBox = byId("agenda-end-confirm");
      if (!ask || !confirmBox) { return; }
      window.clearTimeout(endTimer);
      var wasAsking = !confirmBox.hidden;
      ask.hidden = asking;
      confirmBox.hidden = !asking;
      if (asking) {
        confirmBox.querySelector("[data-agenda]").focus();
        endTimer = window.setTimeout(function () { askEnd(false); }, 8000);
      } else if (wasAsking && confirmBox.contains(document.activeElement)) {
        ask.focus();
      }
    }

    function render() {
      bar.setAttribute("data-state", state ? state.status : "free");
      bar.classList.toggle("is-locked", !!(state && state.locked));
      var free = !state || state.status === "free" || !state.step;
      byId("step-number").textContent = free ? "" :
        t.step + " " + (state.step.position + 1) + " " + t.of + " " + state.steps.length + " ·";
      byId("step-title").textContent = free ? t.free : state.step.title;
      formKey = null;
      tick();
      renderSealed();
      updateControls();
      /* A phone keeps the last state it was told: a reload without network (the service worker,
         phone_sw.js) shows the step and its clock, not free mode, until the rejoin says better. */
      if (role === "participant" && state) { Live.storageSet(Live.key("agenda"), JSON.stringify({ state: state, offset: offset })); }
    }

    Live.subscribe("step:changed", function (message) {
      state = message.agenda;
      setOffset(state.server_time);
      render();
    });
    Live.subscribe("card:sealed", function (message) {
      sealed[message.group] = message.counts;
      renderSealed();
    });
    Live.subscribe("cards:revealed", function (message) {
      sealed[message.group] = message.counts;
      renderSealed();
    });
    /* After a (re)join: the snapshot's state, and the ack's fresh server time (replayed events carry
       the time they were recorded at). */
    Live.onJoin(function (reply) {
      if (reply.snapshot) {
        state = reply.snapshot.agenda || state;
        sealed = reply.snapshot.sealed || {};
      }
      setOffset(reply.server_time || (state && state.server_time));
      render();
    });

    if (role === "participant") {
      var kept = null;
      try { kept = JSON.parse(Live.storageGet(Live.key("agenda")) || "null"); } catch (e) { kept = null; }
      if (kept && kept.state && !state) { state = kept.state; offset = kept.offset || 0; render(); }
    }

    var controls = byId("agenda-controls");
    if (controls) {
      var error = byId("agenda-error");
      Array.prototype.forEach.call(controls.querySelectorAll("[data-agenda]"), function (button) {
        button.addEventListener("click", function () {
          var type = button.getAttribute("data-agenda");
          var payload = {};
          if (type === "step:previous") {
            type = "step:goto";
            payload.position = state.position - 1;
          } else if (type === "step:goto") {
            payload.position = parseInt(byId("agenda-goto-step").value, 10);
          }
          if (type === "step:end") { askEnd(false); }
          if (button.hasAttribute("data-minutes")) { payload.minutes = parseInt(button.getAttribute("data-minutes"), 10); }
          if (button.hasAttribute("data-locked")) { payload.locked = button.getAttribute("data-locked") === "true"; }
          if (type === "cards:reveal" && byId("reveal-group") && byId("reveal-group").value) {
            payload.group = parseInt(byId("reveal-group").value, 10);
          }
          if (!Live.current) { return; }
          button.disabled = true;
          Live.current.request(type, payload, function (err, reply) {
            button.disabled = false;
            var message = err ? String(err.message || err) : (!reply.ok ? reply.error.message : "");
            error.textContent = message;
            error.hidden = !message;
          });
        });
      });
    }

    /* « Totaux cachés pendant le vote »: the box says the state; the server's answer sets it. */
    var hideBox = byId("agenda-hide-totals");
    if (hideBox) {
      hideBox.addEventListener("change", function () {
        var error = byId("agenda-error");
        if (!Live.current) { return; }
        hideBox.disabled = true;
        Live.current.request("workshop:hide_totals", { hidden: hideBox.checked }, function (err, reply) {
          hideBox.disabled = false;
          var message = err ? String(err.message || err) : (!reply.ok ? reply.error.message : "");
          if (!message && reply.agenda) { hideBox.checked = !!reply.agenda.hide_vote_totals; }
          if (message && state) { hideBox.checked = !!state.hide_vote_totals; }
          error.textContent = message;
          error.hidden = !message;
        });
      });
    }

    if (byId("agenda-end-ask")) {
      byId("agenda-end-ask").addEventListener("click", function () { askEnd(true); });
      byId("agenda-end-cancel").addEventListener("click", function () { askEnd(false); });
      byId("agenda-end-confirm").addEventListener("keydown", function (event) {
        if (event.key === "Escape") { event.preventDefault(); askEnd(false); }
      });
    }

    var editor = byId("agenda-editor");
    var draft = null;  /* the steps being edited, until saved */
    if (editor) { setUpEditor(); }

    /* The agenda editor: add, remove, reorder and change steps, then save them all. Once started, the
       current and past steps are shown fixed (the server refuses to change them: `step_fixed`). */
    function setUpEditor() {
      var e = JSON.parse(editor.getAttribute("data-strings"));
      var families = Live.data.workshop.families;
      var labels = Live.data.workshop.family_labels;
      var list = byId("agenda-steps");

      function field(labelText, input) {
        var label = Live.el("label", "agenda-field");
        label.appendChild(Live.el("span", "agenda-field-label", labelText));
        label.appendChild(input);
        return label;
      }
      function button(text, fn) {
        var b = Live.el("button", "button small", text);
        b.type = "button";
        b.addEventListener("click", fn);
        return b;
      }
      function fixedCount() {
        return state && state.status !== "free" && state.position !== null ? state.position + 1 : 0;
      }
      function fromState(steps) {
        return steps.map(function (s) {
          return { kind: s.kind, title: s.title, minutes: Math.max(1, Math.round(s.duration / 60)),
                   open_families: s.open_families.slice(), hidden_until_reveal: s.hidden_until_reveal, voting: s.voting };
        });
      }
      var drawnFixed = 0;
      function draw() {
        list.textContent = "";
        var fixed = drawnFixed = fixedCount();
        var note = byId("agenda-fixed-note");
        note.textContent = fixed ? e.fixed_note : "";
        note.hidden = !fixed;
        draft.forEach(function (step, index) {
          if (index < fixed) {
            var done = Live.el("li", "agenda-step is-fixed");
            done.appendChild(Live.el("span", "agenda-step-title", step.title + " · " + step.minutes + " min"));
            done.appendChild(Live.el("span", "tag", index === fixed - 1 ? e.fixed_current : e.fixed_past));
            list.appendChild(done);
            return;
          }
          var item = Live.el("li", "agenda-step");
          var title = Live.el("input");
          title.value = step.title;
          title.maxLength = 200;
          title.addEventListener("input", function () { step.title = title.value; });
          item.appendChild(field(e.title, title));
          var minutes = Live.el("input");
          minutes.type = "number"; minutes.min = 1; minutes.max = 480;
          minutes.value = step.minutes;
          minutes.addEventListener("input", function () { step.minutes = parseInt(minutes.value, 10) || 0; });
          item.appendChild(field(e.minutes, minutes));
          var set = Live.el("fieldset", "agenda-families");
          set.appendChild(Live.el("legend", null, e.families));
          families.forEach(function (family) {
            var box = Live.el("input");
            box.type = "checkbox";
            box.checked = step.open_families.indexOf(family) >= 0;
            box.addEventListener("change", function () {
              step.open_families = families.filter(function (f) {
                return f === family ? box.checked : step.open_families.indexOf(f) >= 0;
              });
            });
            var label = Live.el("label", "agenda-check");
            label.appendChild(box);
            label.appendChild(Live.el("span", null, labels[family] ? labels[family].label : family));
            set.appendChild(label);
          });
          item.appendChild(set);
          var hidden = Live.el("input");
          hidden.type = "checkbox";
          hidden.checked = step.hidden_until_reveal;
          hidden.addEventListener("change", function () { step.hidden_until_reveal = hidden.checked; });
          var hiddenLabel = Live.el("label", "agenda-check");
          hiddenLabel.appendChild(hidden);
          hiddenLabel.appendChild(Live.el("span", null, e.hidden));
          item.appendChild(hiddenLabel);
          var voting = Live.el("select");
          ["off", "table", "plenary"].forEach(function (mode) {
            var option = Live.el("option", null, e["voting_" + mode]);
            option.value = mode;
            option.selected = step.voting === mode;
            voting.appendChild(option);
          });
          voting.addEventListener("change", function () { step.voting = voting.value; });
          item.appendChild(field(e.voting, voting));
          var tools = Live.el("div", "agenda-step-tools");
          if (index > fixed) { tools.appendChild(button(e.up, function () { move(index, -1); })); }
          if (index < draft.length - 1) { tools.appendChild(button(e.down, function () { move(index, 1); })); }
          if (draft.length > Math.max(1, fixed)) { tools.appendChild(button(e.remove, function () { draft.splice(index, 1); draw(); })); }
          item.appendChild(tools);
          list.appendChild(item);
        });
      }
      function move(index, by) {
        var step = draft.splice(index, 1)[0];
        draft.splice(index + by, 0, step);
        draw();
      }
      editor.addEventListener("toggle", function () {
        if (editor.open && state) {
          draft = fromState(state.steps);
          byId("agenda-saved").textContent = "";
          draw();
        }
      });
      /* The step moved while editing: the newly fixed steps come from the server, the edits after stay. */
      Live.subscribe("step:changed", function () {
        if (!editor.open || !draft || fixedCount() === drawnFixed) { return; }
        var fixed = fixedCount();
        draft = fromState(state.steps.slice(0, fixed)).concat(draft.slice(fixed));
        draw();
      });
      function addStep(step) {
        if (!draft) { return; }
        draft.push(step);
        draw();
        var inputs = list.querySelectorAll(".agenda-step:last-child input");
        if (inputs.length) { inputs[0].focus(); }
      }
      byId("agenda-add").addEventListener("click", function () {
        addStep({ title: "", minutes: 10, open_families: [], hidden_until_reveal: false, voting: "off" });
      });
      /* Any agenda may end with the action plan (facilitator/plan): tables write actions, phones volunteer. */
      var addPlan = byId("agenda-add-plan");
      if (addPlan) {
        addPlan.addEventListener("click", function () {
          addStep({ kind: "plan", title: e.plan_title, minutes: 15, open_families: [], hidden_until_reveal: false, voting: "off" });
        });
      }
      byId("agenda-add-synthesis").addEventListener("click", function () {
        if (!draft) { return; }
        /* Before the conclusion when there is one: the room builds the common themes, then concludes. */
        var step = { kind: "synthese", title: e.synthesis_title, minutes: 15, open_families: [], hidden_until_reveal: false, voting: "off" };
        var last = draft.length - 1;
        var at = last >= fixedCount() && draft[last] && draft[last].kind === "conclusion" ? last : draft.length;
        draft.splice(at, 0, step);
        draw();
        var inputs = list.querySelectorAll(".agenda-step:nth-child(" + (at + 1) + ") input");
        if (inputs.length) { inputs[0].focus(); }
      });
      byId("agenda-save").addEventListener("click", function () {
        if (!draft || !Live.current) { return; }
        var error = byId("agenda-error");
        Live.current.request("agenda:update", { steps: draft }, function (err, reply) {
          var message = err ? String(err.message || err) : (!reply.ok ? reply.error.message : "");
          error.textContent = message;
          error.hidden = !message;
          byId("agenda-saved").textContent = message ? "" : e.saved;
        });
      });
    }

    window.setInterval(tick, 500);
    render();
  }

  /* Deferred before live.js: wait until every deferred script has run. */
  if (document.readyState === "complete") { init(); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
