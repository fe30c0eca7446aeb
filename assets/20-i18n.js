/* The interface language: Arabic strings, the switch between languages, and escaping. The shared page
 * state (CM.s) is declared here, first of the page scripts. */
(function () {
  "use strict";
  var CM = window.CM = window.CM || {};
  // Mutable state shared by the page scripts: one object, so it is clear what each of them changes.
  CM.s = {lang: "en", data: null, current: null, renders: 0, viewKey: null, figure: null, pendingView: null};

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

  function tr(key) { return (CM.s.lang === "ar" ? AR[key] : EN[key]) || EN[key] || key; }
  function fname(f) { return CM.s.lang === "ar" && f.name_ar ? f.name_ar : f.name_en; }

  var english = {};  // the original English text of each data-i18n element, to switch back
  function applyLanguage(lang, data) {
    if (lang === CM.s.lang && document.documentElement.lang === lang) { return; }
    var LANG = CM.s.lang = lang === "ar" ? "ar" : "en";
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

  CM.i18n = {AR: AR, EN: EN, tr: tr, fname: fname, applyLanguage: applyLanguage, esc: esc};
})();
