/* The timeline in the browser, headless: which run of the state table (layers/web/payload.py) is in force
 * on a day, and what follows from it (changed zones, front lines, km² per faction). No DOM: node runs this
 * file in tests/test_timeline_js.py against the Python Timeline. Assets load in name order, so every other
 * script can use window.CM.timeline. */
(function (root) {
  "use strict";
  var DAY_MS = 86400000;

  function epochDay(text) {
    var p = text.split("-").map(Number);
    return Date.UTC(p[0], p[1] - 1, p[2]);
  }

  // The ISO date of a day offset from the data's start.
  function isoDay(data, offset) {
    return new Date(epochDay(data.start) + offset * DAY_MS).toISOString().slice(0, 10);
  }

  // A YYYY-MM-DD string inside the data as a day offset, else null.
  function dayOf(data, text) {
    if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) { return null; }
    var t = epochDay(text);
    if (new Date(t).toISOString().slice(0, 10) !== text) { return null; }
    var off = Math.round((t - epochDay(data.start)) / DAY_MS);
    return off >= 0 && off <= data.n_days ? off : null;
  }

  // Largest i with arr[i] <= x (arr sorted ascending), or -1; key(arr[i]) when given.
  function floorIndex(arr, x, key) {
    var lo = 0, hi = arr.length - 1, ans = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, v = key ? key(arr[mid]) : arr[mid];
      if (v <= x) { ans = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return ans;
  }

  function runStart(r) { return r[0]; }

  // Index of the distinct state in force on a day offset (days before the start: the first state).
  function stateIndex(data, day) {
    return Math.max(0, floorIndex(data.state_days, day));
  }

  // The run of zone z in force at state index k: [state index, faction index, presence mask, event, since].
  function runAt(data, z, k) {
    var runs = data.runs[z];
    return runs[Math.max(0, floorIndex(runs, k, runStart))];
  }

  // The state on a day: the run in force for every zone.
  function stateAt(data, day) {
    var k = stateIndex(data, day), out = new Array(data.runs.length);
    for (var z = 0; z < data.runs.length; z++) { out[z] = runAt(data, z, k); }
    return out;
  }

  // Zones whose holder differs between two states (both with data).
  function compareStates(before, after) {
    var out = [];
    after.forEach(function (run, zi) {
      if (run[1] >= 0 && before[zi][1] >= 0 && run[1] !== before[zi][1]) { out.push(zi); }
    });
    return out;
  }

  // Which shared zone boundaries are front lines: held by two different factions, one of them shown.
  function frontLines(data, state, visible) {
    return data.edges.map(function (e) {
      var fa = state[e[0]][1], fb = state[e[1]][1];
      return fa !== fb && fa >= 0 && fb >= 0 && (visible[fa] || visible[fb]);
    });
  }

  // km² per faction index in a state.
  function areaByFaction(data, state) {
    var km2 = {};
    state.forEach(function (run, z) { if (run[1] >= 0) { km2[run[1]] = (km2[run[1]] || 0) + data.zone_km2[z]; } });
    return km2;
  }

  // Zone id -> faction id (or null) on a day offset.
  function controllersOn(data, day) {
    var out = {};
    stateAt(data, day).forEach(function (run, z) {
      out[data.zone_ids[z]] = run[1] >= 0 ? data.faction_ids[run[1]] : null;
    });
    return out;
  }

  var api = {DAY_MS: DAY_MS, isoDay: isoDay, dayOf: dayOf, floorIndex: floorIndex, stateIndex: stateIndex,
    runAt: runAt, stateAt: stateAt, compareStates: compareStates, frontLines: frontLines,
    areaByFaction: areaByFaction, controllersOn: controllersOn};
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    root.CM = root.CM || {};
    root.CM.timeline = api;
  }
})(typeof window !== "undefined" ? window : this);
