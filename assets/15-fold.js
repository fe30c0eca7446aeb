/* Place-name folding, headless: the rule tables come from layers/tools/search.py (FOLD_RULES, in the page's
 * place index), so Python and the browser fold names the same way; node checks it in tests/test_search.py. */
(function (root) {
  "use strict";

  function compile(rules) {
    return rules.map(function (r) { return [new RegExp(r[0], "g"), r[1]]; });
  }

  function stripAccents(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  function apply(compiled, text) {
    for (var i = 0; i < compiled.length; i++) { text = text.replace(compiled[i][0], compiled[i][1]); }
    return text.trim();
  }

  // A folder for one rule table: {light(text), skeleton(lightText), score(...), match(...)}.
  function folder(tables) {
    var light = compile(tables.light), skeleton = compile(tables.skeleton);
    function foldLight(text) { return apply(light, stripAccents(String(text).toLowerCase())); }
    function foldSkeleton(lightText) { return apply(skeleton, lightText); }
    function score(q, key) {
      if (key === q) { return 0; }
      if (key.indexOf(q) === 0) { return 1; }
      if ((" " + key).indexOf(" " + q) >= 0) { return 2; }
      if (q.length >= 3 && key.replace(/ /g, "").indexOf(q.replace(/ /g, "")) >= 0) { return 3; }
      return null;
    }
    // The best score of a query over folded names ([[light, skeleton], ...]), or null (layers/tools/search.py).
    function match(ql, qs, keys) {
      var best = null;
      keys.forEach(function (k) {
        var s = score(ql, k[0]);
        if (s === null && qs.length >= 2) {
          s = score(qs, k[1]);
          s = s === null ? null : 4 + s;
        }
        if (s !== null && (best === null || s < best)) { best = s; }
      });
      return best;
    }
    return {light: foldLight, skeleton: foldSkeleton, match: match,
      fold: function (text) { return foldSkeleton(foldLight(text)); }};
  }

  var api = {folder: folder};
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    root.CM = root.CM || {};
    root.CM.fold = api;
  }
})(typeof window !== "undefined" ? window : this);
