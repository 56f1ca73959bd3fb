/* Registers in the page: sort a table by any column, filter its rows (or a list's items) by words and by the
   values in data attributes, the view kept in the URL so that it can be shared and survives a reload.
   One implementation for the dashboard, entities, key figures, the timeline and the sources, driven by data attributes:

   <div class="register-controls" data-for="ID" data-noun="claims" data-items="CSS" data-groups="CSS" hidden>
   (without data-for, the items are looked for in the element that holds the controls)
     <input data-filter="q">                 words, all found in the item's data-search (else its text)
     <select data-filter="status">            the item's data-status equals the value (empty: any)
     <select data-order>                      for a list: "asc" or "desc" (the document's order is "asc")
     <select data-sort-list>                  for a list: "" (the document's order), "KEY" or "KEY-desc": the items
                                              of each group by their data-KEY (numbers as numbers; empty last)
     <output data-count>
   The target #ID is a <table> (its body's rows are the items; headers become sort buttons when it has
   data-sortable: th data-type text, number, rank; a cell's data-sort is its key) or any element whose items
   are selected by data-items; data-groups are hidden (with the heading before them) when none of their items
   is shown. No network, no library. */
(function () {
  "use strict";

  var slice = function (list) { return Array.prototype.slice.call(list); };

  function register(controls) {
    var target = controls.dataset.for ? document.getElementById(controls.dataset.for) : controls.parentElement;
    if (!target || controls.dataset.ready) return;
    controls.dataset.ready = "1";
    var table = target.tagName === "TABLE" ? target : null;
    var items = table ? slice(table.tBodies[0].rows) : slice(target.querySelectorAll(controls.dataset.items));
    var groups = controls.dataset.groups ? slice(target.querySelectorAll(controls.dataset.groups)) : [];
    var fields = slice(controls.querySelectorAll("[data-filter]"));
    var order = controls.querySelector("[data-order]");
    var sorter = controls.querySelector("[data-sort-list]");
    var original = items.slice(); // the document's order
    var count = controls.querySelector("[data-count]");
    var noun = controls.dataset.noun || "items";
    var headers = table && table.hasAttribute("data-sortable") ? slice(table.tHead.rows[0].cells) : [];
    var sorted = null; // [column, ascending]
    var placed = groups.slice(); // the groups in their present order
    controls.hidden = false;

    function words(item) {
      if (item.dataset.search === undefined) item.dataset.search = item.textContent.toLowerCase().replace(/\s+/g, " ");
      return item.dataset.search;
    }

    function apply() {
      var shown = 0;
      items.forEach(function (item) {
        var ok = fields.every(function (f) {
          var value = (f.value || "").trim();
          if (!value) return true;
          if (f.tagName === "INPUT") {
            return value.toLowerCase().split(/\s+/).every(function (w) { return words(item).indexOf(w) !== -1; });
          }
          return item.dataset[f.dataset.filter] === value;
        });
        item.hidden = !ok;
        if (ok) shown += 1;
      });
      groups.forEach(function (group) {
        var empty = !slice(group.children).some(function (child) { return !child.hidden; });
        group.hidden = empty;
        var heading = group.previousElementSibling;
        if (heading && /^H[1-6]$/.test(heading.tagName)) heading.hidden = empty;
      });
      if (count) count.textContent = shown + " of " + items.length + " " + noun;
      save();
    }

    function key(row, index, type) {
      var cell = row.cells[index];
      var value = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
      return type === "number" || type === "rank" ? parseFloat(value) : value.toLowerCase();
    }

    function sortBy(index, ascending) {
      var th = headers[index];
      if (!th) return;
      sorted = [index, ascending];
      headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var type = th.dataset.type;
      items.sort(function (a, b) {
        var x = key(a, index, type), y = key(b, index, type);
        var o = x < y ? -1 : x > y ? 1 : 0;
        return ascending ? o : -o;
      });
      var fragment = document.createDocumentFragment();
      items.forEach(function (row) { fragment.appendChild(row); });
      table.tBodies[0].appendChild(fragment);
    }

    function reorder(direction) {
      // a list: groups (with their headings) and the items in each, in document order or reversed
      var want = direction === "desc";
      if ((target.dataset.reversed === "1") === want) return;
      target.dataset.reversed = want ? "1" : "";
      var blocks = groups.length ? groups : [target];
      blocks.forEach(function (group) {
        slice(group.children).reverse().forEach(function (child) { group.appendChild(child); });
      });
      if (placed.length > 1) {
        var parent = placed[0].parentNode, after = placed[placed.length - 1].nextSibling;
        placed.reverse();
        placed.forEach(function (group) {
          var heading = group.previousElementSibling;
          if (heading && /^H[1-6]$/.test(heading.tagName)) parent.insertBefore(heading, after);
          parent.insertBefore(group, after);
        });
      }
    }

    function sortList(value) {
      var how = /^([a-z]+)(-desc)?$/.exec(value || "");
      var blocks = groups.length ? groups : [target];
      blocks.forEach(function (group) {
        var members = original.filter(function (item) { return item.parentNode === group; });
        if (how) {
          members.sort(function (a, b) {
            var x = a.dataset[how[1]] || "", y = b.dataset[how[1]] || "";
            if (x === "" || y === "") return (x === "") - (y === "") || original.indexOf(a) - original.indexOf(b);
            var nx = Number(x), ny = Number(y);
            var o = !isNaN(nx) && !isNaN(ny) ? nx - ny : x < y ? -1 : x > y ? 1 : 0;
            return (how[2] ? -o : o) || original.indexOf(a) - original.indexOf(b);
          });
        }
        members.forEach(function (item) { group.appendChild(item); });
      });
    }

    /* The view in the URL's fragment: #q=words&status=reported&sort=2-desc (file:// keeps it on reload) */
    function save() {
      var params = new URLSearchParams();
      fields.forEach(function (f) { if ((f.value || "").trim()) params.set(f.dataset.filter, f.value.trim()); });
      if (sorted) params.set("sort", (sorted[0] + 1) + (sorted[1] ? "" : "-desc"));
      if (order && order.value !== "asc") params.set("order", order.value);
      if (sorter && sorter.value) params.set("by", sorter.value);
      var fragment = params.toString();
      if (!fragment && location.hash.indexOf("=") === -1) return; // an anchor (#src-x) is not a view: keep it
      var url = location.pathname + location.search + (fragment ? "#" + fragment : "");
      if (url !== location.pathname + location.search + location.hash) history.replaceState(null, "", url);
    }

    function load() {
      if (location.hash.indexOf("=") === -1) return;
      var params = new URLSearchParams(location.hash.slice(1));
      fields.forEach(function (f) {
        var value = params.get(f.dataset.filter);
        if (value === null) return;
        if (f.tagName === "SELECT" && !slice(f.options).some(function (o) { return o.value === value; })) return;
        f.value = value;
      });
      var sort = /^(\d+)(-desc)?$/.exec(params.get("sort") || "");
      if (sort) sortBy(parseInt(sort[1], 10) - 1, !sort[2]);
      if (order && params.get("order") === "desc") { order.value = "desc"; reorder("desc"); }
      var by = params.get("by");
      if (sorter && by && slice(sorter.options).some(function (o) { return o.value === by; })) {
        sorter.value = by;
        sortList(by);
      }
    }

    headers.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        sortBy(index, th.getAttribute("aria-sort") !== "ascending");
        save();
      });
    });
    fields.forEach(function (el) { el.addEventListener("input", apply); });
    if (order) order.addEventListener("input", function () { reorder(order.value); save(); });
    if (sorter) sorter.addEventListener("input", function () { sortList(sorter.value); save(); });
    load();
    apply();
  }

  function setup() {
    slice(document.querySelectorAll(".register-controls")).forEach(register);
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

  /* Citation and claim previews by touch: hover does not exist there and a tap follows the link at once, so the
     first tap on a citation opens its preview (the link's class "open") and a second tap follows it; a tap
     elsewhere or Escape closes it. Mouse and keyboard keep :hover and :focus (briefing.css). */
  function previews() {
    var touch = false;
    var close = function (except) {
      slice(document.querySelectorAll("a.cite.open, a.claim-ref.open")).forEach(function (a) {
        if (a !== except) a.classList.remove("open");
      });
    };
    document.addEventListener("pointerdown", function (e) { touch = e.pointerType === "touch" || e.pointerType === "pen"; },
      true);
    document.addEventListener("click", function (e) {
      var link = e.target.closest ? e.target.closest("a.cite, a.claim-ref") : null;
      close(link);
      if (!link || !touch || !link.querySelector(".cite-tip") || link.classList.contains("open")) return;
      e.preventDefault();
      link.classList.add("open");
    });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") close(null); });
  }

  function start() {
    bannerHeight();
    setup();
    previews();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
