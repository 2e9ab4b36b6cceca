/* The facilitator console's kit buttons: POST with the console's token, save the answer as a file.
   Posters (and the slides) change nothing and download at once; the référent sheets re-issue the
   chosen tables' référent links, so the first click says so and the second builds them. Every
   request carries the « Options du kit » form (blank fields left out: the server's defaults), which
   this browser remembers per workshop. */
// Included before live.js in the page: start once every deferred script has run.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.getElementById("kit-download");
  if (!box || !window.fetch || !window.Live) { return; }
  var status = document.getElementById("kit-status");
  var table = document.getElementById("kit-table");
  var fields = ["start", "contact", "rules", "posters", "card_pages"];
  var remembered = "kit-options:" + window.Live.data.code;

  function field(name) { return box.querySelector('[name="' + name + '"]'); }

  function options() {
    var body = {};
    fields.forEach(function (name) {
      var input = field(name);
      if (!input) { return; }
      var value = input.value.trim();
      if (!value) { return; }
      body[name] = name === "card_pages" ? parseInt(value, 10) : input.value;
    });
    return body;
  }

  /* The closed panel says what the next download will use: remembered options are never a surprise. */
  function summarise() {
    var panel = document.getElementById("kit-options");
    var line = document.getElementById("kit-options-summary");
    if (!panel || !line) { return; }
    var start = field("start").value.trim();
    var posters = field("posters");
    var pages = parseInt(field("card_pages").value, 10);
    if (isNaN(pages)) { pages = 1; }
    var parts = [
      start ? panel.getAttribute("data-start").replace("{time}", start) : panel.getAttribute("data-no-start"),
      panel.getAttribute("data-posters").replace("{size}", posters.options[posters.selectedIndex].text),
      panel.getAttribute(pages > 1 ? "data-pages-many" : "data-pages-one").replace("{n}", pages)
    ];
    line.textContent = "(" + parts.join(" · ") + ")";
  }

  function remember() {
    try { window.localStorage.setItem(remembered, JSON.stringify(options())); } catch (e) { /* private mode */ }
    summarise();
  }

  (function restore() {
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(remembered) || "null"); } catch (e) { saved = null; }
    fields.forEach(function (name) {
      var input = field(name);
      if (saved && input && saved[name] !== undefined) { input.value = String(saved[name]); }
    });
    summarise();
  }());
  fields.forEach(function (name) {
    var input = field(name);
    if (input) { input.addEventListener("change", remember); input.addEventListener("input", summarise); }
  });

  function failed(message) {
    status.textContent = box.getAttribute("data-failed") + " " + message;
  }

  function filenameOf(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename="([^"]+)"/.exec(header);
    return match ? match[1] : fallback;
  }

  function reset(button) {
    if (button.hasAttribute("data-label")) {
      button.textContent = button.getAttribute("data-label");
      button.removeAttribute("data-label");
      button.classList.remove("primary");
    }
  }

  function download(button) {
    var kind = button.getAttribute("data-kit");
    var part = button.getAttribute("data-part");
    var query = part ? "?part=" + part : "";
    var chosen = part === "referents" && table ? table.value : "";
    if (chosen) { query += "&table=" + encodeURIComponent(chosen); }
    if (part === "referents" && !button.hasAttribute("data-label")) {
      button.setAttribute("data-label", button.textContent);
      button.textContent = box.getAttribute("data-confirm-label");
      button.classList.add("primary");
      status.textContent = chosen
        ? box.getAttribute("data-confirm-table").replace("{table}", chosen)
        : box.getAttribute("data-confirm-all");
      // The join panel scrolls on small screens: the warning must be read before the second click.
      if (status.scrollIntoView) { status.scrollIntoView({ block: "nearest" }); }
      return;
    }
    var code = window.Live.data.code;
    button.disabled = true;
    status.textContent = box.getAttribute("data-busy");
    window.fetch("/api/workshops/" + encodeURIComponent(code) + "/kit." + kind + query, {
      method: "POST",
      credentials: "omit",
      headers: {
        "Authorization": "Bearer " + (window.Live.pageToken("facilitator") || ""),
        "Content-Type": "application/json",
        "Accept-Language": document.documentElement.lang || "fr"
      },
      body: JSON.stringify(options())
    }).then(function (response) {
      if (response.ok) {
        return response.blob().then(function (blob) {
          window.Live.saveFile(blob, filenameOf(response, "kit-" + code + "." + kind));
          status.textContent = box.getAttribute(part === "referents" ? "data-done-referents" : "data-done");
        });
      }
      return response.json().then(function (body) {
        failed(body && body.error ? body.error.message : String(response.status));
      }, function () { failed(String(response.status)); });
    }, function () {
      failed(box.getAttribute("data-network"));
    }).then(function () {
      button.disabled = false;
      reset(button);
    });
  }

  Array.prototype.forEach.call(box.querySelectorAll("[data-kit]"), function (button) {
    button.addEventListener("click", function () { download(button); });
  });
  // Another table chosen: the pending confirmation was for the previous choice.
  if (table) {
    table.addEventListener("change", function () {
      Array.prototype.forEach.call(box.querySelectorAll("[data-label]"), reset);
      status.textContent = "";
    });
  }
});
