/* The presence markers (Russian and Turkish forces, or any presence faction of the data) and the town dots:
 * MapLibre layers of our own, like the control areas (40-zones.js), restyled through feature-state. One source holds the centre of every zone that carries a presence on some day; a
 * step only sets the feature-state of the zones whose markers changed. No hover of their own: the zone
 * tooltip names the forces present. */
(function () {
  "use strict";
  var CM = window.CM;
  var PRESENCE = "cm-presence", TOWNS = "cm-towns";
  var RADIUS = 5.5, OPACITY = 0.9, TOWN_RADIUS = 3, TOWN_COLOR = "#222222";
  var carriersOf = {key: null, zones: []}, applied = [], appliedTowns = null, appliedColors = "";

  // The zones that carry a presence on some day, in zone order: the only places a marker can be.
  function carriers(data) {
    if (carriersOf.key !== data.runs) {
      var zones = [];
      data.runs.forEach(function (runs, zi) {
        if (runs.some(function (run) { return run[2]; })) { zones.push(zi); }
      });
      carriersOf = {key: data.runs, zones: zones};
    }
    return carriersOf.zones;
  }

  function layerId(i) { return PRESENCE + "-" + i; }

  // Our layer ids, bottom to top (the presence factions in the data's order, then the towns).
  function layerIds(data) {
    return data.presence_ids.map(function (pid, i) { return layerId(i); }).concat([TOWNS]);
  }

  function points(data, zones) {
    return {type: "FeatureCollection", features: zones.map(function (zi) {
      return {type: "Feature", id: zi, properties: {}, geometry: {type: "Point", coordinates: data.zone_centers[zi]}};
    })};
  }

  function install(m, data, before) {
    if (m.getSource(PRESENCE)) { return; }
    m.addSource(PRESENCE, {type: "geojson", data: points(data, carriers(data))});
    data.presence_ids.forEach(function (pid, i) {
      m.addLayer({id: layerId(i), type: "circle", source: PRESENCE, paint: {"circle-radius": RADIUS,
        "circle-opacity": ["case", ["boolean", ["feature-state", "p" + i], false], OPACITY, 0]}}, before);
    });
    m.addSource(TOWNS, {type: "geojson", data: points(data, data.towns)});
    m.addLayer({id: TOWNS, type: "circle", source: TOWNS, layout: {visibility: "none"},
      paint: {"circle-radius": TOWN_RADIUS, "circle-color": TOWN_COLOR}}, before);
    applied = [];
    appliedTowns = null;
    appliedColors = "";
  }

  // What the markers show on a day: per carrier zone the presence bits drawn (only the factions whose layer
  // is on), the town dots on or off, and each presence faction's colour in the palette in use.
  function want(data, state, layers, cb) {
    var on = 0;
    var colors = data.presence_ids.map(function (pid, i) {
      var fi = data.faction_ids.indexOf(pid);
      if (layers.indexOf(pid) >= 0) { on |= 1 << i; }
      return fi >= 0 ? CM.colorOf(data, fi, cb) : "#000000";
    });
    return {bits: carriers(data).map(function (zi) { return state[zi][2] & on; }), colors: colors,
      towns: layers.indexOf("towns") >= 0};
  }

  // Bring the map's markers to what is wanted, touching only what changed.
  function apply(m, data, wanted) {
    if (!m.getSource(PRESENCE)) { return; }  // not on the map yet (40-zones.js adds it after the areas)
    var zones = carriers(data), n = data.presence_ids.length;
    for (var k = 0; k < zones.length; k++) {
      var bits = wanted.bits[k];
      if (applied[k] === bits) { continue; }
      var fs = {};
      for (var i = 0; i < n; i++) { fs["p" + i] = !!(bits & (1 << i)); }
      m.setFeatureState({source: PRESENCE, id: zones[k]}, fs);
      applied[k] = bits;
    }
    var colors = wanted.colors.join(",");
    if (colors !== appliedColors) {
      wanted.colors.forEach(function (c, i) { m.setPaintProperty(layerId(i), "circle-color", c); });
      appliedColors = colors;
    }
    if (wanted.towns !== appliedTowns) {
      m.setLayoutProperty(TOWNS, "visibility", wanted.towns ? "visible" : "none");
      appliedTowns = wanted.towns;
    }
  }

  // Zone id -> the presence faction ids whose marker is drawn there now, and whether the town dots show
  // (read back from the map, for tests).
  function drawn(m, data) {
    var out = {presence: {}, towns: !!(m && m.getLayer(TOWNS) && m.getLayoutProperty(TOWNS, "visibility") !== "none")};
    if (!m || !data || !m.getSource(PRESENCE)) { return out; }
    carriers(data).forEach(function (zi) {
      var fs = m.getFeatureState({source: PRESENCE, id: zi});
      data.presence_ids.forEach(function (pid, i) {
        if (fs["p" + i]) { (out.presence[data.zone_ids[zi]] = out.presence[data.zone_ids[zi]] || []).push(pid); }
      });
    });
    return out;
  }

  CM.markers = {install: install, want: want, apply: apply, layerIds: layerIds, drawn: drawn};
})();
