/* The text that names a zone on a day: its holder, since when, the event and the publishers behind it. */
(function () {
  "use strict";
  var CM = window.CM, T = CM.timeline, I = CM.i18n, esc = I.esc, tr = I.tr, fname = I.fname;

  function publishers(sources) {
    var seen = [];
    sources.forEach(function (s) { if (seen.indexOf(s.publisher) < 0) { seen.push(s.publisher); } });
    return seen.join(", ");
  }

  function presenceNames(data, mask) {
    var names = [];
    data.presence_ids.forEach(function (pid, i) {
      if (mask & (1 << i)) { names.push(fname(data.factions[data.faction_ids.indexOf(pid)])); }
    });
    return names;
  }

  // Markup for the tooltip: every data string is escaped. The zone's name comes with the place index
  // (assets/03-data.js): until then the tooltip names the holder only, and then() runs when it comes.
  function hoverText(data, z, run, then) {
    var name = CM.data.zoneName(data, z, then) || ["", ""], f = data.factions[run[1]];
    var first = CM.s.lang === "ar" && name[1] ? name[1] : name[0], second = first === name[0] ? name[1] : name[0];
    var title = "<b>" + esc(first) + "</b>" + (second ? " · " + esc(second) : "");
    if (!f) { return title + "<br>" + esc(tr("nodata")); }
    var ev = run[3] >= 0 ? data.events[run[3]] : null;
    var swatch = "<span class='tip-swatch' style='background:" + esc(CM.colorOf(data, run[1], CM.s.cb)) + "'></span>";
    var lines = [title, swatch + esc(fname(f)) + tr("since_word") + "<bdi>" + T.isoDay(data, run[4]) + "</bdi>"];
    lines.push(ev ? esc(I.etitle(ev)) + " (" + esc(ev.confidence) + ")" : esc(tr("initial")));
    lines.push(esc(tr("sources")) + esc(publishers(ev ? ev.sources : data.initial_sources)));
    var pres = presenceNames(data, run[2]);
    if (pres.length) { lines.push(esc(tr("present")) + esc(pres.join(", "))); }
    return lines.join("<br>");
  }

  CM.hover = {publishers: publishers, presenceNames: presenceNames, hoverText: hoverText};
})();
