/* The view in the URL: read once when the page opens (fromUrl), written on every change (updateUrl), and
 * the map view (?view=lon,lat,zoom) handed to the next repaint. */
(function () {
  "use strict";
  var CM = window.CM, T = CM.timeline;

  function updateUrl(data, day, layers, palette, compare, lang) {
    var params = new URLSearchParams(window.location.search);
    params.set("date", T.isoDay(data, day));
    var all = data.faction_ids.concat(["front", "towns"]);
    if (layers.length === all.length) { params.delete("layers"); } else { params.set("layers", layers.join(",")); }
    if (palette && palette.length) { params.set("palette", "cb"); } else { params.delete("palette"); }
    if (compare != null) { params.set("compare", T.isoDay(data, compare)); } else { params.delete("compare"); }
    if (lang === "ar") { params.set("lang", "ar"); } else { params.delete("lang"); }
    var url = window.location.pathname + "?" + params.toString();
    if (url !== window.location.pathname + window.location.search) {
      window.history.replaceState(null, "", url);
    }
  }

  // The view in the URL (?date=YYYY-MM-DD&layers=a,b&palette=cb); anything odd is ignored.
  function fromUrl(search, data) {
    var nu = window.dash_clientside.no_update;
    if (!data) { return [nu, nu, nu, nu, nu]; }
    var params = new URLSearchParams(search || "");
    var layers = nu, palette = nu, day = T.dayOf(data, params.get("date"));
    if (day == null) { day = nu; }
    if (params.has("layers")) {
      var known = data.faction_ids.concat(["front", "towns"]);
      var wanted = params.get("layers").split(",").filter(function (x) { return known.indexOf(x) >= 0; });
      if (wanted.length) { layers = wanted; }
    }
    if (params.get("palette") === "cb") { palette = ["cb"]; }
    var compare = T.dayOf(data, params.get("compare")) != null ? params.get("compare") : nu;
    var lang = params.get("lang") === "ar" ? "ar" : nu;
    CM.s.pendingView = parseView(params.get("view"));
    if (CM.s.pendingView) { CM.s.viewKey = null; }  // repaint even if the day is the same
    return [day, layers, palette, compare, lang];
  }

  // Keep the visible map box [min lon, min lat, max lon, max lat] for "export this view".
  // ?view=lon,lat,zoom: a sane map view or null.
  function parseView(text) {
    var v = String(text || "").split(",").map(Number);
    if (v.length !== 3 || !v.every(isFinite) || Math.abs(v[0]) > 180 || Math.abs(v[1]) > 85 || v[2] < 0 ||
        v[2] > 22) { return null; }
    return {lon: v[0], lat: v[1], zoom: v[2]};
  }

  function withView(layout) {
    if (!CM.s.pendingView) { return layout; }
    var map = Object.assign({}, layout.map, {center: {lon: CM.s.pendingView.lon, lat: CM.s.pendingView.lat},
      zoom: CM.s.pendingView.zoom});
    CM.s.pendingView = null;
    return Object.assign({}, layout, {map: map});
  }

  function rememberView(relayout) {
    var derived = relayout && relayout["map._derived"];
    var corners = derived && derived.coordinates;
    if (!corners || !corners.length) { return window.dash_clientside.no_update; }
    var lons = corners.map(function (c) { return c[0]; }), lats = corners.map(function (c) { return c[1]; });
    return [Math.min.apply(null, lons), Math.min.apply(null, lats), Math.max.apply(null, lons),
      Math.max.apply(null, lats)];
  }

  CM.url = {updateUrl: updateUrl, fromUrl: fromUrl, parseView: parseView, withView: withView,
    rememberView: rememberView};
})();
