/* The place search: every place by any spelling (English, Arabic, other names, transliterations), folded
 * by the rules of layers/tools/search.py (15-fold.js) and ranked the same way: exact, prefix, word prefix,
 * inside a name, then the same on the transliteration skeleton; ties by importance, population, length. */
(function () {
  "use strict";
  var CM = window.CM, LIMIT = 12;
  var index = null;  // {f: folder, places: [[zi, en, ar, others, importance, population, keys]]}

  // The index of every place, once the place index has come (assets/03-data.js); until then null, and the
  // search runs again when it comes.
  function build() {
    var raw = CM.data.placeIndex(CM.s.data, function () {
      var input = document.getElementById("place-search");
      if (input && input.value.trim()) { show(search(input.value)); }
    });
    if (!raw) { return null; }
    var f = CM.fold.folder(raw.rules);
    function keys(names) {
      return names.filter(Boolean).map(function (n) { var l = f.light(n); return [l, f.skeleton(l)]; });
    }
    return {f: f, places: raw.places.map(function (p) {
      return p.concat([keys([p[1], p[2]]), keys(p[3])]);
    })};
  }

  function search(query) {
    index = index || build();
    if (!index) { return []; }
    var ql = index.f.light(query);
    if (!ql) { return []; }
    var qs = index.f.skeleton(ql), hits = [];
    index.places.forEach(function (p) {
      // a match on the place's own names beats the same match on another of its names (tools/search.py)
      var a = index.f.match(ql, qs, p[6]), b = index.f.match(ql, qs, p[7]);
      var s = a === null ? (b === null ? null : 2 * b + 1) : (b === null ? 2 * a : Math.min(2 * a, 2 * b + 1));
      if (s !== null) { hits.push([s, p[4], -p[5], p[1].length, p]); }
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3]; });
    return hits.slice(0, LIMIT).map(function (h) { return h[4]; });
  }

  var active = -1;
  function show(results) {
    var list = document.getElementById("search-results");
    if (!list) { return; }
    list.replaceChildren();
    active = results.length ? 0 : -1;
    results.forEach(function (p, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.setAttribute("data-zone", p[0]);
      li.id = "search-option-" + i;
      li.className = i === 0 ? "active" : "";
      var en = document.createElement("span"), ar = document.createElement("span");
      en.textContent = p[1];
      ar.textContent = p[2] || "";
      ar.className = "arabic";
      ar.lang = "ar";
      ar.dir = "rtl";
      li.appendChild(en);
      li.appendChild(ar);
      list.appendChild(li);
    });
    var input = document.getElementById("place-search");
    if (input.value.trim() && !results.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = CM.i18n.tr("noresults");
      list.appendChild(none);
    }
    list.hidden = !input.value.trim();
  }

  function choose(li) {
    if (!li || !li.hasAttribute("data-zone")) { return; }
    var input = document.getElementById("place-search");
    input.value = li.firstChild.textContent;
    document.getElementById("search-results").hidden = true;
    CM.details.findPlace(Number(li.getAttribute("data-zone")));
  }

  function move(step) {
    var items = document.querySelectorAll("#search-results li[data-zone]");
    if (!items.length) { return; }
    active = (active + step + items.length) % items.length;
    items.forEach(function (li, i) { li.className = i === active ? "active" : ""; });
  }

  document.addEventListener("input", function (e) {
    if (e.target.id !== "place-search") { return; }
    var results = search(e.target.value);
    if (index) { show(results); }  // else shown when the place index comes (build)
  });
  document.addEventListener("focusin", function (e) {  // the place index is wanted now: fetch it
    if (e.target.id === "place-search") { CM.data.placeIndex(CM.s.data); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.target.id !== "place-search") { return; }
    if (e.key === "ArrowDown" || e.key === "ArrowUp") { move(e.key === "ArrowDown" ? 1 : -1); e.preventDefault(); }
    else if (e.key === "Enter") { choose(document.querySelectorAll("#search-results li[data-zone]")[active]); e.preventDefault(); }
    else if (e.key === "Escape") { document.getElementById("search-results").hidden = true; }
  });
  document.addEventListener("click", function (e) {
    var li = e.target.closest && e.target.closest("#search-results li");
    if (li) { choose(li); return; }
    var list = document.getElementById("search-results");
    if (list && !(e.target.closest && e.target.closest(".place-search"))) { list.hidden = true; }
  });

  CM.search = {search: search};
})();
