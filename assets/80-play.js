/* Moving through time: ◀/▶ Event, and Play. */
(function () {
  "use strict";
  var CM = window.CM;

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

  CM.play = {jump: jump, togglePlay: togglePlay, tick: tick};
})();
