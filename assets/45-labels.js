/* Town labels drawn as HTML over the MapLibre canvas. MapLibre would need a glyph server to draw text,
 * which an offline map does not have; the browser's own fonts shape Arabic correctly as well. */
(function () {
  "use strict";
  var state = {towns: [], cities: false, data: null, lang: "en", map: null, layer: null, pending: false};

  function graphDiv() { return document.querySelector("#map-graph .js-plotly-plot"); }

  function mapOf(gd) {
    var sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    return sub && sub.map ? sub.map : null;
  }

  function place() {
    state.pending = false;
    var map = state.map, layer = state.layer;
    if (!map || !layer) { return; }
    var w = layer.clientWidth, h = layer.clientHeight, html = [];
    state.towns.forEach(function (zi) {
      var c = state.data.zone_centers[zi], p = map.project(c);
      if (p.x < -50 || p.y < -20 || p.x > w + 50 || p.y > h + 20) { return; }
      var name = state.data.zone_names[zi][state.lang === "ar" ? 1 : 0] || state.data.zone_names[zi][0];
      var span = document.createElement("span");
      span.className = "map-label";
      span.textContent = name;
      if (state.lang === "ar") { span.dir = "rtl"; span.lang = "ar"; }
      span.style.left = p.x + "px";
      span.style.top = p.y + "px";
      html.push(span);
    });
    if (state.cities) {  // major cities of the world basemap (imported areas): [name, Arabic name, lon, lat]
      (state.data.cities || []).forEach(function (c) {
        var p = map.project([c[2], c[3]]);
        if (p.x < -50 || p.y < -20 || p.x > w + 50 || p.y > h + 20) { return; }
        var span = document.createElement("span");
        span.className = "map-label city-label";
        span.textContent = (state.lang === "ar" && c[1]) ? c[1] : c[0];
        if (state.lang === "ar") { span.dir = "rtl"; span.lang = "ar"; }
        span.style.left = p.x + "px";
        span.style.top = p.y + "px";
        html.push(span);
      });
    }
    layer.replaceChildren.apply(layer, html);
  }

  function schedule() {
    if (!state.pending) { state.pending = true; window.requestAnimationFrame(place); }
  }

  function attach() {
    var gd = graphDiv(), map = mapOf(gd);
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

  function update(data, towns, lang, cities) {
    state.data = data;
    state.towns = towns || [];
    state.cities = Boolean(cities);
    state.lang = lang || "en";
    var tries = 0;
    (function go() {
      if (attach()) { schedule(); } else if (tries++ < 50) { window.setTimeout(go, 100); }
    })();
  }

  window.controlmapLabels = {update: update};
})();
