/* Client-side repaint of the control map. The server sends the state table once (layers/webdata.py);
 * every slider step is resolved here: no request per step. Trace order follows layers/figure.py. */
(function () {
  "use strict";
  var AREAS = 0, FRONT = 1, RUSSIA = 2, TURKEY = 3, TOWNS = 4;
  var DAY_MS = 86400000;

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
        names.push(f.name_en);
      }
    });
    return names;
  }

  function hoverText(data, z, run) {
    var name = data.zone_names[z], f = data.factions[run[1]];
    if (!f) { return "<b>" + esc(name[0]) + "</b><br>No data for this day"; }
    var ev = run[3] >= 0 ? data.events[run[3]] : null;
    var lines = ["<b>" + esc(name[0]) + "</b>" + (name[1] ? " · " + esc(name[1]) : ""),
      esc(f.name_en) + " since " + isoDay(data, run[4])];
    lines.push(ev ? esc(ev.title) + " (" + ev.confidence + ")" : "Initial state (1 Jan 2016)");
    lines.push("Sources: " + esc(publishers(ev ? ev.sources : data.initial_sources)));
    var pres = presenceNames(data, run[2]);
    if (pres.length) { lines.push("Present: " + esc(pres.join(", "))); }
    return lines.join("<br>");
  }

  function frontLines(data, state, visible) {
    var lon = [], lat = [];
    data.edges.forEach(function (e) {
      var fa = state[e[0]][1], fb = state[e[1]][1];
      if (fa === fb || fa < 0 || fb < 0 || !(visible[fa] || visible[fb])) { return; }
      e[2].forEach(function (part) {
        part.forEach(function (c) { lon.push(c[0]); lat.push(c[1]); });
        lon.push(null); lat.push(null);
      });
    });
    return {lon: lon, lat: lat};
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

  function updateUrl(data, day, layers, palette) {
    var params = new URLSearchParams(window.location.search);
    params.set("date", isoDay(data, day));
    var all = data.faction_ids.concat(["front", "towns"]);
    if (layers.length === all.length) { params.delete("layers"); } else { params.set("layers", layers.join(",")); }
    if (palette && palette.length) { params.set("palette", "cb"); } else { params.delete("palette"); }
    var url = window.location.pathname + "?" + params.toString();
    if (url !== window.location.pathname + window.location.search) {
      window.history.replaceState(null, "", url);
    }
  }

  var lastData = null;

  // Zone id -> faction id on a day offset, from the table the page holds (used by the browser tests).
  function controllersOn(day) {
    var out = {};
    if (!lastData) { return out; }
    stateAt(lastData, day).forEach(function (run, z) {
      out[lastData.zone_ids[z]] = run[1] >= 0 ? lastData.faction_ids[run[1]] : null;
    });
    return out;
  }

  function render(day, layers, palette, data, figure) {
    if (!data || !figure) { return window.dash_clientside.no_update; }
    lastData = data;
    day = Math.max(0, Math.min(data.n_days, Number(day) || 0));
    layers = layers || [];
    var cb = !!(palette && palette.length);
    var state = stateAt(data, day);
    var visible = data.faction_ids.map(function (fid) { return layers.indexOf(fid) >= 0; });
    var locations = [], z = [], hover = [];
    state.forEach(function (run, zi) {
      if (run[1] < 0 || !visible[run[1]]) { return; }  // -1: no data for the zone that day
      locations.push(data.zone_ids[zi]); z.push(run[1]); hover.push(hoverText(data, zi, run));
    });
    var n = data.factions.length, scale = [];
    data.factions.forEach(function (f, i) {
      var c = colorOf(data, i, cb);
      scale.push([i / n, c]); scale.push([(i + 1) / n, c]);
    });
    var traces = figure.data.map(function (t) { return Object.assign({}, t); });
    Object.assign(traces[AREAS], {locations: locations, z: z, hovertext: hover, colorscale: scale,
      zmin: -0.5, zmax: n - 0.5});
    var fl = layers.indexOf("front") >= 0 ? frontLines(data, state, visible) : {lon: [], lat: []};
    Object.assign(traces[FRONT], fl);
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
      window.Plotly.react(gd, traces, gd.layout);
    } else {
      fig = {data: traces, layout: Object.assign({}, figure.layout)};
    }
    markEvents(day);
    markAreas(data, state, cb);
    updateUrl(data, day, layers, palette);
    window.controlmapLabels && window.controlmapLabels.update(data, towns);
    return [fig, isoDay(data, day)];
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
    if (!data) { return [nu, nu, nu]; }
    var params = new URLSearchParams(search || "");
    var day = nu, layers = nu, palette = nu;
    var date = params.get("date");
    if (date && /^\d{4}-\d{2}-\d{2}$/.test(date)) {
      var p = date.split("-").map(Number), t = Date.UTC(p[0], p[1] - 1, p[2]);
      var back = new Date(t).toISOString().slice(0, 10);
      var s = data.start.split("-").map(Number), off = Math.round((t - Date.UTC(s[0], s[1] - 1, s[2])) / DAY_MS);
      if (back === date && off >= 0 && off <= data.n_days) { day = off; }
    }
    if (params.has("layers")) {
      var known = data.faction_ids.concat(["front", "towns"]);
      var wanted = params.get("layers").split(",").filter(function (x) { return known.indexOf(x) >= 0; });
      if (wanted.length) { layers = wanted; }
    }
    if (params.get("palette") === "cb") { palette = ["cb"]; }
    return [day, layers, palette];
  }

  // Keep the visible map box [min lon, min lat, max lon, max lat] for "export this view".
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

  function details(clickData, day, data) {
    if (!clickData || !clickData.points || !clickData.points.length || !data) {
      return window.dash_clientside.no_update;
    }
    var p = clickData.points[0], zi = -1;
    if (p.location != null) { zi = data.zone_ids.indexOf(p.location); }
    else if (p.customdata != null) { zi = Number(p.customdata); }
    if (zi < 0) { return window.dash_clientside.no_update; }
    var state = stateAt(data, day), run = state[zi], name = data.zone_names[zi];
    if (run[1] < 0) { return [el("H3", {children: name[0]}), el("P", {children: "No data for this day."})]; }
    var k = floorIndex(data.state_days, day);
    var history = data.runs[zi].filter(function (r, i, all) {
      return r[0] <= k && (i === 0 || all[i - 1][1] !== r[1]);
    }).reverse();
    var children = [
      el("H3", {children: name[0]}),
      name[1] ? el("P", {className: "arabic", dir: "rtl", lang: "ar", children: name[1]}) : null,
      el("P", {children: [el("Strong", {children: data.factions[run[1]].name_en}),
        " since " + isoDay(data, run[4])]})
    ];
    var pres = presenceNames(data, run[2]);
    if (pres.length) { children.push(el("P", {children: "Present: " + pres.join(", ")})); }
    if (data.zone_coord[zi] === "approximate") {
      children.push(el("P", {className: "coord-note",
        children: "Location approximate: placed from a described position, not read from a gazetteer."}));
    }
    children.push(el("H4", {children: "Control history"}));
    children.push(el("Ul", {className: "history", children: history.map(function (r) {
      var ev = r[3] >= 0 ? data.events[r[3]] : null;
      var srcs = (ev ? ev.sources : data.initial_sources).map(function (s) {
        return el("A", {href: s.url, target: "_blank", rel: "noopener noreferrer",
          children: s.publisher + (s.published ? " " + s.published : (s.title ? ": " + s.title : ""))});
      });
      var holder = r[1] >= 0 ? data.factions[r[1]].name_en : "no data";
      var items = [isoDay(data, r[4]) + " — " + holder + ": ",
        ev ? ev.title : "initial state", el("Br")];
      srcs.forEach(function (a, i) { if (i) { items.push(" · "); } items.push(a); });
      return el("Li", {children: items});
    })}));
    return children;
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    controlmap: {fromUrl: fromUrl, render: render, rememberView: rememberView, jump: jump, togglePlay: togglePlay, tick: tick, details: details}
  });
  window.controlmapCore = {stateAt: stateAt, isoDay: isoDay, controllersOn: controllersOn};
})();
