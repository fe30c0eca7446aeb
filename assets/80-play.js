/* Moving through time: ◀/▶ Event, Play at a chosen speed, and the keyboard shortcuts. */
(function () {
  "use strict";
  var CM = window.CM, tr = CM.i18n.tr;

  function triggeredIndex() {
    var ctx = window.dash_clientside.callback_context;
    if (!ctx || !ctx.triggered || !ctx.triggered.length) { return null; }
    var id = ctx.triggered_id || ctx.triggered[0].prop_id.split(".")[0];
    if (typeof id === "string" && id.charAt(0) === "{") { id = JSON.parse(id); }
    return id;
  }

  // The event day before or after a day (or the first / last day when there is none).
  function eventDay(data, day, step) {
    var days = data.events.map(function (e) { return e.day; });
    if (step < 0) {
      var earlier = days.filter(function (d) { return d < day; });
      return earlier.length ? earlier[earlier.length - 1] : 0;
    }
    var later = days.filter(function (d) { return d > day; });
    return later.length ? later[0] : data.n_days;
  }

  function jump(prevClicks, nextClicks, day) {
    var id = triggeredIndex(), ctx = window.dash_clientside.callback_context, data = CM.data.table();
    if (!id || !data || !ctx.triggered[0].value) { return window.dash_clientside.no_update; }
    if (id === "prev-event" || id === "next-event") { return eventDay(data, day, id === "prev-event" ? -1 : 1); }
    return window.dash_clientside.no_update;
  }

  // Play starts where the slider is; from the last day it starts again from the compare date, or the start.
  function togglePlay(n, disabled, day, compare) {
    var nu = window.dash_clientside.no_update, data = CM.data.table();
    CM.s.playing = !!(disabled && data);
    if (!disabled || !data) { return [true, tr("play"), nu]; }
    var from = nu;
    if ((Number(day) || 0) >= data.n_days) {
      var since = CM.timeline.dayOf(data, compare);
      from = since != null && since < data.n_days ? since : 0;
    }
    return [false, tr("pause"), from];
  }

  // One timer tick: the speed is days of history per second of playing.
  function tick(n, day, speed, interval) {
    var nu = window.dash_clientside.no_update, data = CM.data.table();
    if (!data) { return [nu, nu, nu]; }
    var step = Math.max(1, Math.round((Number(speed) || 91) * (Number(interval) || 250) / 1000));
    var next = Math.min(data.n_days, (Number(day) || 0) + step);
    if (next >= data.n_days) { CM.s.playing = false; return [data.n_days, true, tr("play")]; }
    return [next, nu, nu];
  }

  // While playing, Play's timer reads the slider from Dash: a key's day goes to Dash at once.
  function setDay(day) {
    if (!CM.s.data || !window.dash_clientside.set_props) { return; }
    if (CM.s.playing) {
      window.dash_clientside.set_props("date-slider", {value: Math.max(0, Math.min(CM.s.data.n_days, day))});
    } else {
      CM.slider.step(day);
    }
  }

  function currentDay() {
    var thumb = document.querySelector("#date-slider [role=slider]");
    return thumb ? Number(thumb.getAttribute("aria-valuenow")) : (CM.s.current ? CM.s.current.day : 0);
  }

  function toggle(id) {
    var box = document.getElementById(id);
    if (box) { box.hidden = !box.hidden; }
  }

  // ← → a day, PageUp/PageDown an event, Home/End, space plays or pauses, ? the help, Esc closes.
  document.addEventListener("keydown", function (e) {
    var t = e.target, tag = t && t.tagName;
    if (e.key === "Escape") {
      ["help-popover", "share-popover"].forEach(function (id) { var b = document.getElementById(id); if (b) { b.hidden = true; } });
      CM.details && CM.details.close();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" ||
        (t && t.isContentEditable) || !CM.s.data) { return; }
    var onSlider = t && t.closest && t.closest("#date-slider");
    var day = currentDay(), data = CM.s.data, rtl = document.documentElement.dir === "rtl" && !onSlider;
    var handled = true;
    if (CM.s.playing || !/^(Arrow(Left|Right|Up|Down)|Page(Up|Down)|Home|End)$/.test(e.key)) { CM.slider.flush(); }
    if (e.key === "ArrowLeft" || e.key === "ArrowRight") {  // the slider itself is left to right
      setDay(day + ((e.key === "ArrowRight") !== rtl ? 1 : -1));
    } else if (onSlider && (e.key === "ArrowUp" || e.key === "ArrowDown")) { setDay(day + (e.key === "ArrowUp" ? 1 : -1)); }
    else if (e.key === "PageUp") { setDay(eventDay(data, day, -1)); }
    else if (e.key === "PageDown") { setDay(eventDay(data, day, 1)); }
    else if (e.key === "Home") { setDay(0); }
    else if (e.key === "End") { setDay(data.n_days); }
    else if (e.key === " " && tag !== "BUTTON") { document.getElementById("play-button").click(); }
    else if (e.key === "?") { toggle("help-popover"); }
    else { handled = false; }
    if (handled) { e.preventDefault(); e.stopPropagation(); }
  }, true);  // capture: the slider's own keys are ours too (PageUp/PageDown mean "an event")

  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("#help-button");
    if (b) { toggle("help-popover"); }
  });

  CM.play = {jump: jump, togglePlay: togglePlay, tick: tick, eventDay: eventDay};
})();
