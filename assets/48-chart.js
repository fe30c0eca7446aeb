/* The "Control over time" chart: km² or known population per territorial faction as step lines in inline
 * SVG, drawn from the state table's series (layers/web/payload.py area_series). A slider step moves the
 * cursor (one attribute); the measure, the palette and the language repaint it without a server request.
 * A click or a tap moves the slider to the day under the pointer. The axis helpers at the top need no DOM:
 * node runs them in tests/test_chart_js.py. */
(function (root) {
  "use strict";

  // A tick step of 1, 2 or 5 times a power of ten giving at most about `count` steps up to max.
  function niceStep(max, count) {
    if (!(max > 0)) { return 1; }
    var rough = max / Math.max(1, count), mag = Math.pow(10, Math.floor(Math.log10(rough)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) { if (steps[i] * mag >= rough) { return steps[i] * mag; } }
    return 10 * mag;
  }

  // The y axis: its top (a little above the largest value) and its ticks from 0.
  function yAxis(max, count) {
    var step = niceStep(max, count), top = max > 0 ? max * 1.05 : step, ticks = [];
    for (var v = 0; v <= top + 1e-9; v += step) { ticks.push(Math.round(v * 1e6) / 1e6); }
    return {top: top, ticks: ticks};
  }

  // A tick label as plotly's "~s" writes it: 0, 500, 2.5k, 10k, 1.2M (three significant digits at most).
  function si(value) {
    var units = [[1e9, "G"], [1e6, "M"], [1e3, "k"]], abs = Math.abs(value);
    for (var i = 0; i < units.length; i++) {
      if (abs >= units[i][0]) { return String(Number((value / units[i][0]).toPrecision(3))) + units[i][1]; }
    }
    return String(Number(value.toPrecision(3)));
  }

  // A step line (shape "hv") through (xs[i], ys[i]), held to xEnd: SVG path data, runs of equal values merged.
  function stepPath(xs, ys, xEnd) {
    if (!xs.length) { return ""; }
    var d = "M" + xs[0].toFixed(1) + " " + ys[0].toFixed(1), last = ys[0];
    for (var i = 1; i < xs.length; i++) {
      if (ys[i] === last) { continue; }
      d += "H" + xs[i].toFixed(1) + "V" + ys[i].toFixed(1);
      last = ys[i];
    }
    return d + "H" + xEnd.toFixed(1);
  }

  // The time axis: the first day of every k months, for the smallest k (1, 2, 3, 6 months, 1, 2, 5, 10 years)
  // whose labels (a year, or a year and month) keep apart at this width: [{day offset, label}].
  function timeTicks(start, end, width) {
    var utc = function (iso) { return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))); };
    var t0 = utc(start), span = Math.max(1, (utc(end) - t0) / 864e5), steps = [1, 2, 3, 6, 12, 24, 60, 120], k = 120;
    for (var i = 0; i < steps.length; i++) {
      if (width * steps[i] * 30.44 / span >= (steps[i] >= 12 ? 36 : 56)) { k = steps[i]; break; }
    }
    var ticks = [], y0 = Number(start.slice(0, 4));
    for (var m = y0 * 12; ; m += 1) {
      if (m % k) { continue; }
      var year = Math.floor(m / 12), month = m % 12, day = (Date.UTC(year, month, 1) - t0) / 864e5;
      if (day > span) { break; }
      if (day >= 0) { ticks.push({day: day, label: k >= 12 ? String(year) : year + "-" + (month < 9 ? "0" : "") + (month + 1)}); }
    }
    return ticks;
  }

  var axis = {niceStep: niceStep, yAxis: yAxis, si: si, stepPath: stepPath, timeTicks: timeTicks};
  if (typeof module !== "undefined" && module.exports) { module.exports = axis; return; }

  var CM = root.CM, T = CM.timeline, I = CM.i18n, esc = I.esc, node = I.node;
  var M = {l: 40, r: 10, t: 8, b: 22};  // the plot's margins in the box (px)
  // Everything drawn from: the box, the data and what it was drawn with, the plot's size and the scales.
  var st = {box: null, data: null, key: null, cb: false, lang: null, measure: null, days: null, ids: [],
    w: 0, h: 0, top: 1, cursorDay: null, tipDay: null, focused: false, queued: null};

  function box() {
    if (!st.box || !st.box.isConnected) {
      st.box = document.getElementById("chart-graph");
      if (st.box) { listen(st.box); }
    }
    return st.box;
  }

  function measure() {
    var checked = document.querySelector("#chart-measure input:checked");
    return checked && checked.value === "population" ? "population" : "km2";
  }

  function px(day) { return M.l + st.w * day / Math.max(1, st.data.n_days); }
  function py(value) { return M.t + st.h * (1 - value / st.top); }

  // The day under a pointer's clientX.
  function dayAt(clientX) {
    var r = st.box.querySelector("svg").getBoundingClientRect();
    var day = Math.round((clientX - r.left - M.l) / Math.max(1, st.w) * st.data.n_days);
    return Math.max(0, Math.min(st.data.n_days, day));
  }

  // Each faction's value on a day (the state in force then).
  function valuesOn(day, measure) {
    var k = Math.max(0, T.floorIndex(st.days, day)), series = st.data.series[measure || st.measure];
    return st.ids.map(function (fid) { return (series[fid] || [])[k] || 0; });
  }

  function unit() { return I.tr(st.measure === "km2" ? "unit_km2" : "unit_people"); }
  function faction(fid) { return st.data.factions[st.data.faction_ids.indexOf(fid)]; }
  function colour(fid) { return CM.colorOf(st.data, st.data.faction_ids.indexOf(fid), st.cb); }

  // The whole chart for the data, the measure and the box's size (a measure switch or a resize redraws it).
  function draw() {
    var el = box(), data = st.data;
    if (!el || !data || !data.series) { return; }
    var W = el.clientWidth, H = el.clientHeight;
    st.w = W - M.l - M.r;
    st.h = H - M.t - M.b;
    if (st.w <= 0 || st.h <= 0) { st.w = 0; return; }  // closed or hidden: drawn when it opens (ResizeObserver)
    st.measure = measure();
    var series = data.series[st.measure] || {};
    st.days = data.series.days.map(function (iso) { return T.dayOf(data, iso) || 0; });
    st.ids = data.faction_ids.filter(function (fid) { return (series[fid] || []).some(Boolean); });
    var max = 0;
    st.ids.forEach(function (fid) { series[fid].forEach(function (v) { if (v > max) { max = v; } }); });
    var y = yAxis(max, Math.max(3, Math.round(st.h / 40)));
    st.top = y.top;
    var out = ["<title></title><rect class='chart-frame' x='" + M.l + "' y='" + M.t + "' width='" + st.w +
      "' height='" + st.h + "'/>"];
    y.ticks.forEach(function (v) {
      var yy = py(v).toFixed(1);
      out.push("<line class='chart-grid' x1='" + M.l + "' x2='" + (M.l + st.w) + "' y1='" + yy + "' y2='" + yy +
        "'/><text class='chart-tick' x='" + (M.l - 5) + "' y='" + yy + "' text-anchor='end' dy='0.35em'>" +
        si(v) + "</text>");
    });
    timeTicks(data.start, data.end, st.w).forEach(function (tick) {
      var x = px(tick.day).toFixed(1), half = tick.label.length * 3.5;
      out.push("<line class='chart-grid' x1='" + x + "' x2='" + x + "' y1='" + M.t + "' y2='" + (M.t + st.h) + "'/>");
      if (x - half >= 0 && Number(x) + half <= W) {
        out.push("<text class='chart-tick' x='" + x + "' y='" + (M.t + st.h + 15) + "' text-anchor='middle'>" +
          tick.label + "</text>");
      }
    });
    var xs = st.days.map(px), end = px(data.n_days);
    st.ids.forEach(function (fid) {
      out.push("<path class='chart-line' data-faction='" + esc(fid) + "' data-measure='" + st.measure +
        "' stroke='" + esc(colour(fid)) + "' d='" + stepPath(xs, series[fid].map(py), end) + "'/>");
    });
    out.push("<line class='chart-hover' y1='" + M.t + "' y2='" + (M.t + st.h) + "' x1='0' x2='0' visibility='hidden'/>" +
      "<line class='chart-cursor' y1='" + M.t + "' y2='" + (M.t + st.h) + "' x1='0' x2='0' visibility='hidden'/>");
    var svg = el.querySelector("svg");
    if (!svg) {
      svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("class", "chart-svg");
      svg.setAttribute("role", "img");
      svg.setAttribute("dir", "ltr");  // time runs left to right in both languages, as on the slider
      el.appendChild(svg);
      var tip = document.createElement("div");
      tip.className = "chart-tip";
      tip.hidden = true;
      el.appendChild(tip);
    }
    svg.setAttribute("width", W);
    svg.setAttribute("height", H);
    svg.setAttribute("data-measure", st.measure);
    svg.innerHTML = out.join("");
    label();
    if (st.cursorDay != null) { cursor(T.isoDay(data, st.cursorDay)); }
    if (st.tipDay != null) { showTip(st.tipDay); }
  }

  // The chart's accessible name: what it shows, over which days, and who held how much on the last one.
  function label() {
    var svg = st.box && st.box.querySelector("svg");
    if (!svg) { return; }
    var last = valuesOn(st.data.n_days), u = unit(), held = st.ids.map(function (fid, i) {
      return [I.fname(faction(fid)) + " " + I.num(last[i]) + " " + u, last[i]];
    }).filter(function (p) { return p[1] > 0; }).sort(function (a, b) { return b[1] - a[1]; });
    var text = I.tr("chart") + ": " + I.tr(st.measure === "km2" ? "area" : "population") + ", " + st.data.start +
      " – " + st.data.end + ". " + st.data.end + ": " + held.map(function (p) { return p[0]; }).join(", ");
    svg.setAttribute("aria-label", text);
    svg.querySelector("title").textContent = text;
  }

  // The lines, and the readout's swatches, in the palette in use.
  function recolour() {
    if (!st.box) { return; }
    st.box.querySelectorAll("[data-faction]").forEach(function (e) {
      var c = colour(e.getAttribute("data-faction"));
      if (e.tagName.toLowerCase() === "path") { e.setAttribute("stroke", c); } else { e.style.backgroundColor = c; }
    });
  }

  // The cursor at the slider's date: one attribute set, nothing redrawn.
  function cursor(iso) {
    var data = CM.s.data, day = data ? T.dayOf(data, iso) : null;
    if (day == null) { return; }
    st.cursorDay = day;
    if (!st.data) { paint(data, CM.s.cb); return; }
    var line = st.w && st.box.querySelector(".chart-cursor");
    if (!line) { return; }
    line.setAttribute("transform", "translate(" + px(day).toFixed(1) + " 0)");
    line.setAttribute("data-date", iso);
    line.removeAttribute("visibility");
    if (st.focused) { showTip(day); }
  }

  // The readout: the date and each faction's value on it, beside a line at that day.
  function showTip(day) {
    var tip = st.box && st.box.querySelector(".chart-tip"), hover = st.box && st.box.querySelector(".chart-hover");
    if (!tip || !hover || !st.w) { return; }
    st.tipDay = day;
    var x = px(day), values = valuesOn(day), u = unit();
    var open = st.measure === "km2" && st.data.series.km2_open ? valuesOn(day, "km2_open") : [];
    hover.setAttribute("transform", "translate(" + x.toFixed(1) + " 0)");
    hover.removeAttribute("visibility");
    var rows = [node("div", "chart-tip-date", T.isoDay(st.data, day))];
    st.ids.forEach(function (fid, i) {
      var row = node("div", "chart-tip-row"), sw = node("span", "chart-tip-swatch");
      sw.setAttribute("data-faction", fid);
      sw.style.backgroundColor = colour(fid);
      row.appendChild(sw);
      row.appendChild(node("span", null, I.fname(faction(fid)) + ": "));
      // km² of open ground, whose controller is inferred, are part of the area: said apart
      var inferred = open[i] >= 0.5 ? " (" + I.tr("of_inferred").replace("%s", I.num(open[i])) + ")" : "";
      row.appendChild(node("bdi", null, I.num(values[i]) + " " + u + inferred));
      row.setAttribute("data-value", values[i]);
      rows.push(row);
    });
    tip.replaceChildren.apply(tip, rows);
    tip.hidden = false;
    tip.style.left = "0px";  // measured where it has the whole width, then set beside the line
    var width = tip.offsetWidth, right = x + 12 + width <= M.l + st.w + M.r;
    tip.style.left = (right ? x + 12 : Math.max(0, x - 12 - width)) + "px";
  }

  function hideTip() {
    st.tipDay = null;
    var tip = st.box && st.box.querySelector(".chart-tip"), hover = st.box && st.box.querySelector(".chart-hover");
    if (tip) { tip.hidden = true; }
    if (hover) { hover.setAttribute("visibility", "hidden"); }
  }

  // Pointer, touch and keyboard: the readout follows the pointer (or, with the chart focused, the slider's
  // date, which the arrow keys move: assets/80-play.js); a click or a tap moves the slider to its day.
  function listen(el) {
    el.setAttribute("tabindex", "0");
    el.addEventListener("pointermove", function (e) {
      if (!st.w || !st.data) { return; }
      var first = st.queued == null;
      st.queued = e.clientX;
      if (first) {
        window.requestAnimationFrame(function () {
          var x = st.queued;
          st.queued = null;
          if (x != null && st.w) { showTip(dayAt(x)); }
        });
      }
    });
    el.addEventListener("pointerleave", function () {
      st.queued = null;
      if (st.focused && st.cursorDay != null) { showTip(st.cursorDay); } else { hideTip(); }
    });
    el.addEventListener("click", function (e) {
      if (!st.w || !st.data || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
      window.dash_clientside.set_props("date-slider", {value: dayAt(e.clientX)});
    });
    el.addEventListener("focus", function () {
      st.focused = true;
      if (st.cursorDay != null) { showTip(st.cursorDay); }
    });
    el.addEventListener("blur", function () { st.focused = false; hideTip(); });
    if (window.ResizeObserver) {
      var size = "";
      new ResizeObserver(function () {
        var now = el.clientWidth + "x" + el.clientHeight;
        if (now !== size) { size = now; draw(); }
      }).observe(el);
    }
  }

  // Called with every repaint of the view (assets/90-render.js paint): draw for new data, recolour for
  // another palette, relabel for another language; otherwise nothing.
  function paint(data, cb) {
    if (!data || !data.series) { return; }
    var key = data.digest + "|" + data.end + "|" + data.n_days;
    if (key !== st.key || !st.w) {
      st.data = data;
      st.key = key;
      st.cb = cb;
      st.lang = CM.s.lang;
      draw();
      return;
    }
    if (cb !== st.cb) { st.cb = cb; recolour(); }
    if (CM.s.lang !== st.lang) {
      st.lang = CM.s.lang;
      label();
      if (st.tipDay != null) { showTip(st.tipDay); }
    }
  }

  // Area or population: a repaint in the page, no request.
  document.addEventListener("change", function (e) {
    if (e.target.closest && e.target.closest("#chart-measure") && st.data) { draw(); }
  });

  CM.chart = Object.assign({paint: paint, cursor: cursor}, axis);
})(typeof window !== "undefined" ? window : this);
