/* The view in the URL: read once when the page opens (fromUrl), written on every change (updateUrl), and
 * the map view (?view=lon,lat,zoom) handed to the next repaint. */
(function () {
  "use strict";
  var CM = window.CM, T = CM.timeline;

  // The URL is written once the view has rested for 1 s: a history write costs several milliseconds, and
  // a drag or Play would otherwise pay it on every step (the browser also allows only about a hundred
  // URL replacements in ten seconds). The last state always wins.
  var urlTimer = null, urlArgs = null;
  function updateUrl() {
    urlArgs = arguments;
    if (urlTimer) { window.clearTimeout(urlTimer); }
    urlTimer = window.setTimeout(flushUrl, 1000);
  }

  // The write that is due, now (also when Share copies the URL at once).
  function flushUrl() {
    if (!urlTimer) { return; }
    window.clearTimeout(urlTimer);
    urlTimer = null;
    writeUrl.apply(null, urlArgs);
  }

  function writeUrl(data, day, layers, palette, compare, lang) {
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
    data = CM.data.table(data);
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

  // ?view=lon,lat,zoom: a sane map view or null.
  function parseView(text) {
    var v = String(text || "").split(",").map(Number);
    if (v.length !== 3 || !v.every(isFinite) || Math.abs(v[0]) > 180 || Math.abs(v[1]) > 85 || v[2] < 0 ||
        v[2] > 22) { return null; }
    return {lon: v[0], lat: v[1], zoom: v[2]};
  }

  // Share: the permalink (date, layers, palette, compare, language and map view), a citation line that
  // carries the date and the link, and the iframe snippet of the /embed view.
  function share() {
    var box = document.getElementById("share-popover"), data = CM.s.data;
    if (!box) { return; }
    box.hidden = !box.hidden;
    if (box.hidden || !data) { return; }
    flushUrl();
    var url = window.location.href.replace(/\/embed\/?\?/, "/?");
    var asOf = (document.getElementById("stale-note") || {getAttribute: function () { return ""; }}).getAttribute("data-asof");
    var today = new Date().toISOString().slice(0, 10);
    var embed = window.location.origin + "/embed" + window.location.search;
    document.getElementById("share-url").value = url;
    document.getElementById("share-cite").value = "Northern Syria control map, data as of " + asOf + " (version " +
      data.digest + "), " + url + ", accessed " + today + ".";
    document.getElementById("share-embed").value = '<iframe src="' + embed +
      '" width="800" height="600" style="border:0" loading="lazy" title="Northern Syria control map"></iframe>';
    var status = document.getElementById("share-status");
    status.textContent = "";
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(function () { status.textContent = CM.i18n.tr("copied"); },
        function () { document.getElementById("share-url").select(); });
    } else {
      document.getElementById("share-url").select();
    }
  }

  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("#share-button")) { share(); }
    else if (e.target.closest && e.target.closest(".share-field")) { e.target.select(); }
  });

  CM.url = {share: share, updateUrl: updateUrl, fromUrl: fromUrl, parseView: parseView};
})();
