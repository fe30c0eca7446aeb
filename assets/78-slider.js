/* Steps of the date slider taken from the keyboard. Dash's slider re-renders itself on every value it is
 * given (its marks, range and thumb, and Dash's bookkeeping around it: about half the script time of a step),
 * so a key step moves the thumb here, at once, and tells Dash the new value only when something may read it:
 * a press of the pointer anywhere, another key, the slider losing focus, or after a rest. The map follows the
 * thumb's aria-valuenow either way (90-render.js). */
(function () {
  "use strict";
  var CM = window.CM;
  var REST_MS = 1500;
  var pending = null, timer = null;

  function parts() {
    var thumb = document.querySelector("#date-slider [role=slider]");
    return thumb ? {thumb: thumb, root: thumb.closest(".dash-slider-root")} : null;
  }

  // The thumb, the range and the marks where Dash's slider would put them for this day (the thumb is kept
  // inside the track: its centre moves from +8 px at the start to -8 px at the end, as the slider does).
  function show(day) {
    var p = parts(), data = CM.s.data;
    if (!p || !data || !data.n_days) { return false; }
    var f = day / data.n_days, pct = (f * 100).toFixed(4) + "%", off = (8 - 16 * f).toFixed(3) + "px";
    p.thumb.parentNode.style.left = "calc(" + pct + " + " + off + ")";
    var range = p.root && p.root.querySelector(".dash-slider-range");
    if (range) { range.style.right = (100 - f * 100).toFixed(4) + "%"; }
    if (p.root) {
      Array.prototype.forEach.call(p.root.querySelectorAll(".dash-slider-mark"), function (m) {
        var at = parseFloat(m.style.left.replace("calc(", ""));
        m.classList.toggle("dash-slider-mark-outside-selection", isFinite(at) && at > f * 100 + 1e-6);
      });
    }
    p.thumb.setAttribute("aria-valuenow", String(day));  // the map repaints (90-render.js watches it)
    return true;
  }

  // A day chosen from the keyboard: on screen now, in Dash when it matters.
  function step(day) {
    var data = CM.s.data;
    if (!data) { return; }
    day = Math.max(0, Math.min(data.n_days, day));
    if (!show(day)) { window.dash_clientside.set_props("date-slider", {value: day}); return; }
    pending = day;
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(flush, REST_MS);
  }

  // Dash's slider takes the day the thumb shows (callbacks read it: the event buttons, Play, the card, exports).
  function flush() {
    if (timer) { window.clearTimeout(timer); timer = null; }
    if (pending == null) { return; }
    var day = pending;
    pending = null;
    window.dash_clientside.set_props("date-slider", {value: day});
  }

  ["pointerdown", "focusout"].forEach(function (type) { document.addEventListener(type, flush, true); });

  CM.slider = {step: step, flush: flush, pending: function () { return pending != null; }};
})();
