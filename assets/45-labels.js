/* Place labels drawn as HTML over the MapLibre canvas (MapLibre would need a glyph server to draw text,
 * which an offline map does not have; the browser's own fonts shape Arabic correctly as well).
 * Labels read like a map: the most important places first (the gazetteer's rank, 1 = most important, then
 * population), more of them as one zooms in, and never two that overlap (greedy placement on a grid). */
(function () {
  "use strict";
  var CM = window.CM;
  var state = {places: null, data: null, lang: "en", map: null, layer: null, pending: false, on: true, cities: false};
  // The zoom from which places of each importance are labelled (1 cities ... 4 villages).
  var MIN_ZOOM = {1: 0, 2: 6.8, 3: 8.6, 4: 9.8};
  var CELL = 64, PAD = 3, MAX_LABELS = 400;
  var measure = null;

  var widths = {};
  function textWidth(text, font) {
    var key = font + "|" + text;
    if (!(key in widths)) {
      measure = measure || document.createElement("canvas").getContext("2d");
      measure.font = font;
      widths[key] = measure.measureText(text).width;
    }
    return widths[key];
  }

  // Places sorted by importance, then population: the order labels claim room in. Cities and towns come
  // with the state table (data.labels); villages with the place index, fetched at the first zoom that
  // labels them (assets/03-data.js), after which the labels are placed again.
  function candidates(zoom) {
    var raw = CM.data.placeIndex(zoom >= MIN_ZOOM[3] ? state.data : null, schedule) ||
      {places: state.data.labels || []};
    if (state.places && state.places.raw === raw) { return state.places.list; }
    var list = raw.places.slice().sort(function (a, b) { return a[4] - b[4] || b[5] - a[5] || a[1].length - b[1].length; });
    state.places = {raw: raw, list: list};
    return list;
  }

  function collides(grid, box) {
    for (var gx = Math.floor(box[0] / CELL); gx <= Math.floor(box[2] / CELL); gx++) {
      for (var gy = Math.floor(box[1] / CELL); gy <= Math.floor(box[3] / CELL); gy++) {
        var cell = grid[gx + ":" + gy];
        if (!cell) { continue; }
        for (var i = 0; i < cell.length; i++) {
          var o = cell[i];
          if (box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]) { return true; }
        }
      }
    }
    return false;
  }

  function claim(grid, box) {
    for (var gx = Math.floor(box[0] / CELL); gx <= Math.floor(box[2] / CELL); gx++) {
      for (var gy = Math.floor(box[1] / CELL); gy <= Math.floor(box[3] / CELL); gy++) {
        (grid[gx + ":" + gy] = grid[gx + ":" + gy] || []).push(box);
      }
    }
  }

  function place() {
    state.pending = false;
    var map = state.map, layer = state.layer, data = state.data;
    if (!map || !layer || !data) { return; }
    if (!state.on && !state.cities) { layer.replaceChildren(); return; }
    var w = layer.clientWidth, h = layer.clientHeight, zoom = map.getZoom(), grid = {}, out = [];
    var ar = state.lang === "ar";
    (state.on ? candidates(zoom) : []).every(function (p) {
      if (zoom < (MIN_ZOOM[p[4]] != null ? MIN_ZOOM[p[4]] : 9.8)) { return true; }
      var c = data.zone_centers[p[0]], pt = map.project(c);
      if (pt.x < -40 || pt.y < -20 || pt.x > w + 40 || pt.y > h + 20) { return true; }
      var name = (ar && p[2]) || p[1], minor = p[4] >= 3;
      var font = (minor ? "400 11px" : "600 12px") + " 'Noto Sans', 'DejaVu Sans', sans-serif";
      var tw = textWidth(name, font), th = minor ? 13 : 15;
      var box = [pt.x + 6 - PAD, pt.y - th / 2 - PAD, pt.x + 6 + tw + PAD, pt.y + th / 2 + PAD];
      if (collides(grid, box)) { return true; }
      claim(grid, box);
      var span = document.createElement("span");
      span.className = "map-label" + (minor ? " minor" : "");
      span.textContent = name;
      span.setAttribute("data-zone", p[0]);
      if (ar && p[2]) { span.dir = "rtl"; span.lang = "ar"; }
      span.style.left = pt.x + "px";
      span.style.top = pt.y + "px";
      out.push(span);
      return out.length < MAX_LABELS;
    });
    if (state.cities) {  // major cities of the world basemap (imported areas): [name, Arabic name, lon, lat]
      (data.cities || []).forEach(function (c) {
        var pt = map.project([c[2], c[3]]), name = (ar && c[1]) || c[0];
        if (pt.x < -40 || pt.y < -20 || pt.x > w + 40 || pt.y > h + 20) { return; }
        var box = [pt.x + 6 - PAD, pt.y - 8 - PAD, pt.x + 6 + textWidth(name, "600 12px sans-serif") + PAD, pt.y + 8 + PAD];
        if (collides(grid, box)) { return; }
        claim(grid, box);
        var span = document.createElement("span");
        span.className = "map-label city-label";
        span.textContent = name;
        if (ar && c[1]) { span.dir = "rtl"; span.lang = "ar"; }
        span.style.left = pt.x + "px";
        span.style.top = pt.y + "px";
        out.push(span);
      });
    }
    layer.replaceChildren.apply(layer, out);
  }

  function schedule() {
    if (!state.pending) { state.pending = true; window.requestAnimationFrame(place); }
  }

  function attach() {
    var map = CM.map.get();  // the MapLibre map, once made (38-map.js)
    if (!map) { return false; }
    if (map !== state.map) {
      state.map = map;
      map.on("move", schedule);
      map.on("resize", schedule);
    }
    var container = map.getContainer();
    if (!state.layer || !container.contains(state.layer)) {
      state.layer = document.createElement("div");
      state.layer.className = "map-labels";
      state.layer.setAttribute("aria-hidden", "true");
      container.appendChild(state.layer);
    }
    return true;
  }

  // towns: the town markers drawn (empty when the towns layer is off, and then no labels either).
  function update(data, towns, lang, cities) {
    var on = !!(towns && towns.length), key = [data.digest, on, lang || "en", !!cities].join("|");
    if (key === state.key && state.layer && state.map && state.map.getContainer().contains(state.layer)) {
      return;  // labels depend on the view, the language and the towns layer, not on the day
    }
    state.key = key;
    state.data = data;
    state.on = on;
    state.cities = Boolean(cities);
    state.lang = lang || "en";
    var tries = 0;
    (function go() {
      if (attach()) { schedule(); } else if (tries++ < 50) { window.setTimeout(go, 100); }
    })();
  }

  window.controlmapLabels = {update: update};
})();
