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

  // A faction's colour at an opacity, as the opaque colour it makes over the land ("#f6f3ec",
  // layers/web/figure.py): opaque fills let zones of one faction meet without a seam or a crack.
  var LAND = [246, 243, 236];
  function over(hex, alpha) {
    var h = hex.replace("#", "");
    if (h.length === 3) { h = h.replace(/(.)/g, "$1$1"); }
    var n = parseInt(h.slice(0, 6), 16), rgb = [n >> 16 & 255, n >> 8 & 255, n & 255];
    return "rgb(" + rgb.map(function (c, i) { return Math.round(c * alpha + LAND[i] * (1 - alpha)); }).join(",") + ")";
  }

  CM.colorOf = colorOf;
  CM.over = over;
  CM.paintLegend = paintLegend;
})();
