/* The selected place: a click on the map or a search picks a zone; its card shows the holder, the control
 * history as a strip of periods and every event with its sources. Built as Dash components (text only). */
(function () {
  "use strict";
  var CM = window.CM, T = CM.timeline, I = CM.i18n, tr = I.tr, fname = I.fname;

  function el(type, props) {
    return {namespace: "dash_html_components", type: type, props: props || {}};
  }

  // A place chosen in the search box: zoom the map to it and select it.
  function findPlace(zi) {
    var data = CM.s.data;
    if (!data || !data.runs[zi]) { return; }
    var map = CM.map.get();
    if (map) {
      map.jumpTo({center: data.zone_centers[zi], zoom: Math.max(10, map.getZoom())});
    }
    window.dash_clientside.set_props("selected-zone", {data: zi});
  }

  // The card over the map: opened by a selection, closed by its × or Esc.
  function open() {
    var card = document.getElementById("map-card");
    if (card) { card.classList.add("open"); }
  }

  function close() {
    var card = document.getElementById("map-card");
    if (card && card.classList.contains("open")) {
      card.classList.remove("open");
      window.dash_clientside.set_props("selected-zone", {data: null});
    }
  }

  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("#card-close")) { close(); }
  });

  function date(text) { return el("Bdi", {className: "nowrap", children: text}); }

  // The place's control history as a strip of periods (width by duration), each clickable to its start.
  function historyStrip(data, zi) {
    var runs = data.runs[zi].filter(function (r, i, all) { return i === 0 || all[i - 1][1] !== r[1]; });
    return el("Div", {className: "history-strip", children: runs.map(function (r, i) {
      var startDay = i === 0 ? 0 : r[4], endDay = i + 1 < runs.length ? runs[i + 1][4] : data.n_days;
      var f = r[1] >= 0 ? data.factions[r[1]] : null, ev = r[3] >= 0 ? data.events[r[3]] : null;
      return el("Button", {className: "strip-period event-go", "data-day": startDay,
        title: T.isoDay(data, startDay) + " – " + T.isoDay(data, endDay) + ": " + (f ? fname(f) : tr("nodata")) +
          (ev ? " (" + I.etitle(ev) + ")" : ""),
        style: {flexGrow: Math.max(1, endDay - startDay), backgroundColor: f ? CM.colorOf(data, r[1], CM.s.cb) : "#ffffff"}});
    })});
  }

  function triggeredBySelection() {
    var ctx = window.dash_clientside.callback_context;
    return !!(ctx && ctx.triggered && ctx.triggered.some(function (t) { return t.prop_id.indexOf("selected-zone") === 0; }));
  }

  // Dash's details callback: a selection or the language changed (a slider move comes through refresh).
  function details(zi, lang, day) {
    CM.s.selected = zi;
    return detailsOf(zi, day, lang, CM.data.table(), triggeredBySelection());
  }

  // The slider moved: the selected zone's card follows the day (nothing to do when none is selected).
  function refresh(day) {
    var zi = CM.s.selected, data = CM.s.data;
    if (zi == null || !data || !data.runs[zi] || !window.dash_clientside.set_props) { return; }
    var card = detailsOf(zi, day, CM.s.lang, data, false);
    if (card && card.then) {
      card.then(function (c) { window.dash_clientside.set_props("details-card", {children: c}); });
    } else {
      window.dash_clientside.set_props("details-card", {children: card});
    }
  }

  // The card; when the texts of its events are not in the page yet (CM.lazy), a promise of it once they
  // have come.
  function detailsOf(zi, day, lang, data, selecting) {
    var wanted = zi != null && data && data.runs[zi];
    var waits = wanted ? [CM.lazy.texts(data, data.runs[zi].map(function (r) { return r[3]; })),
      CM.data.whenNames(data)].filter(Boolean) : [];
    return waits.length ? Promise.all(waits).then(function () { return cardOf(zi, day, lang, data, selecting); })
      : cardOf(zi, day, lang, data, selecting);
  }

  function cardOf(zi, day, lang, data, selecting) {
    if (zi == null || !data || !data.runs[zi]) {
      var card = document.getElementById("map-card");
      if (card) { card.classList.remove("open"); }
      return zi == null ? [el("P", {className: "hint", children: tr("hint")})] : window.dash_clientside.no_update;
    }
    CM.s.lang = lang === "ar" ? "ar" : "en";
    var state0 = T.stateAt(data, day);
    if (selecting) {
      open();
      CM.panels.showEvent(state0[zi][3]);
    }
    var run = state0[zi], name = CM.data.zoneName(data, zi) || [data.zone_ids[zi], ""];
    var ar = CM.s.lang === "ar" && name[1];
    var title = [el("H3", ar ? {children: name[1], lang: "ar"} : {children: name[0]}),
      ar ? el("P", {dir: "ltr", children: name[0]}) :
        (name[1] ? el("P", {className: "arabic", dir: "rtl", lang: "ar", children: name[1]}) : null),
      historyStrip(data, zi)];
    if (run[1] < 0) { return title.concat([el("P", {children: tr("nodata")})]); }
    var k = T.stateIndex(data, day);
    var history = data.runs[zi].filter(function (r, i, all) {
      return r[0] <= k && (i === 0 || all[i - 1][1] !== r[1]);
    }).reverse();
    var children = title.concat([
      el("P", {children: [el("Strong", {children: fname(data.factions[run[1]])}), tr("since_word"), date(T.isoDay(data, run[4]))]})
    ]);
    var pres = CM.hover.presenceNames(data, run[2]);
    if (pres.length) { children.push(el("P", {children: tr("present") + pres.join(", ")})); }
    if (data.zone_coord[zi] === "approximate") { children.push(el("P", {className: "coord-note", children: tr("approx")})); }
    children.push(el("H4", {children: tr("history")}));
    children.push(el("Ul", {className: "history", children: history.map(function (r) {
      var ev = r[3] >= 0 ? data.events[r[3]] : null;
      var srcs = (ev ? ev.sources : data.initial_sources).map(function (s) {
        var rated = CM.rating(s);
        return el("A", {href: s.url, target: "_blank", rel: "noopener noreferrer", title: s.evidence || undefined,
          children: s.publisher + (rated ? " [" + rated + "]" : "") +
            (s.published ? " " + s.published : (s.title ? ": " + s.title : ""))});
      });
      var holder = r[1] >= 0 ? fname(data.factions[r[1]]) : tr("nodata");
      var items = [date(T.isoDay(data, r[4])), " — " + holder + ": ", ev ? I.etitle(ev) : tr("initial"), el("Br")];
      srcs.forEach(function (a, i) { if (i) { items.push(" · "); } items.push(a); });
      return el("Li", {children: items});
    })}));
    return children;
  }

  CM.details = {el: el, findPlace: findPlace, historyStrip: historyStrip,
    details: details, refresh: refresh, close: close};
})();
