/* The evidence dashboard: sort by any column, filter by words, status and theme. No network, no library. */
(function () {
  "use strict";

  function setup() {
    var table = document.getElementById("dashboard");
    if (!table || table.dataset.ready) return;
    table.dataset.ready = "1";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var controls = document.querySelector(".dashboard-controls");
    var filter = document.getElementById("dash-filter");
    var status = document.getElementById("dash-status");
    var theme = document.getElementById("dash-theme");
    var count = document.getElementById("dash-count");
    if (controls) controls.hidden = false;

    function apply() {
      var words = (filter.value || "").toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var ok = (!status.value || row.dataset.status === status.value) &&
          (!theme.value || row.dataset.theme === theme.value) &&
          words.every(function (w) { return row.dataset.search.indexOf(w) !== -1; });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown + " of " + rows.length + " claims";
    }

    function key(row, index, type) {
      var cell = row.cells[index];
      var value = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
      return type === "number" || type === "rank" ? parseFloat(value) : value.toLowerCase();
    }

    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var type = th.dataset.type;
        rows.sort(function (a, b) {
          var x = key(a, index, type), y = key(b, index, type);
          var order = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? order : -order;
        });
        var fragment = document.createDocumentFragment();
        rows.forEach(function (row) { fragment.appendChild(row); });
        body.appendChild(fragment);
      });
    });
    [filter, status, theme].forEach(function (el) { el.addEventListener("input", apply); });
    apply();
  }

  /* The sticky marking banner's height, for the header, search panel and drawer placed below it (briefing.css) */
  function bannerHeight() {
    var banner = document.querySelector('[data-md-component="announce"]');
    if (!banner) return;
    var set = function () {
      document.documentElement.style.setProperty("--briefing-banner-h", banner.offsetHeight + "px");
    };
    set();
    if (window.ResizeObserver) new ResizeObserver(set).observe(banner);
    else window.addEventListener("resize", set);
  }

  function start() {
    bannerHeight();
    setup();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
