/* Client-side repaint of the control map. The server sends the state table once (layers/webdata.py);
 * every slider step is resolved here: no request per step. Trace order follows layers/figure.py. */
(function () {
  "use strict";
  var RUSSIA = 0, TURKEY = 1, TOWNS = 2;  // plotly traces (layers/figure.py)
  var DAY_MS = 86400000;
  var LANG = "en";

  // Interface text in Arabic; elements carry data-i18n keys (faction:<id> takes the faction's own name).
  var AR = {
    title: "خريطة السيطرة في شمال سوريا",
    subtitle: "من سيطر على كل جزء من حلب وإدلب، يوماً بيوم، مع مصادر كل تغيير.",
    layers: "الطبقات", front: "خطوط الجبهة", towns: "البلدات", chart: "السيطرة عبر الزمن",
    compare: "مقارنة تاريخين", since: "التغييرات منذ ", events: "الأحداث السارية", export: "تصدير هذا العرض",
    since_word: " منذ ", sources: "المصادر: ", present: "الوجود: ", history: "تاريخ السيطرة", initial: "الحالة الأولية",
    nodata: "لا بيانات لهذا اليوم.", approx: "الموقع تقريبي.", changed: "تغيّرت السيطرة", place: "المكان",
    from: "من", to: "إلى", when: "التاريخ", event: "الحدث", gains: "المكاسب والخسائر (كم²)",
    palette: " ألوان مناسبة لعمى الألوان", area: "المساحة (كم²)", population: "السكان (الأماكن المعروفة)",
    width: "العرض ", data: "البيانات: "
  };
  var EN = {
    since_word: " since ", sources: "Sources: ", present: "Present: ", history: "Control history",
    initial: "initial state", nodata: "No data for this day.",
    approx: "Location approximate: placed from a described position, not read from a gazetteer.",
    changed: "changed hands", place: "Place", from: "From", to: "To", when: "Since", event: "Event",
    gains: "Gains and losses (km²)"
  };
  function tr(key) { return (LANG === "ar" ? AR[key] : EN[key]) || EN[key] || key; }
  function fname(f) { return LANG === "ar" && f.name_ar ? f.name_ar : f.name_en; }

  var english = {};  // the original English text of each data-i18n element, to switch back
  function applyLanguage(lang, data) {
    if (lang === LANG && document.documentElement.lang === lang) { return; }
    LANG = lang === "ar" ? "ar" : "en";
    document.documentElement.lang = LANG;
    document.documentElement.dir = LANG === "ar" ? "rtl" : "ltr";
    document.querySelectorAll("[data-i18n]").forEach(function (el) {
      var key = el.getAttribute("data-i18n");
      if (!(key in english)) { english[key] = el.textContent; }
      if (LANG === "en") { el.textContent = english[key]; return; }
      if (key.indexOf("faction:") === 0) {
        var f = data.factions[data.faction_ids.indexOf(key.slice(8))];
        el.textContent = f && f.name_ar ? f.name_ar : english[key];
      } else if (AR[key]) {
        el.textContent = AR[key];
      }
    });
  }

  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  function isoDay(data, offset) {
    var p = data.start.split("-").map(Number);
    return new Date(Date.UTC(p[0], p[1] - 1, p[2]) + offset * DAY_MS).toISOString().slice(0, 10);
  }

  // Largest i with arr[i] <= x (arr sorted ascending), or -1.
  function floorIndex(arr, x, key) {
    var lo = 0, hi = arr.length - 1, ans = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, v = key ? key(arr[mid]) : arr[mid];
      if (v <= x) { ans = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return ans;
  }

  function runStart(r) { return r[0]; }

  // The state on a day: for every zone [faction index, presence mask, cause event, since offset].
  function stateAt(data, day) {
    var k = floorIndex(data.state_days, day);
    if (k < 0) { k = 0; }
    var out = new Array(data.runs.length);
    for (var z = 0; z < data.runs.length; z++) {
      var runs = data.runs[z];
      out[z] = runs[Math.max(0, floorIndex(runs, k, runStart))];
    }
    return out;
  }

  function colorOf(data, fi, cb) {
    var f = data.factions[fi];
    return cb ? f.color_cb : f.color;
  }

  function publishers(sources) {
    var seen = [];
    sources.forEach(function (s) { if (seen.indexOf(s.publisher) < 0) { seen.push(s.publisher); } });
    return seen.join(", ");
  }

  function presenceNames(data, mask) {
    var names = [];
    data.presence_ids.forEach(function (pid, i) {
      if (mask & (1 << i)) {
        var f = data.factions[data.faction_ids.indexOf(pid)];
        names.push(fname(f));
      }
    });
    return names;
  }

  function hoverText(data, z, run) {
    var name = data.zone_names[z], f = data.factions[run[1]];
    var first = LANG === "ar" && name[1] ? name[1] : name[0], second = first === name[0] ? name[1] : name[0];
    var title = "<b>" + esc(first) + "</b>" + (second ? " · " + esc(second) : "");
    if (!f) { return title + "<br>" + esc(tr("nodata")); }
    var ev = run[3] >= 0 ? data.events[run[3]] : null;
    var lines = [title, esc(fname(f)) + tr("since_word") + isoDay(data, run[4])];
    lines.push(ev ? esc(ev.title) + " (" + ev.confidence + ")" : esc(tr("initial")));
    lines.push(esc(tr("sources")) + esc(publishers(ev ? ev.sources : data.initial_sources)));
    var pres = presenceNames(data, run[2]);
    if (pres.length) { lines.push(esc(tr("present")) + esc(pres.join(", "))); }
    return lines.join("<br>");
  }

  // Which shared zone boundaries are front lines today: held by two different factions, one shown.
  function frontLines(data, state, visible) {
    return data.edges.map(function (e) {
      var fa = state[e[0]][1], fb = state[e[1]][1];
      return fa !== fb && fa >= 0 && fb >= 0 && (visible[fa] || visible[fb]);
    });
  }

  // Fill the static area table (app.py area_table): km² per faction, hidden when zero.
  function markAreas(data, state, cb) {
    var km2 = {};
    state.forEach(function (run, z) { if (run[1] >= 0) { km2[run[1]] = (km2[run[1]] || 0) + data.zone_km2[z]; } });
    document.querySelectorAll("#area-table .area-row[data-faction]").forEach(function (row) {
      var fi = data.faction_ids.indexOf(row.getAttribute("data-faction")), value = km2[fi] || 0;
      row.style.display = value > 0 ? "" : "none";
      row.querySelector(".swatch").style.backgroundColor = colorOf(data, fi, cb);
      row.querySelector(".area-km2").textContent = Math.round(value).toLocaleString("en-US") + " km²";
    });
  }

  function updateUrl(data, day, layers, palette, compare, lang) {
    var params = new URLSearchParams(window.location.search);
    params.set("date", isoDay(data, day));
    var all = data.faction_ids.concat(["front", "towns"]);
    if (layers.length === all.length) { params.delete("layers"); } else { params.set("layers", layers.join(",")); }
    if (palette && palette.length) { params.set("palette", "cb"); } else { params.delete("palette"); }
    if (compare != null) { params.set("compare", isoDay(data, compare)); } else { params.delete("compare"); }
    if (lang === "ar") { params.set("lang", "ar"); } else { params.delete("lang"); }
    var url = window.location.pathname + "?" + params.toString();
    if (url !== window.location.pathname + window.location.search) {
      window.history.replaceState(null, "", url);
    }
  }

  var lastData = null;
  var current = null;  // the data and state on screen, for the zone tooltip
  var renders = 0;
  var lastViewKey = null, lastFigure = null;

  // The control areas: a MapLibre layer of our own on plotly's map, recoloured through feature-state.
  // Only zones whose colour changed are touched, so a step costs no re-tiling (plotly's choropleth traces
  // re-tile their whole source on every update).
  var zoneLayer = (function () {
    var SOURCE = "cm-zones", FILL = "cm-zones-fill", EDGE = "cm-zones-change", LINES = "cm-edges";
    var FRONTS = "cm-front-lines";
    var map = null, applied = [], appliedFront = [], pending = null, last = null, tip = null;

    function graphMap() {
      var gd = document.querySelector("#map-graph .js-plotly-plot");
      var sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
      return sub && sub.map ? sub.map : null;
    }

    function firstTraceLayer(m) {
      var layers = (m.getStyle() && m.getStyle().layers) || [];
      for (var i = 0; i < layers.length; i++) {
        if (layers[i].id.indexOf("plotly-trace-layer") === 0) { return layers[i].id; }
      }
      return undefined;
    }

    function install(m, data) {
      if (m.getSource(SOURCE)) { return; }
      m.addSource(SOURCE, {type: "geojson", data: data.zones});
      var before = firstTraceLayer(m);
      m.addLayer({id: FILL, type: "fill", source: SOURCE, paint: {
        "fill-color": ["coalesce", ["feature-state", "color"], "rgba(0,0,0,0)"],
        "fill-opacity": ["coalesce", ["feature-state", "opacity"], 0],
        "fill-outline-color": "rgba(255,255,255,0.35)"}}, before);
      m.addLayer({id: EDGE, type: "line", source: SOURCE, paint: {
        "line-color": "#1b1b1b", "line-width": ["coalesce", ["feature-state", "edge"], 0]}}, before);
      m.addSource(LINES, {type: "geojson", data: {type: "FeatureCollection", features: data.edges.map(function (e, i) {
        return {type: "Feature", id: i, properties: {}, geometry: {type: "MultiLineString", coordinates: e[2]}};
      })}});
      m.addLayer({id: FRONTS, type: "line", source: LINES, layout: {"line-join": "round"}, paint: {
        "line-color": "#1b1b1b", "line-width": 1.8,
        "line-opacity": ["case", ["boolean", ["feature-state", "on"], false], 1, 0]}}, before);
      applied = [];
      appliedFront = [];
      m.on("moveend", function () {  // keep the view in the URL so that a link reproduces it
        var c = m.getCenter(), params = new URLSearchParams(window.location.search);
        params.set("view", [c.lng.toFixed(4), c.lat.toFixed(4), m.getZoom().toFixed(2)].join(","));
        window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
      });
      m.on("mousemove", FILL, function (e) { showTip(e); });
      m.on("mouseleave", FILL, hideTip);
      m.on("click", FILL, function (e) {
        var f = e.features && e.features[0];
        if (f && window.dash_clientside && window.dash_clientside.set_props) {
          window.dash_clientside.set_props("selected-zone", {data: Number(f.id)});
        }
      });
    }

    // Keep the areas above plotly's land fills and below its traces (front lines, markers), whatever order
    // plotly added its layers in.
    function order(m) {
      var trace = firstTraceLayer(m);
      if (!trace) { return; }
      var ids = m.getStyle().layers.map(function (l) { return l.id; }), at = ids.indexOf(trace);
      if (ids[at - 3] !== FILL || ids[at - 2] !== EDGE || ids[at - 1] !== FRONTS) {
        m.moveLayer(FILL, trace);
        m.moveLayer(EDGE, trace);
        m.moveLayer(FRONTS, trace);
      }
    }

    function showTip(e) {
      var f = e.features && e.features[0];
      if (!f || !current || !current.data.runs[f.id]) { return; }
      var run = current.state[f.id];
      if (run[1] < 0) { hideTip(); return; }
      if (!tip) {
        tip = document.createElement("div");
        tip.className = "zone-tip";
        tip.setAttribute("role", "tooltip");
      }
      if (tip.parentNode !== map.getContainer()) { map.getContainer().appendChild(tip); }
      tip.innerHTML = hoverText(current.data, Number(f.id), run);  // hoverText escapes every data string
      tip.style.left = (e.point.x + 14) + "px";
      tip.style.top = (e.point.y + 14) + "px";
      tip.style.display = "block";
    }

    function hideTip() { if (tip) { tip.style.display = "none"; } }

    // want[zi]: "" (not drawn) or "colour" or "colour|c" (changed since the compare date) / "colour|f" (faded).
    function paint(data, want, front) {
      pending = {data: data, want: want, front: front};
      flush();
    }

    function flush() {
      if (!pending) { return; }
      var m = graphMap();
      if (!m || !m.isStyleLoaded()) { window.setTimeout(flush, 100); return; }  // the map is still loading
      if (m !== map) {
        map = m;
        map.on("styledata", function () {  // plotly adds or rebuilds its layers: keep ours in place
          if (!map.getSource(SOURCE)) {
            if (last) { pending = last; applied = []; flush(); }
          } else if (map.getLayer(FILL)) {
            order(map);
          }
        });
      }
      install(m, pending.data);
      order(m);
      last = pending;
      var want = pending.want;
      pending = null;
      for (var zi = 0; zi < want.length; zi++) {
        if (applied[zi] === want[zi]) { continue; }
        var parts = want[zi].split("|");
        m.setFeatureState({source: SOURCE, id: zi}, {
          color: parts[0] || null,
          opacity: parts[0] ? (parts[1] === "f" ? 0.35 : 0.82) : 0,
          edge: parts[1] === "c" ? 2.4 : 0});
        applied[zi] = want[zi];
      }
      var front = last.front;
      for (var ei = 0; ei < front.length; ei++) {
        if (appliedFront[ei] !== front[ei]) {
          m.setFeatureState({source: LINES, id: ei}, {on: front[ei]});
          appliedFront[ei] = front[ei];
        }
      }
    }

    return {paint: paint};
  })();

  function frontCount() {
    return current ? current.front.filter(Boolean).length : 0;
  }

  function changedZones() {
    return current ? current.changed.map(function (zi) { return current.data.zone_ids[zi]; }) : [];
  }

  // Zone id -> faction index drawn on screen now (for tests and debugging).
  function shown() {
    var out = {};
    if (!current) { return out; }
    current.state.forEach(function (run, zi) {
      if (current.want[zi]) { out[current.data.zone_ids[zi]] = run[1]; }
    });
    return out;
  }

  // Zones whose holder differs between two states (both with data).
  function compareStates(data, before, after) {
    var out = [];
    after.forEach(function (run, zi) {
      if (run[1] >= 0 && before[zi][1] >= 0 && run[1] !== before[zi][1]) { out.push(zi); }
    });
    return out;
  }

  // The compare panel: gains and losses per faction, and the places that changed hands (static markup).
  function compareTable(data, before, after, changed, since, day) {
    var box = document.getElementById("compare-table");
    if (!box) { return; }
    if (!before) { box.innerHTML = ""; return; }
    var panel = box.closest("details");
    if (panel && !panel.open) { panel.open = true; }
    var net = {};
    changed.forEach(function (zi) {
      net[after[zi][1]] = (net[after[zi][1]] || 0) + data.zone_km2[zi];
      net[before[zi][1]] = (net[before[zi][1]] || 0) - data.zone_km2[zi];
    });
    var html = ["<p class='compare-summary'>" + changed.length + " " + esc(tr("changed")) + ", " +
      isoDay(data, since) + " → " + isoDay(data, day) + "</p><p><b>" + esc(tr("gains")) + "</b>: " +
      Object.keys(net).map(function (fi) {
        var v = Math.round(net[fi]);
        return esc(fname(data.factions[fi])) + " " + (v > 0 ? "+" : "") + v.toLocaleString("en-US");
      }).join(" · ") + "</p>"];
    html.push("<table><thead><tr><th>" + [tr("place"), tr("from"), tr("to"), tr("when"), tr("event")].map(esc)
      .join("</th><th>") + "</th></tr></thead><tbody>");
    changed.slice().sort(function (a, b) { return after[b][4] - after[a][4]; }).forEach(function (zi) {
      var ev = after[zi][3] >= 0 ? data.events[after[zi][3]] : null, name = data.zone_names[zi];
      html.push("<tr data-zone='" + zi + "'><td>" + esc(LANG === "ar" && name[1] ? name[1] : name[0]) + "</td><td>" +
        esc(fname(data.factions[before[zi][1]])) + "</td><td>" + esc(fname(data.factions[after[zi][1]])) +
        "</td><td>" + isoDay(data, after[zi][4]) + "</td><td>" +
        (ev ? "<button class='event-go' data-day='" + ev.day + "'>" + esc(ev.title) + "</button>" : "") +
        "</td></tr>");
    });
    html.push("</tbody></table>");
    box.innerHTML = html.join("");
  }

  var cursorWanted = null;
  function moveChartCursor(iso) {
    cursorWanted = iso;
    var chart = document.querySelector("#chart-graph .js-plotly-plot");
    if (chart && chart._fullLayout && chart.layout.shapes && chart.layout.shapes.length) {
      if (chart.layout.shapes[0].x0 !== iso) {
        window.Plotly.relayout(chart, {"shapes[0].x0": iso, "shapes[0].x1": iso});
      }
    } else {
      window.setTimeout(function () { if (cursorWanted === iso) { moveChartCursor(iso); } }, 200);
    }
  }

  // Area or population in the chart (the cursor stays where the slider is).
  function chartMeasure(measure, figure) {
    if (!figure) { return window.dash_clientside.no_update; }
    var chart = document.querySelector("#chart-graph .js-plotly-plot");
    var shapes = chart && chart.layout && chart.layout.shapes ? chart.layout.shapes : figure.layout.shapes;
    return {data: figure.data.map(function (t) {
      return Object.assign({}, t, {visible: t.meta && t.meta[0] === measure});
    }), layout: Object.assign({}, figure.layout, {shapes: shapes})};
  }

  // A click on the chart moves the slider to that day.
  function chartClick(clickData, data) {
    var p = clickData && clickData.points && clickData.points[0];
    var day = p && data ? dayOf(data, String(p.x).slice(0, 10)) : null;
    return day == null ? window.dash_clientside.no_update : day;
  }

  // Zone id -> faction id on a day offset, from the table the page holds (used by the browser tests).
  function controllersOn(day) {
    var out = {};
    if (!lastData) { return out; }
    stateAt(lastData, day).forEach(function (run, z) {
      out[lastData.zone_ids[z]] = run[1] >= 0 ? lastData.faction_ids[run[1]] : null;
    });
    return out;
  }

  // A YYYY-MM-DD string inside the data as a day offset, else null.
  function dayOf(data, text) {
    if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) { return null; }
    var p = text.split("-").map(Number), t = Date.UTC(p[0], p[1] - 1, p[2]);
    if (new Date(t).toISOString().slice(0, 10) !== text) { return null; }
    var s0 = data.start.split("-").map(Number), off = Math.round((t - Date.UTC(s0[0], s0[1] - 1, s0[2])) / DAY_MS);
    return off >= 0 && off <= data.n_days ? off : null;
  }

  function render(day, layers, palette, compare, lang, data, figure) {
    if (!data || !figure) { return window.dash_clientside.no_update; }
    lastData = data;
    buildEventPanel(data);
    applyLanguage(lang, data);
    day = Math.max(0, Math.min(data.n_days, Number(day) || 0));
    layers = layers || [];
    var cb = !!(palette && palette.length);
    // Most days change nothing on the map (no event between them): then only the date, the event list,
    // the chart cursor and the URL move.
    var k = floorIndex(data.state_days, day);
    var viewKey = [k, layers.join(","), cb, LANG, compare || "", figure === lastFigure].join("|");
    if (viewKey === lastViewKey && current) {
      markEvents(day);
      moveChartCursor(isoDay(data, day));
      updateUrl(data, day, layers, palette, dayOf(data, compare), LANG);
      return [window.dash_clientside.no_update, isoDay(data, day)];
    }
    lastViewKey = viewKey;
    lastFigure = figure;
    var state = stateAt(data, day);
    var visible = data.faction_ids.map(function (fid) { return layers.indexOf(fid) >= 0; });
    var since = dayOf(data, compare), before = since == null ? null : stateAt(data, since);
    var changed = before ? compareStates(data, before, state) : [];
    var isChanged = {};
    changed.forEach(function (zi) { isChanged[zi] = true; });
    var want = state.map(function (run, zi) {  // -1: no data for the zone that day, or a hidden faction
      if (run[1] < 0 || !visible[run[1]]) { return ""; }
      return colorOf(data, run[1], cb) + (before ? (isChanged[zi] ? "|c" : "|f") : "");
    });
    current = {data: data, state: state, day: day, want: want, changed: changed, front: []};
    renders += 1;
    var traces = figure.data.map(function (t) { return Object.assign({}, t); });
    compareTable(data, before, state, changed, since, day);
    moveChartCursor(isoDay(data, day));
    var front = layers.indexOf("front") >= 0 ? frontLines(data, state, visible) : data.edges.map(function () {
      return false;
    });
    zoneLayer.paint(data, want, front);
    current.front = front;
    [[RUSSIA, "russia"], [TURKEY, "turkey"]].forEach(function (pair) {
      var bit = 1 << data.presence_ids.indexOf(pair[1]), fi = data.faction_ids.indexOf(pair[1]);
      var lon = [], lat = [], text = [];
      if (fi >= 0 && layers.indexOf(pair[1]) >= 0) {
        state.forEach(function (run, zi) {
          if (run[2] & bit) {
            lon.push(data.zone_centers[zi][0]); lat.push(data.zone_centers[zi][1]);
            text.push(esc(data.factions[fi].name_en) + " at " + esc(data.zone_names[zi][0]));
          }
        });
      }
      var marker = Object.assign({}, traces[pair[0]].marker, {color: fi >= 0 ? colorOf(data, fi, cb) : "#000"});
      Object.assign(traces[pair[0]], {lon: lon, lat: lat, hovertext: text, marker: marker});
    });
    var towns = layers.indexOf("towns") >= 0 ? data.towns : [];
    Object.assign(traces[TOWNS], {
      lon: towns.map(function (zi) { return data.zone_centers[zi][0]; }),
      lat: towns.map(function (zi) { return data.zone_centers[zi][1]; }),
      hovertext: towns.map(function (zi) { return hoverText(data, zi, state[zi]); }),
      customdata: towns
    });
    // Once the map is drawn, repaint it directly: handing a figure to Dash would make it compare and store
    // the whole figure (zone geometry included) on every step. The first paint goes through Dash.
    var gd = document.querySelector("#map-graph .js-plotly-plot"), fig = window.dash_clientside.no_update;
    if (gd && gd._fullLayout && gd.data && gd.data.length === traces.length) {
      window.Plotly.react(gd, traces, withView(gd.layout));
    } else {
      fig = {data: traces, layout: withView(Object.assign({}, figure.layout))};
    }
    markEvents(day);
    markAreas(data, state, cb);
    updateUrl(data, day, layers, palette, since, LANG);
    window.controlmapLabels && window.controlmapLabels.update(data, towns, LANG);
    return [fig, isoDay(data, day)];
  }

  function node(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text != null) { e.textContent = text; }  // text, never markup: event data cannot inject HTML
    return e;
  }

  // The event panel (newest first) and the ticks under the slider, built once from the state table.
  function buildEventPanel(data) {
    var list = document.getElementById("event-list"), ticks = document.getElementById("event-ticks");
    if (!list || list.getAttribute("data-built") === data.digest) { return; }
    list.replaceChildren();
    for (var i = data.events.length - 1; i >= 0; i--) {
      var ev = data.events[i], li = node("li", "event");
      li.setAttribute("data-day", ev.day);
      var go = node("button", "event-go");
      go.setAttribute("data-day", ev.day);
      go.title = "Move the slider to this day";
      go.appendChild(node("span", "event-date", ev.date));
      go.appendChild(node("span", "event-title", ev.title));
      li.appendChild(go);
      li.appendChild(node("span", "confidence confidence-" + ev.confidence, ev.confidence));
      li.appendChild(node("p", "event-summary", ev.summary));
      if (ev.disputed) { li.appendChild(node("p", "event-disputed", "Disputed: " + ev.disputed)); }
      var sources = node("ul", "event-sources");
      ev.sources.forEach(function (src) {
        var item = node("li"), a = node("a", null, src.publisher);
        a.href = /^https?:\/\//.test(src.url) ? src.url : "#";
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        item.appendChild(a);
        if (src.published) { item.appendChild(document.createTextNode(" (" + src.published + ")")); }
        sources.appendChild(item);
      });
      li.appendChild(sources);
      list.appendChild(li);
    }
    list.setAttribute("data-built", data.digest);
    if (ticks) {
      ticks.replaceChildren();
      data.events.forEach(function (ev) {
        var t = node("button", "tick");
        t.setAttribute("data-day", ev.day);
        t.title = ev.date + ": " + ev.title;
        t.style.left = (100 * ev.day / Math.max(1, data.n_days)).toFixed(3) + "%";
        ticks.appendChild(t);
      });
    }
  }

  // Show the events in force (date <= day), mark the latest; the list is static markup with data-day.
  function markEvents(day) {
    var items = document.querySelectorAll("#event-list > li[data-day]"), latest = -1;
    items.forEach(function (li) {
      var d = Number(li.getAttribute("data-day"));
      if (d <= day && d > latest) { latest = d; }
    });
    items.forEach(function (li) {
      var d = Number(li.getAttribute("data-day"));
      li.classList.toggle("future", d > day);
      li.classList.toggle("current", d === latest);
    });
  }

  // Clicks on an event or an event tick move the slider (one listener for all of them).
  document.addEventListener("click", function (e) {
    var target = e.target.closest && e.target.closest(".event-go[data-day], .tick[data-day]");
    if (!target || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
    window.dash_clientside.set_props("date-slider", {value: Number(target.getAttribute("data-day"))});
  });

  function triggeredIndex() {
    var ctx = window.dash_clientside.callback_context;
    if (!ctx || !ctx.triggered || !ctx.triggered.length) { return null; }
    var id = ctx.triggered_id || ctx.triggered[0].prop_id.split(".")[0];
    if (typeof id === "string" && id.charAt(0) === "{") { id = JSON.parse(id); }
    return id;
  }

  function jump(prevClicks, nextClicks, day, data) {
    var id = triggeredIndex(), ctx = window.dash_clientside.callback_context;
    if (!id || !data || !ctx.triggered[0].value) { return window.dash_clientside.no_update; }
    var days = data.events.map(function (e) { return e.day; });
    if (id === "prev-event") {
      var earlier = days.filter(function (d) { return d < day; });
      return earlier.length ? earlier[earlier.length - 1] : 0;
    }
    if (id === "next-event") {
      var later = days.filter(function (d) { return d > day; });
      return later.length ? later[0] : data.n_days;
    }
    return window.dash_clientside.no_update;
  }

  // The view in the URL (?date=YYYY-MM-DD&layers=a,b&palette=cb); anything odd is ignored.
  function fromUrl(search, data) {
    var nu = window.dash_clientside.no_update;
    if (!data) { return [nu, nu, nu, nu, nu]; }
    var params = new URLSearchParams(search || "");
    var layers = nu, palette = nu, day = dayOf(data, params.get("date"));
    if (day == null) { day = nu; }
    if (params.has("layers")) {
      var known = data.faction_ids.concat(["front", "towns"]);
      var wanted = params.get("layers").split(",").filter(function (x) { return known.indexOf(x) >= 0; });
      if (wanted.length) { layers = wanted; }
    }
    if (params.get("palette") === "cb") { palette = ["cb"]; }
    var compare = dayOf(data, params.get("compare")) != null ? params.get("compare") : nu;
    var lang = params.get("lang") === "ar" ? "ar" : nu;
    pendingView = parseView(params.get("view"));
    if (pendingView) { lastViewKey = null; }  // repaint even if the day is the same
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

  var pendingView = null;  // a view from the URL, applied by the next repaint of the map

  function withView(layout) {
    if (!pendingView) { return layout; }
    var map = Object.assign({}, layout.map, {center: {lon: pendingView.lon, lat: pendingView.lat},
      zoom: pendingView.zoom});
    pendingView = null;
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

  var PLAY_STEP_DAYS = 14;

  function togglePlay(n, disabled, day, data) {
    if (disabled) {
      return [false, "❚❚ Pause"];
    }
    return [true, "▶ Play"];
  }

  function tick(n, day, data) {
    if (!data) { return window.dash_clientside.no_update; }
    var next = Math.min(data.n_days, (Number(day) || 0) + PLAY_STEP_DAYS);
    if (next >= data.n_days) { return [data.n_days, true, "▶ Play"]; }
    return [next, window.dash_clientside.no_update, window.dash_clientside.no_update];
  }

  function el(type, props) {
    return {namespace: "dash_html_components", type: type, props: props || {}};
  }

  // The zone a map click picked (an area, or a town marker).
  function selectClicked(clickData, data) {
    var p = clickData && clickData.points && clickData.points[0];
    if (!p || !data) { return window.dash_clientside.no_update; }
    var zi = p.location != null ? data.zone_ids.indexOf(p.location) : (p.customdata != null ? Number(p.customdata) : -1);
    return zi >= 0 ? zi : window.dash_clientside.no_update;
  }

  // A place chosen in the search box: select it and zoom the map to it.
  function findPlace(placeId, data) {
    var zi = data && placeId ? data.zone_ids.indexOf(placeId) : -1;
    if (zi < 0) { return window.dash_clientside.no_update; }
    var gd = document.querySelector("#map-graph .js-plotly-plot");
    if (gd && gd._fullLayout) {
      window.Plotly.relayout(gd, {"map.center": {lon: data.zone_centers[zi][0], lat: data.zone_centers[zi][1]},
        "map.zoom": 10});
    }
    return zi;
  }

  // The place's control history as a strip of periods (width by duration), each clickable to its start.
  function historyStrip(data, zi) {
    var runs = data.runs[zi].filter(function (r, i, all) { return i === 0 || all[i - 1][1] !== r[1]; });
    return el("Div", {className: "history-strip", children: runs.map(function (r, i) {
      var startDay = i === 0 ? 0 : r[4], endDay = i + 1 < runs.length ? runs[i + 1][4] : data.n_days;
      var f = r[1] >= 0 ? data.factions[r[1]] : null, ev = r[3] >= 0 ? data.events[r[3]] : null;
      return el("Button", {className: "strip-period event-go", "data-day": startDay,
        title: isoDay(data, startDay) + " – " + isoDay(data, endDay) + ": " + (f ? fname(f) : tr("nodata")) +
          (ev ? " (" + ev.title + ")" : ""),
        style: {flexGrow: Math.max(1, endDay - startDay), backgroundColor: f ? f.color : "#ffffff"}});
    })});
  }

  function details(zi, day, lang, data) {
    if (zi == null || !data || !data.runs[zi]) { return window.dash_clientside.no_update; }
    LANG = lang === "ar" ? "ar" : "en";
    var state = stateAt(data, day), run = state[zi], name = data.zone_names[zi];
    var title = [el("H3", {children: name[0]}),
      name[1] ? el("P", {className: "arabic", dir: "rtl", lang: "ar", children: name[1]}) : null,
      historyStrip(data, zi)];
    if (run[1] < 0) { return title.concat([el("P", {children: tr("nodata")})]); }
    var k = floorIndex(data.state_days, day);
    var history = data.runs[zi].filter(function (r, i, all) {
      return r[0] <= k && (i === 0 || all[i - 1][1] !== r[1]);
    }).reverse();
    var children = title.concat([
      el("P", {children: [el("Strong", {children: fname(data.factions[run[1]])}), tr("since_word") + isoDay(data, run[4])]})
    ]);
    var pres = presenceNames(data, run[2]);
    if (pres.length) { children.push(el("P", {children: tr("present") + pres.join(", ")})); }
    if (data.zone_coord[zi] === "approximate") { children.push(el("P", {className: "coord-note", children: tr("approx")})); }
    children.push(el("H4", {children: tr("history")}));
    children.push(el("Ul", {className: "history", children: history.map(function (r) {
      var ev = r[3] >= 0 ? data.events[r[3]] : null;
      var srcs = (ev ? ev.sources : data.initial_sources).map(function (s) {
        return el("A", {href: s.url, target: "_blank", rel: "noopener noreferrer",
          children: s.publisher + (s.published ? " " + s.published : (s.title ? ": " + s.title : ""))});
      });
      var holder = r[1] >= 0 ? fname(data.factions[r[1]]) : tr("nodata");
      var items = [isoDay(data, r[4]) + " — " + holder + ": ", ev ? ev.title : tr("initial"), el("Br")];
      srcs.forEach(function (a, i) { if (i) { items.push(" · "); } items.push(a); });
      return el("Li", {children: items});
    })}));
    return children;
  }


  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    controlmap: {fromUrl: fromUrl, render: render, rememberView: rememberView, chartMeasure: chartMeasure,
      chartClick: chartClick, selectClicked: selectClicked, findPlace: findPlace, jump: jump, togglePlay: togglePlay, tick: tick, details: details}
  });
  window.controlmapCore = {stateAt: stateAt, isoDay: isoDay, controllersOn: controllersOn, shown: shown,
    changed: changedZones, frontCount: frontCount, renders: function () { return renders; }};
})();
