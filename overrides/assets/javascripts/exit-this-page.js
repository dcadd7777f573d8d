/*
 * Exit this page (after GOV.UK's pattern): the button, or Shift pressed three times
 * within 5 seconds, covers the page at once, clears what this site stored in the
 * browser, replaces the current history entry and goes to a neutral site.
 * Hand-written because neither Material for MkDocs nor any package we use provides it.
 */
(function () {
  "use strict";

  var PRESSES = 3;
  var WINDOW_MS = 5000;
  var presses = 0;
  var timer = null;

  function button() {
    return document.querySelector("[data-oscp-exit]");
  }

  function announce(text) {
    var status = document.querySelector("[data-oscp-exit-status]");
    if (status) {
      status.textContent = text;
    }
  }

  function exitPage(event) {
    if (event) {
      event.preventDefault();
    }
    var link = button();
    var target = link ? link.href : "https://www.bbc.co.uk/weather";
    var cover = document.createElement("div");
    cover.className = "oscp-exit-cover";
    cover.setAttribute("aria-hidden", "true");
    document.body.appendChild(cover);
    document.documentElement.classList.add("oscp-exiting");
    try { window.localStorage.clear(); } catch (e) { /* storage may be blocked */ }
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be blocked */ }
    window.location.replace(target);
  }

  function reset() {
    presses = 0;
    timer = null;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-oscp-exit]");
    if (link) {
      exitPage(event);
    }
  });

  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") {
      return;
    }
    presses += 1;
    if (presses >= PRESSES) {
      window.clearTimeout(timer);
      reset();
      announce("Exit this page activated");
      exitPage();
      return;
    }
    var left = PRESSES - presses;
    announce("Shift, press " + left + " more time" + (left === 1 ? "" : "s") + " to exit.");
    if (timer === null) {
      timer = window.setTimeout(function () {
        reset();
        announce("Exit this page expired.");
      }, WINDOW_MS);
    }
  });

  /* Coming back with the Back button: do not show a covered page from the cache. */
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.documentElement.classList.remove("oscp-exiting");
      var cover = document.querySelector(".oscp-exit-cover");
      if (cover) {
        cover.remove();
      }
    }
  });
})();
