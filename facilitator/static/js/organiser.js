/* The organiser's link carries the key in the fragment (#key=...): fill the sign-in form with it and
   send it, so the key never appears in the server's access log. */
(function () {
  "use strict";
  var match = /[#&]key=([^&]+)/.exec(window.location.hash);
  var form = document.getElementById("signin-form");
  if (!match || !form) { return; }
  window.history.replaceState(null, "", window.location.pathname);
  form.querySelector("input[type=password]").value = decodeURIComponent(match[1]);
  form.submit();
})();
