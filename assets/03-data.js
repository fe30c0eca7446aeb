/* The state table and geometry, the place index and the events' texts (52-lazy.js) come from versioned URLs
 * (layers/web/model.py), not in Dash's layout: the index page preloads the state table, so it arrives while
 * the scripts load; the place index is fetched when first wanted (a search, a zoom to village labels, a
 * pointer over the page, a card). Each URL is fetched once. */
(function () {
  "use strict";
  var CM = window.CM = window.CM || {};
  var loads = {}, arrived = {};

  // A promise of the JSON at src (the same promise for the same src). A failed fetch (the data changed on
  // the server since the page was loaded: the old version's URL is gone) says so in the page, once.
  function load(src) {
    if (!loads[src]) {
      loads[src] = window.fetch(src, {credentials: "same-origin"}).then(function (response) {
        if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
        return response.json();
      }).then(function (json) { arrived[src] = json; return json; });
      loads[src].catch(function () {
        var note = document.getElementById("stale-note");
        if (note) {
          note.hidden = false;
          note.textContent = "This page's data has changed on the server: reload the page.";
        }
        delete loads[src];  // a later call tries again
      });
    }
    return loads[src];
  }

  // The state table preloaded by the index page: ask for it now (the browser hands over the preload).
  var link = document.querySelector("link[data-state-table]"), preloaded = link && link.getAttribute("href");
  if (preloaded) { load(preloaded); }

  // The state table if it is here: the one Dash's render or URL callback was given, else the one the page
  // painted, else the preloaded one once it has arrived (null before). It usually arrives long before Dash's
  // first callbacks run: they take it from here rather than wait for it to go through Dash's store (only a
  // table that comes after them goes there, to run the render and URL callbacks again).
  function table(data) {
    return data || (CM.s && CM.s.data) || (preloaded && arrived[preloaded]) || null;
  }

  // The place index (search, labels of villages, the zones' names): null until fetched; then() runs once
  // it is there. Without data, only what is here already (nothing is fetched).
  var places = null;
  function placeIndex(data, then) {
    if (places) { return places; }
    if (data && data.places_src) {
      load(data.places_src).then(function (index) {
        places = index;
        if (then) { then(index); }
      }, function () { /* said in the page by load() */ });
    }
    return null;
  }

  // A zone's [English, Arabic] name, or null until the place index has come (then() runs then).
  function zoneName(data, zi, then) {
    var index = placeIndex(data, then);
    return index ? index.zone_names[zi] : null;
  }

  // A promise of the place index, or null when it is here already.
  function whenNames(data) {
    if (placeIndex(data) || !data || !data.places_src) { return null; }
    return new Promise(function (resolve) { placeIndex(data, resolve); });
  }

  // A reader who moves a pointer or a finger over the page will soon want names (the tooltip): fetch the
  // place index then, not with the page. (The search, a card and the compare table ask for it themselves;
  // moving through time with the keyboard needs no names, and no request.)
  ["pointermove", "touchstart"].forEach(function (type) {
    window.addEventListener(type, function first() {
      window.removeEventListener(type, first, true);
      if (CM.s && CM.s.data) { placeIndex(CM.s.data); }
    }, true);
  });

  CM.data = {load: load, table: table, placeIndex: placeIndex, zoneName: zoneName, whenNames: whenNames};
})();
