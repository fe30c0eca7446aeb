/* The sidebar panels the state fills: km² per faction, the compare table, the event list and its ticks.
 * Static markup built from the state table; data is never read as markup. */
(function () {
  "use strict";
  var CM = window.CM, T = CM.timeline, I = CM.i18n, esc = I.esc, tr = I.tr, fname = I.fname, node = I.node;
  var isoDay = T.isoDay;

  // Fill the static area table (app.py area_table): km² per faction, hidden when zero.
  function markAreas(data, state, cb) {
    var km2 = T.areaByFaction(data, state);
    document.querySelectorAll("#area-table .area-row[data-faction]").forEach(function (row) {
      var fi = data.faction_ids.indexOf(row.getAttribute("data-faction")), value = km2[fi] || 0;
      row.style.display = value > 0 ? "" : "none";
      row.querySelector(".swatch").style.backgroundColor = CM.colorOf(data, fi, cb);
      row.querySelector(".area-km2").textContent = I.num(value) + " km²";
    });
  }

  // The compare panel: gains and losses per faction, and the places that changed hands (static markup),
  // written once the places' names have come (assets/03-data.js).
  var compared = null;
  function compareTable(data, before, after, changed, since, day) {
    var box = document.getElementById("compare-table");
    if (!box) { return; }
    if (!before) { compared = null; box.innerHTML = ""; return; }
    var args = compared = [data, before, after, changed, since, day];
    var names = CM.data.placeIndex(data, function () { if (compared === args) { compareTable.apply(null, args); } });
    if (!names) { return; }
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
      var ev = after[zi][3] >= 0 ? data.events[after[zi][3]] : null, name = names.zone_names[zi];
      html.push("<tr data-zone='" + zi + "'><td>" + esc(CM.s.lang === "ar" && name[1] ? name[1] : name[0]) + "</td><td>" +
        esc(fname(data.factions[before[zi][1]])) + "</td><td>" + esc(fname(data.factions[after[zi][1]])) +
        "</td><td>" + isoDay(data, after[zi][4]) + "</td><td>" +
        (ev ? "<button class='event-go' data-day='" + ev.day + "'>" + esc(I.etitle(ev)) + "</button>" : "") +
        "</td></tr>");
    });
    html.push("</tbody></table>");
    box.innerHTML = html.join("");
  }


  // The event panel (newest first) and the ticks under the slider, built once from the state table.
  function buildEventPanel(data) {
    var list = document.getElementById("event-list"), ticks = document.getElementById("event-ticks");
    var built = data.digest + ":" + CM.s.lang;
    if (!list || list.getAttribute("data-built") === built) { return; }
    list.replaceChildren();
    for (var i = data.events.length - 1; i >= 0; i--) {
      var ev = data.events[i], li = node("li", "event");
      li.setAttribute("data-day", ev.day);
      li.setAttribute("data-event", i);
      var go = node("button", "event-go");
      go.setAttribute("data-day", ev.day);
      go.title = "Move the slider to this day";
      go.appendChild(node("span", "event-date", ev.date));
      go.appendChild(node("span", "event-title", I.etitle(ev)));
      li.appendChild(go);
      li.appendChild(node("span", "confidence confidence-" + ev.confidence, ev.confidence));
      if (ev.summary === undefined) { li.setAttribute("data-texts", "later"); } else { eventTexts(li, ev); }
      list.appendChild(li);
    }
    list.setAttribute("data-built", built);
    CM.s.eventsBuiltFor = built;
    panelData = data;
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

  // An event's summary, dispute note and sources (fetched with CM.lazy.texts when the page left them out).
  var panelData = null;
  function eventTexts(li, ev) {
    li.removeAttribute("data-texts");
    li.appendChild(node("p", "event-summary", I.esummary(ev)));
    if (ev.disputed) { li.appendChild(node("p", "event-disputed", tr("disputed") + ev.disputed)); }
    var sources = node("ul", "event-sources");
    ev.sources.forEach(function (src) {
      var item = node("li"), a = node("a", null, src.publisher);
      a.href = /^https?:\/\//.test(src.url) ? src.url : "#";
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      item.appendChild(a);
      if (src.published) { item.appendChild(document.createTextNode(" (" + src.published + ")")); }
      var rated = CM.rating(src);  // the publisher's kind and lean (data/publishers.csv)
      if (rated) { item.appendChild(node("span", "source-lean", rated)); }
      if (src.read === "no") { item.appendChild(node("span", "source-unread", tr("unread"))); }
      if (src.evidence) { item.title = src.evidence; }
      sources.appendChild(item);
    });
    li.appendChild(sources);
  }

  // Fill the listed events whose texts came later.
  function fillTexts(items) {
    var data = panelData, wanted = items.map(function (li) { return Number(li.getAttribute("data-event")); });
    var wait = data && CM.lazy.texts(data, wanted);
    function fill() {
      items.forEach(function (li, k) {
        var ev = data.events[wanted[k]];
        if (li.getAttribute("data-texts") === "later" && ev && ev.summary !== undefined) { eventTexts(li, ev); }
      });
    }
    if (wait) { wait.then(fill); } else if (data) { fill(); }
  }

  // The list's items with their days, read once per list built (a step then touches only the items whose
  // marks change: with hundreds of events, toggling every class on every step cost more than the repaint).
  var eventList = {list: null, built: null, items: []};
  function eventItems() {
    var list = document.getElementById("event-list"), built = list && list.getAttribute("data-built");
    if (!list) { return []; }
    if (list !== eventList.list || built !== eventList.built) {
      eventList = {list: list, built: built, items: Array.prototype.map.call(list.querySelectorAll("#event-list > li[data-day]"),
        function (li) { return {li: li, day: Number(li.getAttribute("data-day")), marks: null}; })};
    }
    return eventList.items;
  }

  // Show the events in force (date <= day), newest first, a page at a time; mark the latest.
  var PAGE = window.innerWidth <= 700 ? 15 : 30, shownCount = PAGE, lastDay = null;
  function markEvents(day) {
    var items = eventItems(), latest = -1, n = 0;
    if (day !== lastDay) { lastDay = day; }
    items.forEach(function (it) {
      if (it.day <= day && it.day > latest) { latest = it.day; }
    });
    items.forEach(function (it) {
      var inForce = it.day <= day, paged = inForce && ++n > shownCount;
      var marks = (inForce ? "" : "f") + (it.day === latest ? "c" : "") + (paged ? "p" : "");
      if (marks === it.marks) { return; }
      it.li.classList.toggle("future", !inForce);
      it.li.classList.toggle("current", it.day === latest);
      it.li.classList.toggle("paged", paged);
      it.marks = marks;
      if (it.li.getAttribute("data-texts") === "later") { watchNear(it.li, inForce && !paged); }
    });
    var more = document.getElementById("events-more");
    if (more) { more.hidden = n <= shownCount; }
  }

  // The texts of an event in force are fetched when its item comes near the screen (the list sits below
  // the panels: a page load fetches none of them). Only the listed events in force are watched; one that
  // becomes so is watched from then (observe() reports at once where it is).
  var near = null;
  function watchNear(li, listed) {
    if (!window.IntersectionObserver) { if (listed) { fillTexts([li]); } return; }
    near = near || new IntersectionObserver(function (entries) {
      fillTexts(entries.filter(function (entry) {
        return entry.isIntersecting && entry.target.getAttribute("data-texts") === "later";
      }).map(function (entry) {
        near.unobserve(entry.target);
        entry.target.removeAttribute("data-watched");
        return entry.target;
      }));
    }, {rootMargin: "300px"});
    if (listed && !li.hasAttribute("data-watched")) {
      li.setAttribute("data-watched", "");
      near.observe(li);
    } else if (!listed && li.hasAttribute("data-watched")) {
      li.removeAttribute("data-watched");
      near.unobserve(li);
    }
  }

  // Scroll the sidebar to an event (by its index), showing more of the list if it is paged out.
  function showEvent(index) {
    var li = document.querySelector("#event-list > li[data-event='" + index + "']");
    var bar = document.querySelector(".sidebar");
    document.querySelectorAll("#event-list > li.selected").forEach(function (x) { x.classList.remove("selected"); });
    if (!li || !bar || li.classList.contains("future")) { return; }
    while (li.classList.contains("paged")) { shownCount += PAGE; markEvents(lastDay); }
    li.classList.add("selected");
    var top = li.getBoundingClientRect().top - bar.getBoundingClientRect().top + bar.scrollTop;
    bar.scrollTo({top: Math.max(0, top - 80), behavior: "smooth"});
  }

  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("#events-more")) { shownCount += PAGE; markEvents(lastDay); }
  });

  // Clicks on an event or an event tick move the slider (one listener for all of them).
  document.addEventListener("click", function (e) {
    var target = e.target.closest && e.target.closest(".event-go[data-day], .tick[data-day]");
    if (!target || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
    window.dash_clientside.set_props("date-slider", {value: Number(target.getAttribute("data-day"))});
  });

  CM.panels = {markAreas: markAreas, compareTable: compareTable, buildEventPanel: buildEventPanel,
    markEvents: markEvents, showEvent: showEvent};
})();
