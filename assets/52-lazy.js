/* What the page leaves out to load light (layers/web/model.py, lazy_response): the events' long texts
 * (summary, Arabic summary, dispute note, and the sources' links, titles and evidence), by chunks of events.
 * Fetched once from versioned JSON routes when a list page or a card needs them, then merged into the
 * state table, so the other scripts read them as before. */
(function () {
  "use strict";
  var CM = window.CM;

  function merge(ev, t) {
    if (!ev || ev.summary !== undefined || !t) { return; }
    ev.summary = t.summary;
    ev.summary_ar = t.summary_ar;
    ev.disputed = t.disputed;
    t.sources.forEach(function (s, k) { Object.assign(ev.sources[k], s); });
  }

  // A promise resolved once the texts of these events (indices into data.events) are in data.events, or
  // null when they already are.
  function texts(data, indices) {
    if (!data || !data.lazy || !data.text_chunk) { return null; }
    var chunks = {};
    indices.forEach(function (i) {
      if (i >= 0 && data.events[i] && data.events[i].summary === undefined) { chunks[Math.floor(i / data.text_chunk)] = 1; }
    });
    var keys = Object.keys(chunks).map(Number);
    if (!keys.length) { return null; }
    return Promise.all(keys.map(function (k) {
      return CM.data.load(data.lazy + "texts/" + k + ".json").then(function (list) {
        list.forEach(function (t, j) { merge(data.events[k * data.text_chunk + j], t); });
      });
    })).catch(function (e) { console.warn("event texts:", e.message); });
  }

  CM.lazy = {texts: texts};
})();
