/* The live connection shared by every page: join, rejoin after a drop, apply events once, in order.
   Plain ES2017 script (no modules) so that older phones run it. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("page-data").textContent);

  function storageGet(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function storageSet(key, value) {
    try {
      if (value === null || value === undefined) { window.localStorage.removeItem(key); }
      else { window.localStorage.setItem(key, value); }
    } catch (e) { /* private mode: the page still works, it just forgets on reload */ }
  }
  function key(name) { return "facilitator:" + data.code + ":" + name; }

  /* Tokens arrive in the URL fragment (#t=...), never sent to the server by the browser; keep them
     for reloads and language switches, then clear them from the address bar. */
  function pageToken(role) {
    var match = /[#&]t=([^&]+)/.exec(window.location.hash);
    var stored = key("token:" + role + (data.group ? ":" + data.group : ""));
    if (match) {
      storageSet(stored, decodeURIComponent(match[1]));
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", window.location.pathname + window.location.search);
      }
    }
    return storageGet(stored);
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  /* A count message in the page's language: `pair` is [form for one, form for many] (page data,
     i18n.plural_pair); the counts in data.plural_singulars take the first ([0, 1] in French:
     « 0 carte », « 1 connecté »; [1] in English). Returns the form; "{n}" is replaced by n. */
  function plural(n, pair) {
    var singulars = data.plural_singulars || [1];
    var form = singulars.indexOf(n) >= 0 ? pair[0] : pair[1];
    return String(form).replace(/\{n\}/g, n);
  }

  var ended = false;  // the workshop was deleted or this link replaced: nothing changes the page any more

  function setStatus(state) {
    var node = document.getElementById("status");
    if (!node || ended) { return; }
    node.hidden = false;
    node.textContent = data.t[state] || state;
    node.className = "status status-" + state;
    document.body.setAttribute("data-connection", state);
  }

  /* The organiser deleted the workshop (`workshop:deleted`, `session:ended` "workshop_deleted", or a
     rejoin refused with unknown_workshop after a drop): say so, stop reconnecting, forget what this
     browser kept about it (tokens, the outbox: those cards can never be sent), and take the cards off
     the screen (hidden), since they are gone. */
  function endWorkshop(socket) { endPage(socket, data.ended, "facilitator:" + data.code + ":"); }

  /* The organiser issued new links (`session:ended` "links_renewed", or a console, board or référent
     link refused with bad_token): the same unmistakable end, saying what to do. Only this link's token
     is forgotten: a référent's unsent paper cards stay for the new link to send. */
  function endLink(socket) {
    endPage(socket, data.revoked, key("token:" + data.role + (data.group ? ":" + data.group : "")));
  }

  function endPage(socket, words, forget) {
    if (ended) { return; }
    var node = document.getElementById("status");
    if (node) {
      node.hidden = false;
      node.textContent = words.status;
      node.className = "status status-error";
    }
    ended = true;
    document.body.setAttribute("data-connection", "ended");
    /* The offline copy of this workshop's phone page goes too (phone_sw.js). */
    if (data.role === "participant" && navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "forget", code: data.code });
    }
    socket.disconnect();  /* a disconnect asked for by the client is never retried */
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i -= 1) {
        var stored = window.localStorage.key(i);
        /* `forget` ends with ":" for every key of the workshop, or names one key exactly */
        var match = forget.slice(-1) === ":" ? stored && stored.indexOf(forget) === 0 : stored === forget;
        if (match) { window.localStorage.removeItem(stored); }
      }
    } catch (e) { /* no storage: nothing kept */ }
    /* Hidden, not removed: feature scripts (agenda timers…) keep their nodes. */
    var main = document.getElementById("main");
    Array.prototype.forEach.call(main.children, function (child) { child.hidden = true; });
    var notice = el("section", "panel ended-notice");
    notice.id = "workshop-ended";
    notice.setAttribute("role", "alert");
    notice.appendChild(el("h1", null, words.title));
    notice.appendChild(el("p", null, words.text));
    main.appendChild(notice);
  }

  /* connect({payload: () => joinPayload, onJoined(reply), onEvent(message), onJoinError(error)}) */
  function connect(options) {
    /* WebSocket first (one connection, no polling round trips on a busy Wi-Fi); long-polling when a
       proxy or an old phone refuses WebSockets. */
    /* Behind a load balancer (several processes) the page uses WebSocket only: long-polling would need
       sticky sessions, which a venue's single NAT address makes impossible to key on the client IP. */
    var transports = data.websocket_only ? ["websocket"] : ["websocket", "polling"];
    var socket = window.io({ transports: transports, tryAllTransports: !data.websocket_only, reconnectionDelayMax: 5000 });
    var state = { seq: 0, joined: false };

    function apply(message) {
      if (!message || typeof message.type !== "string" || ended) { return; }
      if (message.type === "workshop:deleted") { endWorkshop(socket); return; }
      if (message.type === "session:ended") {
        if (message.reason === "links_renewed") { endLink(socket); } else { endWorkshop(socket); }
        return;
      }
      /* Cards posted in a burst arrive together: apply each one, in order, as if sent alone. */
      if (message.type === "cards:batch") { (message.messages || []).forEach(apply); return; }
      if (typeof message.seq === "number" && message.seq > state.seq) { state.seq = message.seq; }
      if (options.onEvent) { options.onEvent(message); }
      (subscribers[message.type] || []).concat(subscribers["*"] || []).forEach(function (fn) { fn(message); });
    }

    /* A rejoin after a drop sends the highest seq seen: the server answers with the missed events when
       it can, or a fresh snapshot when too much happened. */
    function join() {
      if (ended) { return; }
      var payload = options.payload();
      if (state.seq > 0) { payload.since = state.seq; }
      socket.timeout(15000).emit("join", payload, function (err, reply) {
        if (err) { setStatus("offline"); return join(); }
        if (!reply.ok) {
          if (reply.error.code === "unknown_workshop") { endWorkshop(socket); return; }
          if (reply.error.code === "bad_token" && data.role !== "participant") { endLink(socket); return; }
          if (reply.error.code === "ticket_expired") {  /* an organiser's ticket past its 12 hours */
            endPage(socket, data.expired, key("token:" + data.role));
            return;
          }
          setStatus("offline");
          if (options.onJoinError) { options.onJoinError(reply.error); }
          return;
        }
        state.joined = true;
        setStatus("connected");
        if (reply.snapshot) {
          state.seq = reply.snapshot.seq;
          options.onJoined(reply);
        } else {
          reply.events.forEach(apply);
          if (reply.seq > state.seq) { state.seq = reply.seq; }
          if (options.onResumed) { options.onResumed(reply); }
        }
        joinHooks.forEach(function (fn) { fn(reply); });
      });
    }

    if (navigator.onLine === false) { setStatus("offline"); }  /* a page served offline says so at once */
    socket.onAny(function (type, message) { if (message && message.type === type) { apply(message); } });
    socket.on("connect", function () { setStatus("connecting"); join(); });
    /* Until the next join is acknowledged the server does not know this connection: nothing may be
       sent but `join` (a card sent now would be refused with not_joined). */
    socket.on("disconnect", function () { state.joined = false; setStatus("offline"); });
    socket.io.on("reconnect_attempt", function () { setStatus("offline"); });
    window.addEventListener("offline", function () { setStatus("offline"); });
    /* Back on the network (the hall's Wi-Fi returns): try now, not at the backoff's next attempt
       (up to 7.5 s away). Closing the idle manager cancels its timer; connecting opens it again. */
    window.addEventListener("online", function () {
      if (!ended && !socket.connected) { socket.disconnect().connect(); }
    });

    Live.current = {
      socket: socket,
      state: state,
      join: join,
      /* Emit with an ack; `done(error, reply)` gets a timeout as an error so callers can retry. */
      request: function (event, payload, done) {
        socket.timeout(10000).emit(event, payload, done);
      }
    };
    return Live.current;
  }

  /* Feature scripts (agenda, votes, moderation…) listen to broadcasts and joins without touching the
     page's own script: Live.subscribe("step:changed", fn), Live.onJoin(fn). */
  var subscribers = {};
  var joinHooks = [];
  function subscribe(type, fn) { (subscribers[type] = subscribers[type] || []).push(fn); }
  function onJoin(fn) { joinHooks.push(fn); }

  /* Feature scripts decorate the cards the page's own script draws (dot buttons, "keep" buttons).
     Call `decorate` whenever `list` is redrawn; decorations (any feature's) are not redraws, so two
     watchers of the same list never wake each other up forever. Returns the MutationObserver. */
  var DECORATIONS = ".vote-row, .keep-button";
  function decoration(node) {
    var element = node.nodeType === 1 ? node : node.parentElement;
    return !!(element && element.closest && element.closest(DECORATIONS));
  }
  function redrawn(records) {
    return records.some(function (record) {
      if (decoration(record.target)) { return false; }
      var nodes = Array.prototype.slice.call(record.addedNodes).concat(Array.prototype.slice.call(record.removedNodes));
      return nodes.some(function (node) {
        return !decoration(node) && !(node.nodeType === 1 && node.matches && node.matches(DECORATIONS));
      });
    });
  }
  function watchRedraws(list, decorate) {
    var observer = new MutationObserver(function (records) { if (redrawn(records)) { decorate(); } });
    observer.observe(list, { childList: true, subtree: true });
    return observer;
  }

  /* A downloaded answer (kit, compte rendu) saved as a file: fetch with a token, then this. */
  function saveFile(blob, filename) {
    var url = window.URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    window.setTimeout(function () { window.URL.revokeObjectURL(url); }, 60000);
  }

  var Live = window.Live = {
    saveFile: saveFile,
    watchRedraws: watchRedraws,
    data: data,
    connect: connect,
    subscribe: subscribe,
    onJoin: onJoin,
    current: null,
    pageToken: pageToken,
    randomId: randomId,
    storageGet: storageGet,
    storageSet: storageSet,
    key: key,
    plural: plural,
    el: el,
    setStatus: setStatus
  };
})();
