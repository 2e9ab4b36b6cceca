/* The phone pages' service worker (served as /j/sw.js, scope /j/): a reload without network shows
   the phone page again, with its outbox (localStorage), instead of the browser's error page.

   - Network first, always: the page and its assets come from the server whenever it answers, so a
     live page is never stale; the copy kept here is used only when the fetch fails.
   - Kept: the phone pages themselves (/j/<code>, any ?g=) and the /static/ files they load — the
     page sends their addresses ("keep") once this worker runs, since its first load came before it.
   - Never kept (not even looked at): Socket.IO, the API, reports, anything not a GET, other origins.
   - A deleted workshop or a replaced link ("forget") drops the pages of its code.
   docs/decisions.md, « Phone offline reload ». */
"use strict";

var CACHE = "facilitator-phone-v1";

function isPhonePage(url) { return /^\/j\/[^/]+$/.test(url.pathname) && url.pathname !== "/j/sw.js"; }
function isAsset(url) { return url.pathname.indexOf("/static/") === 0; }

function keepable(request) {
  if (request.method !== "GET") { return false; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return false; }
  return isAsset(url) || (request.mode === "navigate" && isPhonePage(url));
}

function store(request, response) {
  /* Only plain answers: a redirect (lower-case code → canonical address) or an error is not the page. */
  if (!response || !response.ok || response.redirected || response.type !== "basic") { return; }
  var copy = response.clone();
  caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
}

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf("facilitator-phone-") === 0 && name !== CACHE; })
        .map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (!keepable(request)) { return; }  /* the browser fetches it as if there were no worker */
  event.respondWith(
    fetch(request).then(function (response) {
      store(request, response);
      return response;
    }).catch(function () {
      return caches.open(CACHE).then(function (cache) {
        return cache.match(request, { ignoreVary: true }).then(function (hit) {
          /* The same workshop's page under another ?g= (or none) is the same shell. */
          if (hit || request.mode !== "navigate") { return hit; }
          return cache.match(request, { ignoreSearch: true, ignoreVary: true });
        });
      }).then(function (hit) { return hit || Response.error(); });
    })
  );
});

self.addEventListener("message", function (event) {
  var message = event.data || {};
  if (message.type === "keep") {
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      return Promise.all((message.urls || []).map(function (address) {
        var url = new URL(address, self.location.origin);
        if (url.origin !== self.location.origin || !(isAsset(url) || isPhonePage(url))) { return null; }
        return fetch(url.href, { credentials: "same-origin" }).then(function (response) { store(url.href, response); })
          .catch(function () { /* offline now: kept at the next load */ });
      }));
    }));
  }
  if (message.type === "forget" && typeof message.code === "string") {
    var prefix = self.location.origin + "/j/" + message.code;
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      return cache.keys().then(function (requests) {
        return Promise.all(requests.filter(function (request) {
          return request.url === prefix || request.url.indexOf(prefix + "?") === 0;
        }).map(function (request) { return cache.delete(request); }));
      });
    }));
  }
});
