/* The colours of the factions: the usual palette or the colour-blind-safe one, everywhere a colour is
 * drawn (map, legend, area table, chart, history strip, exports). */
(function () {
  "use strict";
  var CM = window.CM = window.CM || {};

  function colorOf(data, fi, cb) {
    var f = data.factions[fi];
    return cb ? f.color_cb : f.color;
  }

  CM.colorOf = colorOf;
})();
