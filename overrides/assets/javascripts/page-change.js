/*
 * After Material's instant navigation swaps in a new page, start keyboard focus from the
 * top again (as a full page load would, so Tab reaches the skip links and the exit button
 * first) and tell screen-reader users which page has loaded.
 */
(function () {
  "use strict";

  if (!window.document$ || typeof window.document$.subscribe !== "function") {
    return;
  }
  var first = true;
  window.document$.subscribe(function () {
    if (first) {
      first = false;
      return;
    }
    /* after material has finished swapping the page's components in */
    window.requestAnimationFrame(function () {
      window.setTimeout(function () {
        var body = document.body;
        body.setAttribute("tabindex", "-1");
        body.focus({ preventScroll: true });
        body.removeAttribute("tabindex");
        var status = document.querySelector("[data-oscp-page-status]");
        if (status) {
          status.textContent = document.title;
        }
      }, 0);
    });
  });
})();
