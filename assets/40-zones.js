/* The control areas: a MapLibre layer of our own on the map (38-map.js), recoloured through feature-state, with
 * the front lines, the zone tooltip, and the presence markers and towns of 42-markers.js. */
(function () {
  "use strict";
  var CM = window.CM;

  // The control areas: a MapLibre layer of our own, recoloured through feature-state. Only zones whose
  // colour changed are touched, so a step costs no re-tiling.
  CM.zoneLayer = (function () {
    var SOURCE = "cm-zones", FILL = "cm-zones-fill", EDGE = "cm-zones-change", LINES = "cm-edges";
    var CHANGED = "cm-zones-changed", changedKey = "";
    var HATCH = "cm-zones-hatch", CLEAR = "rgba(0,0,0,0)";
    var FRONTS = "cm-front-lines";
    var map = null, applied = [], appliedFront = [], pending = null, last = null, tip = null;

    function install(m, data, want) {
      if (m.getSource(SOURCE)) { return; }
      CM.geometry.expand(data);
      if (!m.hasImage("cm-hatch")) { m.addImage("cm-hatch", hatchImage()); }
      addLayers(m, data, want);
      // The markers, the front lines and the base layers join once the areas' tiles are in: MapLibre's one
      // worker takes sources in turn, and the areas are what a reader waits for.
      m.on("sourcedata", function drawn(e) {
        if (e.sourceId !== SOURCE || !m.isSourceLoaded(SOURCE)) { return; }
        m.off("sourcedata", drawn);
        CM.markers.install(m, data, CM.map.over());
        addFronts(m, data);
        CM.map.addLaterLayers(FILL);
        if (last && !pending) { pending = last; flush(); }  // the markers and front lines of the day shown
      });
    }

    // A zone's look for want[zi] (see paint): its fill colour (transparent when not drawn) and whether it is
    // hatched.
    function fillOf(w) {
      var parts = w.split("|");
      var alpha = parts[1] === "f" ? 0.35 : (parts[2] === "i" ? 0.55 : 0.82);
      return parts[0] ? CM.over(parts[0], alpha) : CLEAR;
    }
    function hatchOf(w) { return w.split("|")[2] === "i" && w.charAt(0) !== "|" ? 1 : 0; }

    function addLayers(m, data, want) {
      // The first day's look travels with the zones (properties "c" and "h"), so the first tiles come out
      // coloured: setting 3,953 feature-states before the tiles exist cost the page's thread about 0.3 s of
      // the first map. Later days set feature-state, which wins over the property. "i": inferred ground.
      var inferred = data.zone_inferred || [];
      data.zones.features.forEach(function (f, zi) {
        f.properties = {c: fillOf(want[zi] || ""), h: hatchOf(want[zi] || ""), i: inferred[zi] ? 1 : 0};
        applied[zi] = want[zi];
      });
      // The zones' colour is their feature-state, opaque (the faction's colour as it shows over the land):
      // zones of one faction read as one area. Neighbours share the very same border (shared arcs,
      // layers/web/topology.py), so the fill is watertight without antialiasing: no outline pass, which cost
      // about a quarter of a software-rendered frame. The source is not simplified again (MapLibre would
      // simplify each zone on its own and open gaps between neighbours).
      m.addSource(SOURCE, {type: "geojson", data: data.zones, buffer: 32, maxzoom: 12, tolerance: 0});
      var before = CM.map.over();
      m.addLayer({id: FILL, type: "fill", source: SOURCE, paint: {
        "fill-color": ["coalesce", ["feature-state", "color"], ["get", "c"]],
        "fill-antialias": false}}, before);
      // Hatching over inferred ground: a second layer of the zones' source, with only those zones (a source
      // of their own cost every frame a second pass of tile masks, and every step a second feature-state).
      m.addLayer({id: HATCH, type: "fill", source: SOURCE, filter: ["==", ["get", "i"], 1], paint: {
        "fill-pattern": "cm-hatch",
        "fill-opacity": ["coalesce", ["feature-state", "hatch"], ["get", "h"]]}}, before);
      // The outline of the ground that changed hands since the compare date. A zone that changed and one that
      // did not differ on one of the two days, so the edge between them is among the payload's front edges.
      m.addSource(CHANGED, {type: "geojson", maxzoom: 12, data: {type: "FeatureCollection", features: []}});
      m.addLayer({id: EDGE, type: "line", source: CHANGED, paint: {"line-color": "#1b1b1b", "line-width": 2.4}},
        before);
      changedKey = "";
      appliedFront = [];
      m.on("moveend", function () { keepView(m); });
      keepView(m);
      m.on("mousemove", FILL, function (e) { showTip(e); });
      m.on("mouseleave", FILL, hideTip);
      m.on("click", FILL, function (e) {
        var f = e.features && e.features[0];
        if (f && window.dash_clientside && window.dash_clientside.set_props) {
          window.dash_clientside.set_props("selected-zone", {data: Number(f.id)});
        }
      });
    }

    // The front lines (every edge between two zones, drawn where the state makes it a front): a source as
    // large as the zones', so it joins the map once the areas are drawn (MapLibre's one worker takes sources
    // in turn), under the markers.
    function addFronts(m, data) {
      if (m.getSource(LINES)) { return; }
      m.addSource(LINES, {type: "geojson", maxzoom: 12, data: {type: "FeatureCollection",
        features: data.edges.map(function (e, i) {
          return {type: "Feature", id: i, properties: {}, geometry: {type: "MultiLineString", coordinates: e[2]}};
        })}});
      var markers = CM.markers.layerIds(data).filter(function (id) { return m.getLayer(id); });
      m.addLayer({id: FRONTS, type: "line", source: LINES, layout: {"line-join": "round"}, paint: {
        "line-color": "#1b1b1b", "line-width": 1.8,
        "line-opacity": ["case", ["boolean", ["feature-state", "on"], false], 1, 0]}}, markers[0] || CM.map.over());
      appliedFront = [];
    }

    // Diagonal hatching for ground whose controller is inferred, not sourced.
    function hatchImage() {
      var n = 8, c = document.createElement("canvas");
      c.width = c.height = n;
      var g = c.getContext("2d");
      g.strokeStyle = "rgba(255,255,255,0.9)";
      g.lineWidth = 2;
      g.beginPath(); g.moveTo(0, n); g.lineTo(n, 0); g.moveTo(-2, 2); g.lineTo(2, -2); g.moveTo(n - 2, n + 2);
      g.lineTo(n + 2, n - 2); g.stroke();
      return {width: n, height: n, data: new Uint8Array(g.getImageData(0, 0, n, n).data.buffer)};
    }

    // The view goes into the URL (so that a link reproduces it) and into the store "export this view"
    // reads: exactly the frame on screen, also when it came from a link.
    var lastView = null;
    function keepView(m) {
      var c = m.getCenter(), b = m.getBounds(), w = m.getContainer().clientWidth;
      var view = [c.lng.toFixed(4), c.lat.toFixed(4), m.getZoom().toFixed(2)].join(",");
      if (view + "|" + w === lastView) { return; }  // a repaint fires moveend too: nothing moved
      lastView = view + "|" + w;
      var params = new URLSearchParams(window.location.search);
      params.set("view", view);
      window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
      if (window.dash_clientside && window.dash_clientside.set_props) {
        window.dash_clientside.set_props("map-view", {data: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]});
      }
    }

    function showTip(e) {
      var f = e.features && e.features[0];
      if (!f || !CM.s.current || !CM.s.current.data.runs[f.id]) { return; }
      var run = CM.s.current.state[f.id];
      if (run[1] < 0) { hideTip(); return; }
      if (!tip) {
        tip = document.createElement("div");
        tip.className = "zone-tip";
        tip.setAttribute("role", "tooltip");
      }
      if (tip.parentNode !== map.getContainer()) { map.getContainer().appendChild(tip); }
      // hoverText escapes every data string; if the zone's name is still coming, the tooltip is written again
      // (with this event's feature and point: MapLibre takes e.features away once the listener returns)
      var again = {features: [f], point: e.point};
      tip.innerHTML = CM.hover.hoverText(CM.s.current.data, Number(f.id), run, function () {
        if (tip.style.display !== "none") { showTip(again); }
      });
      tip.style.left = (e.point.x + 14) + "px";
      tip.style.top = (e.point.y + 14) + "px";
      tip.style.display = "block";
    }

    function hideTip() { if (tip) { tip.style.display = "none"; } }

    // want[zi]: "" (not drawn) or "colour|mode|inferred": mode "c" changed since the compare date, "f" faded
    // (unchanged), "" neither; inferred "i" when the controller is inferred rather than sourced (hatched).
    // front[ei]: whether front edge ei is drawn; marks: the markers and towns (CM.markers.want).
    function paint(data, want, front, marks) {
      pending = {data: data, want: want, front: front, marks: marks};
      flush();
    }

    // Performance marks of the first map (bench/ reads them): our areas wanted, the map ready for them, our
    // sources added, and every tile drawn.
    function mark(name) {
      if (window.performance && performance.mark && !performance.getEntriesByName(name).length) { performance.mark(name); }
    }

    // The map takes sources and layers once its style is loaded. Not isStyleLoaded(): that also waits until every
    // source has loaded its tiles, which kept our areas waiting for all the base layers to be tiled.
    function styleReady(m) { return m.style ? !!m.style._loaded : m.isStyleLoaded(); }

    function flush() {
      if (!pending) { return; }
      mark("cm-areas-wanted");
      var m = CM.map.get();
      if (!m || !styleReady(m)) { window.setTimeout(flush, 50); return; }  // the map is still being made
      if (m !== map) {
        mark("cm-map-ready");
        m.once("idle", function () { mark("cm-map-idle"); });
        map = m;
      }
      install(m, pending.data, pending.want);
      mark("cm-areas-added");
      last = pending;
      var want = pending.want;
      pending = null;
      var inferred = last.data.zone_inferred || [], changed = [];
      for (var zi = 0; zi < want.length; zi++) {
        var w = want[zi];
        if (w.indexOf("|c|") > 0) { changed.push(zi); }
        if (applied[zi] === w) { continue; }
        var look = {color: fillOf(w)};
        if (inferred[zi]) { look.hatch = hatchOf(w); }
        m.setFeatureState({source: SOURCE, id: zi}, look);
        applied[zi] = w;
      }
      var key = changed.join(",");
      if (key !== changedKey) {  // the outline of the changed ground as a whole: edges with it on one side only
        var isChanged = {};
        changed.forEach(function (i) { isChanged[i] = true; });
        var outline = last.data.edges.filter(function (e) { return !isChanged[e[0]] !== !isChanged[e[1]]; });
        m.getSource(CHANGED).setData({type: "Feature", properties: {}, geometry: {type: "MultiLineString",
          coordinates: [].concat.apply([], outline.map(function (e) { return e[2]; }))}});
        changedKey = key;
      }
      var front = m.getSource(LINES) ? last.front : [];
      for (var ei = 0; ei < front.length; ei++) {
        if (appliedFront[ei] !== front[ei]) {
          m.setFeatureState({source: LINES, id: ei}, {on: front[ei]});
          appliedFront[ei] = front[ei];
        }
      }
      CM.markers.apply(m, last.data, last.marks);
    }

    // The areas are on the map and answer the pointer (tests wait for this before hovering).
    function ready() { return !!(map && map.getLayer(FILL) && applied.length); }

    // The markers drawn now (for tests): CM.markers.drawn.
    function markers() { return CM.markers.drawn(map, last ? last.data : null); }

    // The lowest of our layers on the map (the land goes under it), if there.
    function lowest() { return map && map.getLayer(FILL) ? FILL : undefined; }

    return {paint: paint, ready: ready, markers: markers, lowest: lowest};
  })();

})();
