/* The colours of the factions: the usual palette or the colour-blind-safe one, everywhere a colour is
 * drawn (map, legend, area table, chart, history strip, exports). */
(function () {
  "use strict";
  var CM = window.CM = window.CM || {};

  function colorOf(data, fi, cb) {
    var f = data.factions[fi];
    return cb ? f.color_cb : f.color;
  }

  // Every legend swatch (layers, area table) in the palette in use.
  function paintLegend(data, cb) {
    document.querySelectorAll("[data-swatch]").forEach(function (sw) {
      var fi = data.faction_ids.indexOf(sw.getAttribute("data-swatch"));
      if (fi >= 0) { sw.style.backgroundColor = colorOf(data, fi, cb); }
    });
  }

  // "#rrggbb" (or "#rgb") and an opacity: "rgba(r,g,b,a)".
  function rgba(hex, alpha) {
    var h = hex.replace("#", "");
    if (h.length === 3) { h = h.replace(/(.)/g, "$1$1"); }
    var n = parseInt(h.slice(0, 6), 16);
    return "rgba(" + (n >> 16 & 255) + "," + (n >> 8 & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  CM.colorOf = colorOf;
  CM.rgba = rgba;
  CM.paintLegend = paintLegend;
})();
