/* The zone geometry as sent (layers/web/payload.py: quantise, zone_shapes): per zone its polygons as flat
 * integer lists, the first point in units of 1/geom_scale degree and then the step to each next point; the
 * shared edges the same way. expand() turns them, once per payload, into the GeoJSON MapLibre draws
 * (data.zones) and the edge lines (data.edges). Headless: node runs it in tests/test_geometry_js.py. */
(function (root) {
  "use strict";

  function unquantise(flat, scale) {
    var out = new Array(flat.length / 2), x = 0, y = 0;
    for (var i = 0; i < flat.length; i += 2) {
      x += flat[i];
      y += flat[i + 1];
      out[i / 2] = [x / scale, y / scale];
    }
    return out;
  }

  function expand(data) {
    if (!data || data.zones || !data.zones_q) { return data; }
    var scale = data.geom_scale, features = [];
    data.zones_q.forEach(function (polys, i) {
      if (!polys.length) { return; }
      features.push({type: "Feature", id: i, properties: {zone: data.zone_ids[i]}, geometry: {
        type: "MultiPolygon",
        coordinates: polys.map(function (rings) { return rings.map(function (r) { return unquantise(r, scale); }); })}});
    });
    data.zones = {type: "FeatureCollection", features: features};
    data.edges = data.edges_q.map(function (e) {
      return [e[0], e[1], e[2].map(function (part) { return unquantise(part, scale); })];
    });
    return data;
  }

  var api = {unquantise: unquantise, expand: expand};
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    root.CM = root.CM || {};
    root.CM.geometry = api;
  }
})(typeof window !== "undefined" ? window : this);
