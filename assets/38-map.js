/* The map: MapLibre made straight from the spec the page's layout carries (layers/web/figure.py
 * build_map_spec: an offline style of base layers, the opening view), as soon as its element exists: it does
 * not wait for the state table. Our own layers (40-zones.js, 42-markers.js) go on it when the table comes. */
(function () {
  "use strict";
  var CM = window.CM;
  var map = null, spec = null, later = [];
  // MapLibre's worker is started as soon as MapLibre's script has run, not when the map is made: the page's
  // thread is busy from then on (Dash's renderer, the layout), and a worker asked for then only starts once
  // that work is done, after our areas are already waiting for it.
  document.addEventListener("load", function loaded(e) {
    if (e.target && /\/maplibre\.min\.js(\?|$)/.test(e.target.src || "") && window.maplibregl) {
      document.removeEventListener("load", loaded, true);
      window.maplibregl.prewarm();
    }
  }, true);

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
    var view = openingView(spec), layers = spec.style.layers;
    // The base layers (land, borders, lakes, rivers, roads) join the map once our areas are drawn: MapLibre's
    // one worker takes sources in turn, and the areas are what a reader waits for. Until then, the background.
    later = layers.filter(function (l) { return l.type !== "background"; });
    var style = Object.assign({}, spec.style, {sources: {},  // a source is loaded as soon as it is on the map
      layers: layers.filter(function (l) { return l.type === "background"; })});
    map = new window.maplibregl.Map({
      container: el, style: style, center: view.center, zoom: view.zoom, maxZoom: 15,
      attributionControl: {compact: window.innerWidth <= 700},
      dragRotate: false, pitchWithRotate: false, touchPitch: false, maxPitch: 0, fadeDuration: 0,
      renderWorldCopies: false
    });
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    map.addControl(new window.maplibregl.NavigationControl({showCompass: false}), "top-right");
    map.once("load", function () { window.setTimeout(function () { addLaterLayers(CM.zoneLayer.lowest()); }, 5000); });
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

  // Our areas are drawn (or the map has waited long enough for them): the base layers follow, the land under
  // our layers (below "under", the lowest of them), the rest over them.
  function addLaterLayers(under) {
    if (!map) { return; }
    var below = under && map.getLayer(under) ? under : undefined, over = false;
    later.splice(0).forEach(function (layer) {
      if (!map.getSource(layer.source)) { map.addSource(layer.source, spec.style.sources[layer.source]); }
      over = over || layer.id === spec.over;
      if (!map.getLayer(layer.id)) { map.addLayer(layer, over ? undefined : below); }
    });
  }

  CM.map = {
    get: function () { return map; },
    // The first base layer drawn over our control areas (borders, lakes, rivers, roads go over them), if on
    // the map yet (else ours go on top, and those come after them, on top).
    over: function () { return spec && spec.over && map && map.getLayer(spec.over) ? spec.over : undefined; },
    addLaterLayers: addLaterLayers,
    applyPendingView: applyPendingView
  };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", watch); } else { watch(); }
})();
