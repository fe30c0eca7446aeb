/* The interface language: Arabic strings, the switch between languages, and escaping. The shared page
 * state (CM.s) is declared here, first of the page scripts. */
(function () {
  "use strict";
  var CM = window.CM = window.CM || {};
  // Mutable state shared by the page scripts: one object, so it is clear what each of them changes.
  CM.s = {lang: "en", data: null, current: null, renders: 0, viewKey: null, pendingView: null,
    lastArgs: null, selected: null, playing: false};

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
    width: "العرض ", data: "البيانات: ",
    play: "▶ تشغيل", pause: "❚❚ إيقاف مؤقت", prev: "◀ حدث", next: "حدث ▶", speed_month: "شهر/ث",
    speed_quarter: "3 أشهر/ث", speed_year: "سنة/ث", share: "مشاركة", about: "حول الخريطة",
    asof: "البيانات حتى ", n_events: " حدثاً", n_sources: " مصدراً", keyboard: "لوحة المفاتيح",
    key_day: "يوم", key_event: "الحدث السابق / التالي", key_ends: "أول / آخر يوم", key_play: "تشغيل / إيقاف",
    key_help: "هذه المساعدة", key_close: "إغلاق", share_link: "رابط هذا العرض", cite: "الاستشهاد",
    embed: "التضمين في موقع", copied: "نُسخ الرابط.", inferred: "مخطط: السيطرة مستنتجة من الطرق والبلدات المحيطة، بلا مصدر مباشر",
    shape_wide: "عريض", shape_square: "مربع", shape_169: "16:9", export_title: "العنوان ",
    more: "المزيد من الأحداث", search: "ابحث عن مكان: تل رفعت، كوباني، منبج …",
    hint: "انقر على منطقة أو بلدة لعرض تاريخها ومصادرها.", stale: "لا معلومات أحدث من ",
    disputed: "موضع خلاف: ", close: "إغلاق", noresults: "لا نتائج", unread: "لم يُعثر على الصفحة",
    unit_km2: "كم²", unit_people: "نسمة", of_inferred: "منها %s مستنتجة"
  };
  var EN = {
    since_word: " since ", sources: "Sources: ", present: "Present: ", history: "Control history",
    initial: "initial state", nodata: "No data for this day.",
    approx: "Location approximate: placed from a described position, not read from a gazetteer.",
    changed: "changed hands", place: "Place", from: "From", to: "To", when: "Since", event: "Event",
    gains: "Gains and losses (km²)", play: "▶ Play", pause: "❚❚ Pause", copied: "Link copied.",
    hint: "Click an area or a town for its history and sources.", stale: "No newer information after ",
    disputed: "Disputed: ", noresults: "No place found", unread: "page not found",
    chart: "Control over time", area: "Area (km²)", population: "Population (known places)", unit_km2: "km²",
    unit_people: "people", of_inferred: "%s inferred"
  };

  function tr(key) { return (CM.s.lang === "ar" ? AR[key] : EN[key]) || EN[key] || key; }
  function fname(f) { return CM.s.lang === "ar" && f.name_ar ? f.name_ar : f.name_en; }
  // An event's title and summary in the interface language, when the data gives them in Arabic.
  function etitle(ev) { return CM.s.lang === "ar" && ev.title_ar ? ev.title_ar : ev.title; }
  function esummary(ev) { return CM.s.lang === "ar" && ev.summary_ar ? ev.summary_ar : ev.summary; }

  // A source's publisher rated by kind and lean (data/publishers.csv), e.g. "wire · independent".
  var LEAN_AR = {"independent": "مستقل", "pro-government": "موالٍ للحكومة", "pro-opposition": "موالٍ للمعارضة",
    "sdf-aligned": "قريب من قسد", "turkish-state": "إعلام الدولة التركية", "russian-state": "إعلام الدولة الروسية",
    "iranian-state": "إعلام الدولة الإيرانية"};
  function rating(src) {
    if (!src || !src.lean) { return ""; }
    var lean = CM.s.lang === "ar" && LEAN_AR[src.lean] ? LEAN_AR[src.lean] : src.lean;
    return src.kind ? src.kind + " · " + lean : lean;
  }
  CM.rating = rating;

  var english = {};  // the original English text of each data-i18n element, to switch back
  function applyLanguage(lang, data) {
    if (lang === CM.s.lang && document.documentElement.lang === lang) { return; }
    var LANG = CM.s.lang = lang === "ar" ? "ar" : "en";
    document.documentElement.lang = LANG;
    document.documentElement.dir = LANG === "ar" ? "rtl" : "ltr";
    var search = document.getElementById("place-search");
    if (search) {
      if (!("ph:search" in english)) { english["ph:search"] = search.placeholder; }
      search.placeholder = LANG === "ar" ? AR.search : english["ph:search"];
    }
    var play = document.getElementById("play-button");
    if (play) { play.textContent = play.textContent.indexOf("❚❚") >= 0 ? tr("pause") : tr("play"); }
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

  // A number as the interface writes it (Latin digits in both languages, as the dates are). One formatter:
  // toLocaleString builds a new one on every call.
  var NUMBER = new Intl.NumberFormat("en-US");
  function num(value) { return NUMBER.format(Math.round(value)); }

  // An element with a class and text (never markup: data cannot inject HTML).
  function node(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text != null) { e.textContent = text; }
    return e;
  }

  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  CM.i18n = {AR: AR, EN: EN, tr: tr, fname: fname, etitle: etitle, esummary: esummary, applyLanguage: applyLanguage, esc: esc, num: num,
    node: node};
})();
