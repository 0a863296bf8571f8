/* The quick exit (base.html): leave SafeSpace at once for a neutral page, replacing the
   current page in the browser's history so that Back does not bring it back. Clicking the
   button, or pressing Esc twice within a second, does it. Without JavaScript the button is
   still a plain link that leaves. Served from our own origin (no inline script: CSP). */
(function () {
  "use strict";
  var link = document.getElementById("quick-exit");
  if (!link) {
    return;
  }
  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    // Hide the page straight away: the next site may take a moment to answer.
    document.documentElement.classList.add("leaving");
    window.location.replace(link.href);
  }
  link.addEventListener("click", leave);
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var now = Date.now();
    if (now - lastEscape < 1000) {
      leave(event);
    } else {
      lastEscape = now;
    }
  });
})();
