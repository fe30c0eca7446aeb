/* One repaint of the page for a day and a view, and the functions Dash calls (clientside callbacks). */
(function () {
  "use strict";
  var CM = window.CM, T = CM.timeline, I = CM.i18n, P = CM.panels, U = CM.url;

  // "No newer information": the slider is past the data's as-of date.
  function markStale(data, day) {
    var note = document.getElementById("stale-note");
    if (!note) { return; }
    var asOf = T.dayOf(data, note.getAttribute("data-asof"));
    note.hidden = asOf == null || day <= asOf;
    if (!note.hidden) { note.textContent = I.tr("stale") + note.getAttribute("data-asof"); }
  }

  // Dash calls this on every slider value (a drag gives one per pixel): once the map is drawn, the date
  // moves at once and the repaint waits for the next animation frame, so a drag repaints at most once a frame.
  var queued = null;
  function render(day, layers, palette, compare, lang, data) {
    if (!data) { return window.dash_clientside.no_update; }
    CM.geometry.expand(data);
    if (!CM.s.data && /\/embed\/?$/.test(window.location.pathname)) { document.body.classList.add("embed"); }
    CM.s.data = data;
    day = Math.max(0, Math.min(data.n_days, Number(day) || 0));
    var args = [day, layers, palette, compare, lang, data];
    CM.s.lastArgs = args;
    watchSlider();
    if (!CM.s.current) { return paint.apply(null, args); }  // the first paint at once
    if (!queued) { window.requestAnimationFrame(repaintQueued); }
    queued = args;
    return T.isoDay(data, day);
  }

  // Dash's callback bookkeeping for one slider move (two callbacks, a dozen store updates, each checked by
  // every component) cost more than the repaint itself. So the slider is a State of the render callback,
  // and a move goes straight from the slider's thumb to the repaint: the thumb reports its value in
  // aria-valuenow whether a hand, a key, Play, a link or an event button moved it.
  var watched = null;
  function watchSlider() {
    var wrap = document.querySelector(".slider-wrap");
    if (!wrap || wrap === watched) { return; }
    watched = wrap;
    new MutationObserver(sliderMoved).observe(wrap, {subtree: true, childList: true, attributes: true,
      attributeFilter: ["aria-valuenow"]});
    sliderMoved();
  }

  function sliderMoved() {
    var thumb = watched && watched.querySelector("[role=slider]"), a = CM.s.lastArgs;
    var day = thumb ? Number(thumb.getAttribute("aria-valuenow")) : NaN;
    if (!a || !isFinite(day) || day === a[0]) { return; }
    var out = render.apply(null, [day].concat(a.slice(1)));
    // the date is written straight into the page (a Dash update of it costs a store round); the render
    // callback writes the same text whenever it runs
    var shown = document.getElementById("date-display");
    if (shown && shown.textContent !== out) { shown.textContent = out; }
    CM.details.refresh(day);
  }

  // Dash's render callback: the slider's value comes as a State after the inputs. Until the state table
  // has come (assets/03-data.js), nothing is drawn; if it comes after Dash's first callbacks (it is
  // preloaded, and usually here before them), it goes into Dash's store, and this runs again.
  function renderCallback(layers, palette, compare, lang, data, day, src) {
    data = CM.data.table(data);
    if (!data && src) {
      CM.data.load(src).then(function (table) {
        if (!CM.s.data) { window.dash_clientside.set_props("map-data", {data: table}); }
      }, function () { /* said in the page by CM.data.load */ });
    }
    return render(day, layers, palette, compare, lang, data);
  }

  // The latest wanted view, painted directly (the areas wait in 40-zones.js until the map can take them).
  function repaintQueued() {
    if (!queued) { return; }
    var a = queued;
    queued = null;
    paint.apply(null, a);
  }

  function paint(day, layers, palette, compare, lang, data) {
    CM.i18n.applyLanguage(lang, data);
    layers = layers || [];
    var cb = CM.s.cb = !!(palette && palette.length);
    markStale(data, day);
    // Most days change nothing on the map (no event between them): then only the date, the event list,
    // the chart cursor and the URL move.
    var k = T.stateIndex(data, day);
    var viewKey = [k, layers.join(","), cb, CM.s.lang, compare || ""].join("|");
    if (viewKey === CM.s.viewKey && CM.s.current) {
      P.markEvents(day);
      CM.chart.cursor(T.isoDay(data, day));
      U.updateUrl(data, day, layers, palette, T.dayOf(data, compare), CM.s.lang);
      CM.map.applyPendingView();
      return T.isoDay(data, day);
    }
    CM.s.viewKey = viewKey;
    var state = T.stateAt(data, day);
    var visible = data.faction_ids.map(function (fid) { return layers.indexOf(fid) >= 0; });
    var since = T.dayOf(data, compare), before = since == null ? null : T.stateAt(data, since);
    var changed = before ? T.compareStates(before, state) : [];
    var isChanged = {};
    changed.forEach(function (zi) { isChanged[zi] = true; });
    var inferred = data.zone_inferred || [];  // 1: the zone's controller is inferred, not sourced
    var want = state.map(function (run, zi) {  // "": no data for the zone that day, or a hidden faction
      if (run[1] < 0 || !visible[run[1]]) { return ""; }
      return CM.colorOf(data, run[1], cb) + "|" + (before ? (isChanged[zi] ? "c" : "f") : "") + "|" +
        (inferred[zi] ? "i" : "");
    });
    var note = document.getElementById("inferred-note");
    if (note) { note.hidden = !inferred.some(Boolean); }
    var current = CM.s.current = {data: data, state: state, day: day, want: want, changed: changed, front: []};
    CM.s.renders += 1;
    P.compareTable(data, before, state, changed, since, day);
    CM.chart.cursor(T.isoDay(data, day));
    var front = layers.indexOf("front") >= 0 ? T.frontLines(data, state, visible) : data.edges.map(function () {
      return false;
    });
    // The areas, front lines, presence markers and towns are our own MapLibre layers: a step sets their
    // feature-state.
    CM.zoneLayer.paint(data, want, front, CM.markers.want(data, state, layers, cb));
    current.front = front;
    P.buildEventPanel(data);  // after the areas are handed to the map (built once per language)
    CM.map.applyPendingView();
    if (current === CM.s.current && CM.s.renders === 1 && window.innerWidth <= 700) {
      var sheet = document.getElementById("legend-panel");
      if (sheet) { sheet.open = false; }  // a phone opens on the map, the sheet closed
    }
    P.markEvents(day);
    P.markAreas(data, state, cb);
    CM.paintLegend(data, cb);
    CM.chart.paint(data, cb);
    U.updateUrl(data, day, layers, palette, since, CM.s.lang);
    var towns = layers.indexOf("towns") >= 0 ? data.towns : [];
    window.controlmapLabels && window.controlmapLabels.update(data, towns, CM.s.lang, layers.indexOf("towns") >= 0);
    return T.isoDay(data, day);
  }

  // Zone id -> faction index drawn on screen now (for tests and debugging).
  function shown() {
    var out = {}, current = CM.s.current;
    if (!current) { return out; }
    current.state.forEach(function (run, zi) {
      if (current.want[zi]) { out[current.data.zone_ids[zi]] = run[1]; }
    });
    return out;
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    controlmap: {fromUrl: U.fromUrl, render: renderCallback, findPlace: CM.details.findPlace,
      jump: CM.play.jump, togglePlay: CM.play.togglePlay, tick: CM.play.tick, details: CM.details.details}
  });
  window.controlmapCore = {
    stateAt: T.stateAt, isoDay: T.isoDay, shown: shown,
    controllersOn: function (day) { return CM.s.data ? T.controllersOn(CM.s.data, day) : {}; },
    changed: function () {
      var c = CM.s.current;
      return c ? c.changed.map(function (zi) { return c.data.zone_ids[zi]; }) : [];
    },
    frontCount: function () { return CM.s.current ? CM.s.current.front.filter(Boolean).length : 0; },
    renders: function () { return CM.s.renders; },
    mapReady: function () { return CM.zoneLayer.ready(); },
    // zone id -> presence faction ids marked there, and whether the town dots show (as the map holds them)
    markers: function () { return CM.zoneLayer.markers(); },
    // every tile of the map is loaded and drawn (MapLibre keeps tiling for a while after the first paint)
    mapSettled: function () { var m = CM.map.get(); return !!(m && CM.zoneLayer.ready() && m.loaded()); }
  };
})();
