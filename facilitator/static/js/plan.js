/* The action plan (issue 14), on every page that has a part of it:
   - the référent's console (#plan-panel, data-plan-role="referent"): actions from the table's
     essentials and cards, edit, merge, drop, restore, who volunteered;
   - the phone (#plan-panel, "participant"): during the « Plan d'action » step, the table's actions
     with « Je m'engage » (an e-mail with consent only when the workshop allows it);
   - the facilitator's console (#plan-console): every table's actions into axes, merge, order, project;
   - the board (#plan-board, the "plan" view): axes → actions in large type, one axis a page.
   State comes from the snapshot's `plan`, then `plan:table` (a table's) or `plan:changed` (the whole
   plan, screens only) and every ack's `plan`. Plain ES2017; Live.subscribe / Live.onJoin. */
(function () {
  "use strict";

  function init() {
    var Live = window.Live;
    if (!Live) { return; }
    var panel = document.getElementById("plan-panel");
    var consoleNode = document.getElementById("plan-console");
    var boardNode = document.getElementById("plan-board");
    if (!panel && !consoleNode && !boardNode) { return; }
    var data = Live.data;
    var el = Live.el;
    var role = panel ? panel.getAttribute("data-plan-role") : data.role;
    var state = { plan: null, agenda: null, group: data.group, cards: {}, essentials: [], themes: {} };
    var openedOnce = false;

    function byId(id) { return document.getElementById(id); }
    function strings(node) { return node ? JSON.parse(node.getAttribute("data-strings")) : {}; }
    function fill(text, values) {
      return String(text).replace(/\{(\w+)\}/g, function (all, name) { return values[name] !== undefined ? values[name] : all; });
    }
    function volunteersCount(t, n) { return Live.plural(n, t.count); }
    function carried(t, n) { return Live.plural(n, t.carried); }
    /* "2027-03" → « mars 2027 », "2027-03-15" → « 15 mars 2027 ». */
    function formatDue(t, due) {
      var match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(due || "");
      if (!match) { return due || ""; }
      var month = (t.months || [])[parseInt(match[2], 10) - 1] || match[2];
      if (!match[3]) { return month + " " + match[1]; }
      var day = String(parseInt(match[3], 10));
      if (String(data.language).indexOf("fr") === 0 && day === "1") { day = "1er"; }
      return String(data.language).indexOf("fr") === 0 ? day + " " + month + " " + match[1] : month + " " + day + ", " + match[1];
    }
    function button(text, className, onClick) {
      var node = el("button", "button " + (className || ""), text);
      node.type = "button";
      node.addEventListener("click", onClick);
      return node;
    }
    function showMessage(node, text) {
      if (!node) { return; }
      node.textContent = text || "";
      node.hidden = !text;
    }
    function actions() { return (state.plan && state.plan.actions) || []; }
    function active(action) { return action.status === "active" && action.merged_into === null; }
    function inStep() {
      var agenda = state.agenda;
      return !!(agenda && agenda.step && agenda.step.kind === "plan" && (agenda.status === "running" || agenda.status === "paused"));
    }
    /* Send a change; the ack's `plan` is this viewer's view of the plan. */
    function send(event, payload, errorNode, done) {
      showMessage(errorNode, "");
      payload.client_id = Live.randomId();
      Live.current.request(event, payload, function (err, reply) {
        if (err) { showMessage(errorNode, strings(panel || consoleNode).retry); return; }
        if (!reply.ok) { showMessage(errorNode, reply.error.message); return; }
        if (reply.plan) { state.plan = reply.plan; }
        render();
        if (done) { done(reply); }
      });
    }

    /* ---- What the page knows of its table (référent): cards, themes, essentials ---- */
    function keepCard(card) {
      if (!card || typeof card.id !== "number") { return; }
      if (card.status === "visible" && !card.sealed && card.text !== undefined) { state.cards[card.id] = card; }
      else { delete state.cards[card.id]; }
    }
    function mine(group) { return state.group === null || state.group === undefined || group === state.group; }

    Live.onJoin(function (reply) {
      if (reply.group) { state.group = reply.group; }
      var snapshot = reply.snapshot;
      if (snapshot) {
        state.agenda = snapshot.agenda || state.agenda;
        state.plan = snapshot.plan || state.plan;
        state.cards = {};
        (snapshot.cards || []).forEach(keepCard);
        state.themes = {};
        (snapshot.themes || []).forEach(function (theme) { state.themes[theme.id] = theme; });
        var kept = snapshot.essentials && state.group ? snapshot.essentials[String(state.group)] : null;
        state.essentials = kept || [];
      }
      /* A phone's snapshot has no actions outside the step: it asks once the step is on. */
      if (role === "participant" && inStep() && !actions().length) { list(); }
      /* A console opened (or reloaded) during the step opens on its plan view, once. */
      if (role === "facilitator" && inStep() && !openedOnce && Live.board && !Live.board.asked) { Live.board.setView("plan"); }
      openedOnce = true;
      render();
    });
    function list() {
      Live.current.request("plan:list", {}, function (err, reply) {
        if (!err && reply && reply.ok) { state.plan = reply.plan; render(); }
      });
    }
    Live.subscribe("step:changed", function (message) {
      var was = inStep();
      state.agenda = message.agenda;
      if (!was && inStep() && role === "participant") { list(); }
      /* The facilitator's console opens its plan view when the step begins (the tables' actions live). */
      if (!was && inStep() && role === "facilitator" && Live.board) { Live.board.setView("plan"); }
      render();
    });
    Live.subscribe("plan:table", function (message) {
      if (role === "facilitator" || role === "board" || !mine(message.group)) { return; }
      var me = state.plan && state.plan.me;
      state.plan = { group: message.group, actions: message.actions, contacts: message.contacts, me: me };
      render();
    });
    Live.subscribe("plan:changed", function (message) {
      if (role !== "facilitator" && role !== "board") { return; }
      state.plan = message.plan;
      render();
    });
    Live.subscribe("plan:settings", function (message) {
      if (state.plan) { state.plan.contacts = message.contacts; }
      render();
    });
    ["card:added", "card:updated"].forEach(function (type) {
      Live.subscribe(type, function (message) { keepCard(message.card); if (role === "referent") { renderReferentSources(); } });
    });
    Live.subscribe("cards:revealed", function (message) { (message.cards || []).forEach(keepCard); });
    ["theme:created", "theme:updated"].forEach(function (type) {
      Live.subscribe(type, function (message) { state.themes[message.theme.id] = message.theme; });
    });
    Live.subscribe("theme:dissolved", function (message) { delete state.themes[message.theme.id]; });
    Live.subscribe("essentials:changed", function (message) {
      if (message.group === state.group) { state.essentials = message.essentials || []; render(); }
    });

    function render() {
      if (panel && role === "referent") { renderReferent(); }
      if (panel && role === "participant") { renderPhone(); }
      if (consoleNode) { renderConsole(); }
      if (boardNode) { renderBoard(); }
    }

    /* ---- An action, as a table reads it ---- */
    function details(t, action, list) {
      var lines = [];
      if (action.owner) { lines.push(fill(t.owner, { owner: action.owner })); }
      if (action.partners) { lines.push(fill(t.partners, { partners: action.partners })); }
      if (action.due) { lines.push(fill(t.due, { due: formatDue(t, action.due) })); }
      if (action.first_step) { lines.push(fill(t.first_step, { text: action.first_step })); }
      if (action.indicator) { lines.push(fill(t.indicator, { text: action.indicator })); }
      lines.forEach(function (line) { list.appendChild(el("p", "plan-action-line", line)); });
    }
    function volunteerLine(t, action) {
      var people = action.volunteers || [];
      if (!people.length) { return t.volunteers_none; }
      var names = people.map(function (p) { return (p.name || t.anonymous) + (p.contact ? " " + t.with_contact : ""); }).join(", ");
      return fill(Live.plural(people.length, t.volunteers), { names: names });
    }

    /* ---- The référent's console ---- */
    var form = byId("plan-form");
    function cardIdsOf(essential) {
      if (essential.card_id) { return [essential.card_id]; }
      var theme = state.themes[essential.theme_id];
      return theme ? theme.cards.filter(function (id) { return state.cards[id]; }) : [];
    }
    function renderReferentSources() {
      if (!panel || role !== "referent") { return; }
      var t = strings(panel);
      var used = {};
      actions().filter(active).forEach(function (action) { action.cards.forEach(function (id) { used[id] = true; }); });
      function source(list, text, family, ids) {
        var li = el("li", "plan-essential family-" + family);
        li.appendChild(el("span", "plan-essential-text", text));
        if (ids.some(function (id) { return used[id]; })) { li.appendChild(el("span", "plan-tag plan-done", t.has_action)); }
        var create = button(t.create_from, "small", function () { openForm(null, { title: text, cards: ids }); });
        create.setAttribute("aria-label", t.create_from + " : " + text);
        li.appendChild(create);
        list.appendChild(li);
      }
      var box = byId("plan-essentials");
      box.textContent = "";
      var kept = {};
      state.essentials.forEach(function (essential) {
        var ids = cardIdsOf(essential);
        ids.forEach(function (id) { kept[id] = true; });
        source(box, essential.text, essential.family, ids);
      });
      if (!state.essentials.length) { box.appendChild(el("li", "muted", t.no_essentials)); }
      var families = data.workshop.families || [];
      var others = Object.keys(state.cards).map(function (id) { return state.cards[id]; })
        .filter(function (card) { return !kept[card.id]; })
        /* The last families first: contributions (what people offer to do) are the likeliest actions. */
        .sort(function (a, b) { return families.indexOf(b.family) - families.indexOf(a.family) || a.seq - b.seq; });
      var other = byId("plan-other-cards");
      other.textContent = "";
      others.forEach(function (card) { source(other, card.text, card.family, [card.id]); });
      byId("plan-other-count").textContent = "(" + others.length + ")";
      byId("plan-other").hidden = !others.length;
    }
    function dueKind(kind) {
      var input = byId("plan-due");
      var value = input.value;
      input.type = kind;
      if (kind === "month" && /^\d{4}-\d{2}-\d{2}$/.test(value)) { input.value = value.slice(0, 7); }
      else if (kind === "date" && /^\d{4}-\d{2}$/.test(value)) { input.value = value + "-01"; }
      else { input.value = value; }
      form.querySelector('input[name=plan-due-kind][value="' + kind + '"]').checked = true;
    }
    function renderCardChoices(chosen) {
      var box = byId("plan-card-choices");
      box.textContent = "";
      Object.keys(state.cards).map(function (id) { return state.cards[id]; })
        .sort(function (a, b) { return a.seq - b.seq; })
        .forEach(function (card) {
          var label = el("label", "plan-card-choice family-" + card.family);
          var input = el("input");
          input.type = "checkbox";
          input.value = String(card.id);
          input.checked = chosen.indexOf(card.id) >= 0;
          input.addEventListener("change", countCards);
          label.appendChild(input);
          label.appendChild(el("span", null, card.text));
          box.appendChild(label);
        });
      countCards();
    }
    function chosenCards() {
      return Array.prototype.map.call(byId("plan-card-choices").querySelectorAll("input:checked"), function (input) {
        return parseInt(input.value, 10);
      });
    }
    function countCards() { byId("plan-cards-count").textContent = "(" + chosenCards().length + ")"; }
    function openForm(action, seed) {
      var source = action || seed || {};
      byId("plan-action-id").value = action ? String(action.id) : "";
      byId("plan-action-title").value = source.title || "";
      byId("plan-owner").value = source.owner || "";
      byId("plan-partners").value = source.partners || "";
      dueKind(source.due && source.due.length > 7 ? "date" : "month");
      byId("plan-due").value = source.due || "";
      byId("plan-first-step").value = source.first_step || "";
      byId("plan-indicator").value = source.indicator || "";
      renderCardChoices(source.cards || []);
      showMessage(byId("plan-form-error"), "");
      form.hidden = false;
      byId("plan-action-title").focus();
    }
    if (form) {
      Array.prototype.forEach.call(form.querySelectorAll("input[name=plan-due-kind]"), function (radio) {
        radio.addEventListener("change", function () { dueKind(radio.value); });
      });
      byId("plan-new").addEventListener("click", function () { openForm(null, {}); });
      byId("plan-cancel").addEventListener("click", function () { form.hidden = true; });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var payload = {
          title: byId("plan-action-title").value,
          owner: byId("plan-owner").value,
          partners: byId("plan-partners").value,
          due: byId("plan-due").value || null,
          first_step: byId("plan-first-step").value,
          indicator: byId("plan-indicator").value,
          card_ids: chosenCards()
        };
        var id = byId("plan-action-id").value;
        if (id) { payload.action_id = parseInt(id, 10); }
        send("plan:action_save", payload, byId("plan-form-error"), function () {
          form.hidden = true;
          showMessage(byId("plan-note"), strings(panel).saved);
        });
      });
    }
    function renderReferent() {
      var t = strings(panel);
      var all = actions();
      panel.hidden = !(inStep() || all.length);
      renderReferentSources();
      var box = byId("plan-actions");
      box.textContent = "";
      var open = all.filter(active);
      byId("plan-count").textContent = "(" + open.length + ")";
      byId("plan-none").textContent = all.length ? "" : t.none_referent;
      byId("plan-none").hidden = !!all.length;
      all.forEach(function (action) {
        var li = el("li", "plan-action" + (active(action) ? "" : " is-off"));
        li.setAttribute("data-action-id", String(action.id));
        li.appendChild(el("h4", "plan-action-title", action.title));
        if (action.merged_into !== null) { li.appendChild(el("p", "plan-tag", t.merged)); }
        else if (action.status === "dropped") { li.appendChild(el("p", "plan-tag", t.dropped)); }
        details(t, action, li);
        var from = action.cards.map(function (id) { return state.cards[id] && state.cards[id].text; }).filter(Boolean);
        if (from.length) { li.appendChild(el("p", "plan-action-line plan-from", fill(t.from_cards, { cards: "« " + from.join(" », « ") + " »" }))); }
        li.appendChild(el("p", "plan-volunteers", volunteerLine(t, action)));
        var tools = el("div", "plan-tools");
        if (active(action)) {
          tools.appendChild(button(t.edit, "small", function () { openForm(action); }));
          tools.appendChild(button(t.drop, "small", function () {
            send("plan:action_drop", { action_id: action.id }, byId("plan-error"));
          }));
          var others = all.filter(function (other) { return other.id !== action.id && active(other); });
          if (others.length) {
            var label = el("label", "visually-hidden", t.merge_label);
            var select = el("select", "plan-merge-select");
            select.id = "plan-merge-" + action.id;
            label.htmlFor = select.id;
            select.appendChild(el("option", null, t.merge)).value = "";
            others.forEach(function (other) { select.appendChild(el("option", null, other.title)).value = String(other.id); });
            var merge = button(t.merge_confirm, "small", function () {
              if (!select.value) { select.focus(); return; }
              send("plan:action_merge", { keep: parseInt(select.value, 10), actions: [action.id] }, byId("plan-error"));
            });
            var row = el("span", "plan-merge");
            row.appendChild(label);
            row.appendChild(select);
            row.appendChild(merge);
            tools.appendChild(row);
          }
        } else {
          tools.appendChild(button(t.restore, "small", function () {
            send("plan:action_restore", { action_id: action.id }, byId("plan-error"));
          }));
        }
        li.appendChild(tools);
        box.appendChild(li);
      });
    }

    /* ---- The phone ---- */
    function renderPhone() {
      var t = strings(panel);
      var open = actions().filter(active);
      panel.hidden = !inStep();
      byId("plan-contact").hidden = !(state.plan && state.plan.contacts);
      byId("plan-count").textContent = "(" + open.length + ")";
      byId("plan-none").textContent = open.length ? "" : t.none_phone;
      byId("plan-none").hidden = !!open.length;
      var me = state.plan && state.plan.me;
      var box = byId("plan-actions");
      box.textContent = "";
      open.forEach(function (action) {
        var engaged = (action.volunteers || []).some(function (p) { return p.participant === me; });
        var li = el("li", "plan-action" + (engaged ? " is-engaged" : ""));
        li.setAttribute("data-action-id", String(action.id));
        li.appendChild(el("h3", "plan-action-title", action.title));
        details(t, action, li);
        li.appendChild(el("p", "plan-volunteers", volunteersCount(t, (action.volunteers || []).length)));
        var toggle = button(engaged ? t.withdraw : t.volunteer, engaged ? "plan-engage is-on" : "plan-engage primary", function () {
          if (engaged) { send("plan:withdraw", { action_id: action.id }, byId("plan-error")); return; }
          var payload = { action_id: action.id };
          var email = byId("plan-email").value.trim();
          if (state.plan.contacts && email) {
            payload.email = email;
            payload.consent = byId("plan-consent").checked;
          }
          send("plan:volunteer", payload, byId("plan-error"), function () { showMessage(byId("plan-note"), t.engaged); });
        });
        toggle.setAttribute("aria-pressed", engaged ? "true" : "false");
        li.appendChild(toggle);
        box.appendChild(li);
      });
    }

    /* ---- The facilitator's console ---- */
    var pendingConsole = false;
    if (consoleNode) {
      /* A change arriving while the facilitator types or picks keeps their field: drawn once they leave it. */
      consoleNode.addEventListener("focusout", function () {
        window.setTimeout(function () { if (pendingConsole && !editing()) { pendingConsole = false; renderConsole(); } }, 0);
      });
      byId("plan-axis-form").addEventListener("submit", function (event) {
        event.preventDefault();
        var input = byId("plan-axis-title");
        send("plan:axis_save", { title: input.value }, byId("plan-console-error"), function () { input.value = ""; });
      });
      byId("plan-propose").addEventListener("click", function () {
        send("plan:axes_propose", {}, byId("plan-console-error"));
      });
      byId("plan-contacts").addEventListener("change", function () {
        var box = byId("plan-contacts");
        Live.current.request("plan:contacts", { allowed: box.checked }, function (err, reply) {
          if (err || !reply.ok) { box.checked = !box.checked; showMessage(byId("plan-console-error"), err ? strings(consoleNode).retry : reply.error.message); return; }
          if (state.plan) { state.plan.contacts = reply.contacts; }
        });
      });
      byId("plan-project").addEventListener("click", function () {
        Live.current.request("board:show", { view: "plan" }, function (err, reply) {
          if (err || !reply.ok) { showMessage(byId("plan-console-error"), err ? strings(consoleNode).retry : reply.error.message); return; }
          showMessage(byId("plan-console-note"), strings(consoleNode).projected);
        });
      });
    }
    function editing() {
      var focused = document.activeElement;
      return !!(focused && consoleNode.contains(focused) && /^(INPUT|SELECT|TEXTAREA)$/.test(focused.tagName) && focused.id !== "plan-contacts");
    }
    function byPosition(a, b) { return a.position - b.position || a.id - b.id; }
    function renderConsole() {
      if (editing()) { pendingConsole = true; return; }
      var t = strings(consoleNode);
      var plan = state.plan || { axes: [], actions: [] };
      var open = plan.actions.filter(active);
      byId("plan-console-count").textContent = "(" + open.length + ")";
      byId("plan-contacts").checked = !!plan.contacts;
      var titles = {};
      plan.actions.forEach(function (a) { titles[a.id] = a.title; });
      var box = byId("plan-axes");
      box.textContent = "";
      var groups = plan.axes.map(function (axis) { return { axis: axis, actions: [] }; });
      var loose = { axis: null, actions: [] };
      var index = {};
      groups.forEach(function (g) { index[g.axis.id] = g; });
      open.forEach(function (action) { (index[action.axis] || loose).actions.push(action); });
      groups.push(loose);
      groups.forEach(function (group, at) {
        var section = el("section", "plan-axis" + (group.axis ? "" : " is-loose"));
        var head = el("div", "plan-axis-head");
        if (group.axis) {
          var axis = group.axis;
          section.setAttribute("data-axis-id", String(axis.id));
          var input = el("input", "plan-axis-input");
          input.value = axis.title;
          input.maxLength = 200;
          input.id = "plan-axis-" + axis.id;
          input.setAttribute("aria-label", fill(t.title_of, { n: at + 1 }));
          head.appendChild(el("span", "plan-axis-number", fill(t.axis_n, { n: at + 1 })));
          head.appendChild(input);
          head.appendChild(button(t.rename, "small", function () {
            send("plan:axis_save", { axis_id: axis.id, title: input.value }, byId("plan-console-error"));
          }));
          input.addEventListener("keydown", function (event) {
            if (event.key === "Enter") { event.preventDefault(); send("plan:axis_save", { axis_id: axis.id, title: input.value }, byId("plan-console-error")); }
          });
          var ids = plan.axes.map(function (a) { return a.id; });
          var up = button("↑", "small icon-button", function () {
            ids.splice(at, 1); ids.splice(at - 1, 0, axis.id);
            send("plan:axes_order", { axes: ids }, byId("plan-console-error"));
          });
          up.setAttribute("aria-label", t.axis_up); up.disabled = at === 0;
          var down = button("↓", "small icon-button", function () {
            ids.splice(at, 1); ids.splice(at + 1, 0, axis.id);
            send("plan:axes_order", { axes: ids }, byId("plan-console-error"));
          });
          down.setAttribute("aria-label", t.axis_down); down.disabled = at === plan.axes.length - 1;
          head.appendChild(up);
          head.appendChild(down);
          head.appendChild(button(t.delete_axis, "small link", function () {
            send("plan:axis_delete", { axis_id: axis.id }, byId("plan-console-error"));
          }));
        } else {
          head.appendChild(el("h3", "plan-axis-title", t.no_axis));
        }
        section.appendChild(head);
        var ol = el("ol", "plan-axis-actions");
        var ordered = group.actions.sort(group.axis ? byPosition : function (a, b) {
          return (a.group || 0) - (b.group || 0) || byPosition(a, b);
        });
        ordered.forEach(function (action, i) { ol.appendChild(consoleAction(t, plan, action, ordered, i)); });
        if (!group.axis && !ordered.length && !plan.actions.length) { section.appendChild(el("p", "muted", t.none)); }
        section.appendChild(ol);
        if (group.axis || ordered.length || !plan.actions.length) { box.appendChild(section); }
      });
      var off = plan.actions.filter(function (a) { return !active(a); });
      if (off.length) {
        var offBox = el("section", "plan-axis is-off");
        var offList = el("ul", "plan-off");
        off.forEach(function (action) {
          var li = el("li", "plan-off-item");
          var tag = action.merged_into !== null ? fill(t.merged_into, { title: titles[action.merged_into] || "" }) : t.dropped;
          li.appendChild(el("span", null, action.title + " — " + tag + " "));
          li.appendChild(button(action.merged_into !== null ? t.separate : t.restore, "small", function () {
            send("plan:action_restore", { action_id: action.id }, byId("plan-console-error"));
          }));
          offList.appendChild(li);
        });
        offBox.appendChild(offList);
        box.appendChild(offBox);
      }
    }
    function consoleAction(t, plan, action, siblings, i) {
      var li = el("li", "plan-console-action");
      li.setAttribute("data-action-id", String(action.id));
      var top = el("div", "plan-console-top");
      top.appendChild(el("span", "plan-origin", action.group ? fill(t.table_n, { n: action.group }) : t.plenary));
      top.appendChild(el("strong", "plan-action-title", action.title));
      li.appendChild(top);
      var meta = [];
      if (action.tables.length > 1) { meta.push(carried(t, action.tables.length)); }
      if (action.owner) { meta.push(fill(t.owner, { owner: action.owner })); }
      if (action.due) { meta.push(fill(t.due, { due: formatDue(t, action.due) })); }
      meta.push(volunteersCount(t, action.volunteers_total));
      li.appendChild(el("p", "plan-action-line", meta.join(" · ")));
      var tools = el("div", "plan-tools");
      var axisSelect = el("select", "plan-axis-select");
      axisSelect.id = "plan-move-" + action.id;
      var axisLabel = el("label", "visually-hidden", fill(t.axis_of, { title: action.title }));
      axisLabel.htmlFor = axisSelect.id;
      axisSelect.appendChild(el("option", null, t.no_axis)).value = "";
      plan.axes.forEach(function (axis, n) {
        var option = axisSelect.appendChild(el("option", null, axis.title || fill(t.axis_n, { n: n + 1 })));
        option.value = String(axis.id);
      });
      axisSelect.value = action.axis ? String(action.axis) : "";
      axisSelect.addEventListener("change", function () {
        var axis = axisSelect.value ? parseInt(axisSelect.value, 10) : null;
        axisSelect.blur();
        send("plan:action_move", { action_id: action.id, axis: axis }, byId("plan-console-error"));
      });
      tools.appendChild(axisLabel);
      tools.appendChild(axisSelect);
      var ids = siblings.map(function (a) { return a.id; });
      function reorder(by) {
        ids.splice(i, 1); ids.splice(i + by, 0, action.id);
        send("plan:order", { actions: ids, axis: action.axis }, byId("plan-console-error"));
      }
      var up = button("↑", "small icon-button", function () { reorder(-1); });
      up.setAttribute("aria-label", t.move_up + " : " + action.title); up.disabled = i === 0;
      var down = button("↓", "small icon-button", function () { reorder(1); });
      down.setAttribute("aria-label", t.move_down + " : " + action.title); down.disabled = i === siblings.length - 1;
      tools.appendChild(up);
      tools.appendChild(down);
      var others = plan.actions.filter(function (a) { return a.id !== action.id && active(a); });
      if (others.length) {
        var mergeSelect = el("select", "plan-merge-select");
        mergeSelect.id = "plan-console-merge-" + action.id;
        var mergeLabel = el("label", "visually-hidden", fill(t.merge_into, { title: action.title }));
        mergeLabel.htmlFor = mergeSelect.id;
        mergeSelect.appendChild(el("option", null, t.choose)).value = "";
        others.forEach(function (other) {
          var where = other.group ? fill(t.table_n, { n: other.group }) : t.plenary;
          mergeSelect.appendChild(el("option", null, where + " · " + other.title)).value = String(other.id);
        });
        var mergeRow = el("span", "plan-merge");
        tools.appendChild(mergeRow);
        mergeRow.appendChild(mergeLabel);
        mergeRow.appendChild(mergeSelect);
        mergeRow.appendChild(button(t.merge, "small", function () {
          if (!mergeSelect.value) { mergeSelect.focus(); return; }
          var keep = parseInt(mergeSelect.value, 10);
          mergeSelect.blur();
          send("plan:action_merge", { keep: keep, actions: [action.id] }, byId("plan-console-error"));
        }));
      }
      li.appendChild(tools);
      return li;
    }

    /* ---- The board's « plan » view ---- */
    var page = 0;
    function boardPages() {
      var plan = state.plan || { axes: [], actions: [] };
      var open = plan.actions.filter(active);
      var pages = plan.axes.map(function (axis) {
        return { title: axis.title, actions: open.filter(function (a) { return a.axis === axis.id; }).sort(byPosition) };
      });
      var known = {};
      plan.axes.forEach(function (axis) { known[axis.id] = true; });
      var loose = open.filter(function (a) { return !known[a.axis]; }).sort(byPosition);
      if (loose.length) { pages.push({ title: null, actions: loose }); }
      return pages;
    }
    function renderBoard() {
      var t = strings(boardNode);
      var pages = boardPages();
      if (page >= pages.length) { page = Math.max(0, pages.length - 1); }
      var current = pages[page];
      byId("plan-board-title").textContent = current ? (current.title || t.no_axis) : t.title;
      byId("plan-board-page").textContent = pages.length > 1 ? fill(t.page, { n: page + 1, total: pages.length }) : "";
      byId("plan-board-empty").hidden = !!(current && current.actions.length);
      byId("plan-board-empty").textContent = t.none;
      byId("plan-board-prev").disabled = page === 0;
      byId("plan-board-next").disabled = page >= pages.length - 1;
      var box = byId("plan-board-actions");
      box.textContent = "";
      (current ? current.actions : []).forEach(function (action) {
        var li = el("li", "plan-board-action");
        li.appendChild(el("p", "plan-board-action-title", action.title));
        var meta = [];
        if (action.owner) { meta.push(fill(t.owner, { owner: action.owner })); }
        if (action.partners) { meta.push(fill(t.partners, { partners: action.partners })); }
        if (action.due) { meta.push(fill(t.due, { due: formatDue(t, action.due) })); }
        li.appendChild(el("p", "plan-board-meta", meta.join(" · ")));
        var origin = action.tables.length > 1 ? carried(t, action.tables.length) : action.group ? fill(t.table_n, { n: action.group }) : t.plenary;
        li.appendChild(el("p", "plan-board-origin", origin + " · " + volunteersCount(t, action.volunteers_total)));
        box.appendChild(li);
      });
    }
    function turn(by) {
      var pages = boardPages();
      var next = Math.min(Math.max(0, page + by), Math.max(0, pages.length - 1));
      if (next !== page) { page = next; renderBoard(); }
    }
    if (boardNode) {
      byId("plan-board-prev").addEventListener("click", function () { turn(-1); });
      byId("plan-board-next").addEventListener("click", function () { turn(1); });
      document.addEventListener("keydown", function (event) {
        if (!Live.board || Live.board.view() !== "plan" || event.altKey || event.ctrlKey || event.metaKey) { return; }
        var target = event.target;
        if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
        if (event.key === "ArrowRight" || event.key === "PageDown" || event.key === " ") { turn(1); event.preventDefault(); }
        else if (event.key === "ArrowLeft" || event.key === "PageUp") { turn(-1); event.preventDefault(); }
        else if (event.key === "Home") { page = 0; renderBoard(); event.preventDefault(); }
      });
    }
    render();
  }

  /* Deferred before live.js: wait until every deferred script has run. */
  if (document.readyState === "complete") { init(); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
