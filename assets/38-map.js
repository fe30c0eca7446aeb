/* The map: MapLibre made straight from the spec the page's layout carries (layers/web/figure.py
 * build_map_spec: an offline style of base layers, the opening view), as soon as its element exists: it does
 * not wait for the state table. Our own layers (40-zones.js, 42-markers.js) go on it when the table comes. */
(function () {
  "use strict";
  var CM = window.CM;
  var map = null, spec = null, later = [];

  // A phone opens on the whole area, not at desktop zoom; a link's view (?view=lon,lat,zoom) wins.
  function openingView(s) {
    var wanted = CM.url.parseView(new URLSearchParams(window.location.search).get("view"));
    if (wanted) { return {center: [wanted.lon, wanted.lat], zoom: wanted.zoom}; }
    if (window.innerWidth <= 700) {
      return {center: [37.25, 36.2], zoom: Math.log2(window.innerWidth / 390) + 6.9};
    }
    return {center: [s.center.lon, s.center.lat], zoom: s.zoom};
  }

  function make(el) {
    if (map || !window.maplibregl) { return; }
    spec = JSON.parse(el.getAttribute("data-spec"));
    var view = openingView(spec), layers = spec.style.layers, at = layers.map(function (l) { return l.id; }).indexOf(spec.over);
    // The layers over our areas (borders, lakes, rivers, roads) join the map after our areas: MapLibre's one
    // worker tiles sources in the order they come, and the areas are what a reader waits for.
    later = at >= 0 ? layers.slice(at) : [];
    var style = Object.assign({}, spec.style, {layers: at >= 0 ? layers.slice(0, at) : layers});
    map = new window.maplibregl.Map({
      container: el, style: style, center: view.center, zoom: view.zoom, maxZoom: 15,
      attributionControl: {compact: window.innerWidth <= 700},
      dragRotate: false, pitchWithRotate: false, touchPitch: false, maxPitch: 0, fadeDuration: 0,
      renderWorldCopies: false
    });
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    map.addControl(new window.maplibregl.NavigationControl({showCompass: false}), "top-right");
    CM.s.pendingView = null;  // the opening view already is the link's
  }

  // Dash renders the page's components after the scripts have run: make the map when its element appears.
  function watch() {
    var el = document.getElementById("map-graph");
    if (el) { make(el); return; }
    var seen = new MutationObserver(function () {
      var found = document.getElementById("map-graph");
      if (found) { seen.disconnect(); make(found); }
    });
    seen.observe(document.documentElement, {childList: true, subtree: true});
  }

  // A view asked for after the map was made (a link's view read again by Dash's fromUrl).
  function applyPendingView() {
    var v = CM.s.pendingView;
    if (!map || !v) { return; }
    CM.s.pendingView = null;
    map.jumpTo({center: [v.lon, v.lat], zoom: v.zoom});
  }

  // Our areas are on the map: the base layers drawn over them follow, on top.
  function addLaterLayers() {
    if (!map) { return; }
    later.splice(0).forEach(function (layer) { if (!map.getLayer(layer.id)) { map.addLayer(layer); } });
  }

  CM.map = {
    get: function () { return map; },
    // The first base layer drawn over our control areas (borders, lakes, rivers, roads go over them), if on
    // the map yet (else ours go on top, and those come after them).
    over: function () { return spec && spec.over && map && map.getLayer(spec.over) ? spec.over : undefined; },
    addLaterLayers: addLaterLayers,
    applyPendingView: applyPendingView
  };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", watch); } else { watch(); }
})();
