/*
 * Draw the charts on a page with the self-hosted plotly.js basic bundle, loading it only
 * when the page has a chart. Redraws after Material's instant navigation (document$) and
 * when the reader switches between light and dark colours. The data table beside each
 * chart is the accessible, printable and script-free version of the same figures.
 */
(function () {
  "use strict";

  var loading = null;
  /* Only ever the copy of plotly.js vendored beside this script: never an address read from
     the page, which content could otherwise set. */
  var PLOTLY = new URL("vendor/plotly-basic-4.1.1.min.js",
    (document.currentScript && document.currentScript.src) || window.location.href).href;

  function loadPlotly() {
    var src = PLOTLY;
    if (window.Plotly) {
      return Promise.resolve();
    }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function themeColours() {
    var style = window.getComputedStyle(document.body);
    return {
      text: style.getPropertyValue("--md-default-fg-color").trim() || "#000000",
      grid: style.getPropertyValue("--md-default-fg-color--lightest").trim() || "#dddddd"
    };
  }

  function draw(element) {
    var spec = JSON.parse(element.dataset.figure);
    var colours = themeColours();
    var layout = spec.layout;
    layout.font = Object.assign({}, layout.font, { color: colours.text });
    ["xaxis", "yaxis"].forEach(function (axis) {
      if (layout[axis]) {
        layout[axis] = Object.assign({}, layout[axis], { gridcolor: colours.grid, linecolor: colours.text });
      }
    });
    return window.Plotly.react(element, spec.data, layout, {
      displayModeBar: false,
      responsive: true
    }).then(function () {
      var svgs = element.querySelectorAll("svg.main-svg");
      svgs.forEach(function (svg, index) {
        if (index === 0) {
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", element.dataset.label);
        } else {
          svg.setAttribute("aria-hidden", "true");
        }
      });
      element.style.minHeight = "";
      element.dataset.drawn = "true";
    });
  }

  function drawWhenLoaded(chart) {
    loadPlotly().then(function () {
      return draw(chart);
    }).catch(function (error) { console.error(error); });
  }

  /* plotly is large: fetch it only when a chart comes near the screen, so that a page's
     text and table are ready first (and pages read without scrolling never load it). */
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        observer.unobserve(entry.target);
        drawWhenLoaded(entry.target);
      }
    });
  }, { rootMargin: "0px" }) : null;

  function render() {
    document.querySelectorAll(".oscp-chart").forEach(function (chart) {
      if (chart.dataset.drawn === "true") {
        drawWhenLoaded(chart);  /* a redraw, e.g. after a palette switch */
      } else if (observer) {
        observer.observe(chart);
      } else {
        drawWhenLoaded(chart);
      }
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(render);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }

  new MutationObserver(render).observe(document.body, {
    attributes: true,
    attributeFilter: ["data-md-color-scheme"]
  });
})();
