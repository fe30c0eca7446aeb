/* The zone geometry as sent (layers/web/payload.py zone_shapes, layers/web/topology.py encode): shared arcs,
 * each border once. Per zone its polygons, each a list of rings; a ring is one flat list of integers
 * [sx, sy, ...]: its first point as a step (in 1/geom_scale degree) from the zone's centre, then per arc
 * either n and 2n steps (an arc met for the first time, walked forwards: its n points after the current one,
 * each from the one before) or -k (an arc met before, walked backwards by the zone on its other side: the
 * k-th of the arcs met before that end at the current point and that no ring has walked back yet).
 * expand() turns that, once per payload, into the GeoJSON MapLibre draws (data.zones, feature id = zone
 * index) and the front edges (data.edges: [zone a, zone b, lines of [lon, lat]]): the borders between zones
 * whose controller histories differ. Neighbours share the very same points, so the fill has no crack.
 * Headless: node runs it in tests/test_geometry_js.py against layers/web/topology.py decode. */
(function (root) {
  "use strict";

  function hash(x, y, mask) { return (Math.imul(x, 73856093) ^ Math.imul(y, 19349663)) & mask; }

  // The decoder: every arc's points as shared [lon, lat] lists (arc i: pts[from[i]] to pts[from[i + 1] - 1]),
  // its grid end points, who walked it (owner: the zone that met it first, walking forwards; other: the zone
  // that walked it back), and a hash table by end point of the arcs not yet walked back, chained in the order
  // they were met. Rings come out directly as [lon, lat] lists sharing those points.
  function Decoder(most, scale) {
    var size = 1;
    while (size < 2 * most) { size *= 2; }
    this.scale = scale;
    this.mask = size - 1;
    this.head = new Int32Array(size).fill(-1);
    this.tail = new Int32Array(size).fill(-1);
    this.next = new Int32Array(most);
    this.from = new Int32Array(most + 1);
    this.x0 = new Int32Array(most);
    this.y0 = new Int32Array(most);
    this.x1 = new Int32Array(most);
    this.y1 = new Int32Array(most);
    this.owner = new Int32Array(most);
    this.other = new Int32Array(most).fill(-1);
    this.pts = [];
    this.arcs = 0;
  }

  // A new arc from (x, y) by the n steps of flat from position at, walked forwards by zone z into out.
  Decoder.prototype.add = function (x, y, flat, at, n, z, out) {
    var i = this.arcs++, scale = this.scale, pts = this.pts, pt;
    this.x0[i] = x;
    this.y0[i] = y;
    pts.push(out[out.length - 1]);
    for (var end = at + 2 * n; at < end; at += 2) {
      x += flat[at];
      y += flat[at + 1];
      pt = [x / scale, y / scale];
      pts.push(pt);
      out.push(pt);
    }
    this.from[i + 1] = pts.length;
    this.x1[i] = x;
    this.y1[i] = y;
    this.owner[i] = z;
    this.next[i] = -1;
    var h = hash(x, y, this.mask);
    if (this.tail[h] >= 0) { this.next[this.tail[h]] = i; } else { this.head[h] = i; }
    this.tail[h] = i;
  };

  // The k-th arc not yet walked back that ends at (x, y), walked back by zone z into out; returns its index.
  Decoder.prototype.walkBack = function (x, y, k, z, out) {
    for (var i = this.head[hash(x, y, this.mask)]; i >= 0; i = this.next[i]) {
      if (this.other[i] < 0 && this.x1[i] === x && this.y1[i] === y && k-- === 0) {
        this.other[i] = z;
        for (var p = this.from[i + 1] - 2, pts = this.pts; p >= this.from[i]; p--) { out.push(pts[p]); }
        return i;
      }
    }
    throw new Error("zone geometry: no arc to walk back at " + x + "," + y);
  };

  // A ring [sx, sy, then per arc n and 2n steps (new) or -k (walked back)] as a closed list of [lon, lat].
  Decoder.prototype.ring = function (flat, ox, oy, z) {
    var x = ox + flat[0], y = oy + flat[1], out = [[x / this.scale, y / this.scale]], j = 2, i, n;
    while (j < flat.length) {
      n = flat[j];
      if (n <= 0) {
        i = this.walkBack(x, y, -n, z, out);
        x = this.x0[i];
        y = this.y0[i];
        j += 1;
      } else {
        this.add(x, y, flat, j + 1, n, z, out);
        x = this.x1[this.arcs - 1];
        y = this.y1[this.arcs - 1];
        j += 1 + 2 * n;
      }
    }
    return out;
  };

  // The [lon, lat] points of arcs that follow one another (walked forwards; a joint point once).
  Decoder.prototype.line = function (arcs) {
    var out = [];
    for (var j = 0; j < arcs.length; j++) {
      for (var p = this.from[arcs[j]] + (j ? 1 : 0); p < this.from[arcs[j] + 1]; p++) { out.push(this.pts[p]); }
    }
    return out;
  };

  // Whether arc s ends where arc t starts.
  Decoder.prototype.joins = function (s, t) {
    return this.x1[s] === this.x0[t] && this.y1[s] === this.y0[t];
  };

  // Per zone a number for its controllers over time (the faction of each run, consecutive repeats merged, and
  // the state index it starts at: payload.py controller_histories): equal for equal histories.
  function histories(runs) {
    var ids = new Int32Array(runs.length), seen = new Map();
    for (var z = 0; z < runs.length; z++) {
      var key = "", last = null, r = runs[z];
      for (var i = 0; i < r.length; i++) {
        if (r[i][1] !== last) { last = r[i][1]; key += r[i][0] + ":" + last + ","; }
      }
      if (!seen.has(key)) { seen.set(key, seen.size); }
      ids[z] = seen.get(key);
    }
    return ids;
  }

  // Per pair of neighbouring zones a < b with different histories (payload.py controller_histories), their
  // border as lines of arcs: the arcs a met first (walking forwards, in its order: arcs are numbered so) and
  // b walked back, joined where one starts at the end of the one before, the last into the first if it leads
  // there. [a, b, [[arc, ...], ...]], by a then b.
  function borders(dec, runs) {
    var out = [], i = 0, history = histories(runs);
    while (i < dec.arcs) {
      var a = dec.owner[i], mine = [];
      for (; i < dec.arcs && dec.owner[i] === a; i++) {
        if (dec.other[i] >= 0 && history[a] !== history[dec.other[i]]) { mine.push(dec.other[i], i); }
      }
      var done = -1;  // neighbours in increasing order, each once (a zone has few)
      for (;;) {
        var b = -1, lines = [];
        for (var k = 0; k < mine.length; k += 2) { if (mine[k] > done && (b < 0 || mine[k] < b)) { b = mine[k]; } }
        if (b < 0) { break; }
        done = b;
        for (k = 0; k < mine.length; k += 2) {
          if (mine[k] !== b) { continue; }
          var arc = mine[k + 1], last = lines[lines.length - 1];
          if (last && dec.joins(last[last.length - 1], arc)) { last.push(arc); } else { lines.push([arc]); }
        }
        var tail = lines[lines.length - 1];
        if (lines.length > 1 && dec.joins(tail[tail.length - 1], lines[0][0])) { lines[0] = lines.pop().concat(lines[0]); }
        out.push([a, b, lines]);
      }
    }
    return out;
  }

  function expand(data) {
    if (!data || data.zones || !data.zones_q) { return data; }
    var scale = data.geom_scale, zq = data.zones_q, most = 0, features = [], z, p, q;
    for (z = 0; z < zq.length; z++) {
      for (p = 0; p < zq[z].length; p++) { for (q = 0; q < zq[z][p].length; q++) { most += zq[z][p][q].length; } }
    }
    var dec = new Decoder(most, scale);
    for (z = 0; z < zq.length; z++) {
      if (!zq[z].length) { continue; }
      var ox = Math.round(data.zone_centers[z][0] * scale), oy = Math.round(data.zone_centers[z][1] * scale);
      var coords = new Array(zq[z].length);
      for (p = 0; p < zq[z].length; p++) {
        coords[p] = new Array(zq[z][p].length);
        for (q = 0; q < zq[z][p].length; q++) { coords[p][q] = dec.ring(zq[z][p][q], ox, oy, z); }
      }
      features.push({type: "Feature", id: z, properties: {zone: data.zone_ids[z]},
        geometry: {type: "MultiPolygon", coordinates: coords}});
    }
    data.zones = {type: "FeatureCollection", features: features};
    data.edges = borders(dec, data.runs).map(function (e) {
      return [e[0], e[1], e[2].map(function (arcs) { return dec.line(arcs); })];
    });
    return data;
  }

  var api = {expand: expand};
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    root.CM = root.CM || {};
    root.CM.geometry = api;
  }
})(typeof window !== "undefined" ? window : this);
