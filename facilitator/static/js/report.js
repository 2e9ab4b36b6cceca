/* The facilitator console's report buttons: GET /api/workshops/<code>/report.<fmt> with the console's
   token in the Authorization header (never in a URL), then save the answer under the server's name. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.getElementById("report-download");
  if (!box || !window.fetch || !window.Live) { return; }
  var status = document.getElementById("report-status");
  /* [data-report]: report.<fmt>; [data-file]: another file of the workshop (the action plan's plan.ics…) */
  var buttons = box.querySelectorAll("[data-report], [data-file]");

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return values[name] !== undefined ? values[name] : all;
    });
  }

  function size(bytes) {
    if (bytes >= 1024 * 1024) {
      return fill(box.getAttribute("data-mb"), { n: (bytes / 1024 / 1024).toFixed(1).replace(".", ",") });
    }
    return fill(box.getAttribute("data-kb"), { n: String(Math.max(1, Math.round(bytes / 1024))) });
  }

  /* `attachment; filename="compte-rendu-assises-2026-11-23.docx"` → the name (the title and the date). */
  function filenameOf(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename="([^"]+)"/.exec(header) || /filename=([^;]+)/.exec(header);
    return match ? match[1].trim() : fallback;
  }

  function failed(message) {
    status.className = "report-status report-error";
    status.textContent = box.getAttribute("data-failed") + " " + message;
  }

  function download(button) {
    var fmt = button.getAttribute("data-report");
    var code = window.Live.data.code;
    Array.prototype.forEach.call(buttons, function (other) { other.disabled = true; });
    button.setAttribute("aria-busy", "true");
    box.setAttribute("data-state", "busy");
    status.className = "report-status";
    status.textContent = fill(box.getAttribute("data-busy"), { format: button.getAttribute("data-format-name") });
    var query = button.getAttribute("data-query");  /* csv: excel=1, the file a spreadsheet opens */
    var file = button.getAttribute("data-file") || "report." + fmt;
    window.fetch("/api/workshops/" + encodeURIComponent(code) + "/" + file + (query ? "?" + query : ""), {
      method: "GET",
      credentials: "omit",
      cache: "no-store",
      headers: {
        "Authorization": "Bearer " + (window.Live.pageToken("facilitator") || ""),
        "Accept-Language": document.documentElement.lang || "fr"
      }
    }).then(function (response) {
      if (response.ok) {
        var filename = filenameOf(response, button.getAttribute("data-file") || "compte-rendu-" + code + "." + fmt);
        return response.blob().then(function (blob) {
          window.Live.saveFile(blob, filename);
          status.textContent = fill(box.getAttribute("data-done"), { filename: filename, size: size(blob.size) });
        });
      }
      return response.json().then(function (body) {
        failed(body && body.error ? body.error.message : String(response.status));
      }, function () { failed(String(response.status)); });
    }, function () {
      failed(box.getAttribute("data-network"));
    }).then(function () {
      Array.prototype.forEach.call(buttons, function (other) { other.disabled = false; });
      button.removeAttribute("aria-busy");
      box.removeAttribute("data-state");
    });
  }

  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener("click", function () { download(button); });
  });
});
