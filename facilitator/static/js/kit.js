/* The facilitator console's kit buttons: POST with the console's token, save the answer as a file. */
// Included before live.js in the page: start once every deferred script has run.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.getElementById("kit-download");
  if (!box || !window.fetch || !window.Live) { return; }
  var status = document.getElementById("kit-status");

  function failed(message) {
    status.textContent = box.getAttribute("data-failed") + " " + message;
  }

  function download(button) {
    var kind = button.getAttribute("data-kit");
    // The PDF issues new référent links: the first click says so, the second builds the kit.
    if (kind === "pdf" && !button.hasAttribute("data-label")) {
      button.setAttribute("data-label", button.textContent);
      button.textContent = box.getAttribute("data-confirm-label");
      button.classList.add("primary");
      status.textContent = box.getAttribute("data-confirm");
      // The join panel scrolls on small screens: the warning must be read before the second click.
      if (status.scrollIntoView) { status.scrollIntoView({ block: "nearest" }); }
      return;
    }
    var code = window.Live.data.code;
    button.disabled = true;
    status.textContent = box.getAttribute("data-busy");
    window.fetch("/api/workshops/" + encodeURIComponent(code) + "/kit." + kind, {
      method: "POST",
      credentials: "omit",
      headers: {
        "Authorization": "Bearer " + (window.Live.pageToken("facilitator") || ""),
        "Content-Type": "application/json",
        "Accept-Language": document.documentElement.lang || "fr"
      },
      body: "{}"
    }).then(function (response) {
      if (response.ok) {
        return response.blob().then(function (blob) {
          window.Live.saveFile(blob, "kit-" + code + "." + kind);
          status.textContent = box.getAttribute("data-done");
        });
      }
      return response.json().then(function (body) {
        failed(body && body.error ? body.error.message : String(response.status));
      }, function () { failed(String(response.status)); });
    }, function () {
      failed(box.getAttribute("data-network"));
    }).then(function () {
      button.disabled = false;
      if (button.hasAttribute("data-label")) {
        button.textContent = button.getAttribute("data-label");
        button.removeAttribute("data-label");
        button.classList.remove("primary");
      }
    });
  }

  Array.prototype.forEach.call(box.querySelectorAll("[data-kit]"), function (button) {
    button.addEventListener("click", function () { download(button); });
  });
});
