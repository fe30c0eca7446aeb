/* The zone geometry as sent (layers/web/payload.py zone_shapes, layers/web/topology.py encode): shared arcs,
 * each border once. Per zone its polygons, each a list of rings; a ring is one flat list of integers
 * [sx, sy, ...]: its first point as a step (in 1/geom_scale degree) from the zone's centre, then per arc
 * either n and 2n steps (an arc met for the first time, walked forwards: its n points after the current one,
 * each from the one before) or -(2k + f) (an arc met before, walked backwards by the zone on its other side:
 * the k-th of the arcs met before that end at the current point and that no ring has walked back yet; f = 1
 * when it is on a front edge, a border between zones whose controller histories differ). expand() turns
 * that, once per payload, into the GeoJSON MapLibre draws (data.zones, feature id = zone index) and the front
 * edges (data.edges: [zone a, zone b, lines of [lon, lat]]). Neighbours share the very same points, so the
 * fill has no crack.
 * Headless: node runs it in tests/test_geometry_js.py against layers/web/topology.py decode. */
(function (root) {
  "use strict";

  // The decoder: every arc's points as [lon, lat] lists shared by both rings that walk it (arc i: pts[from[i]]
  // to pts[from[i + 1] - 1]), its grid end points, who walked it (owner: the zone that met it first, walking
  // forwards; other: the zone that walked it back), whether it is on a front edge, and a hash table by end
  // point of the arcs not yet walked back, chained in the order they were met. Typed arrays and indexed
  // stores: it runs once, before the JIT has warmed up.
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
    this.front = new Uint8Array(most);
    this.refs = new Int32Array(most);  // the arcs of the ring being decoded
    this.pts = new Array(most);
    this.arcs = 0;
    this.npts = 0;
  }

  // A new arc from (x, y) (the point start, or a new one) by the n steps of flat from position at, met by zone z.
  Decoder.prototype.add = function (x, y, start, flat, at, n, z) {
    var i = this.arcs++, scale = this.scale, pts = this.pts, p = this.npts;
    this.x0[i] = x;
    this.y0[i] = y;
    pts[p] = start || [x / scale, y / scale];
    for (var end = at + 2 * n; at < end; at += 2) {
      x += flat[at];
      y += flat[at + 1];
      pts[++p] = [x / scale, y / scale];
    }
    this.npts = p + 1;
    this.from[i + 1] = p + 1;
    this.x1[i] = x;
    this.y1[i] = y;
    this.owner[i] = z;
    this.next[i] = -1;
    var h = (Math.imul(x, 73856093) ^ Math.imul(y, 19349663)) & this.mask;
    if (this.tail[h] >= 0) { this.next[this.tail[h]] = i; } else { this.head[h] = i; }
    this.tail[h] = i;
    return i;
  };

  // The k-th arc not yet walked back that ends at (x, y), now walked back by zone z.
  Decoder.prototype.walkBack = function (x, y, k, z) {
    for (var i = this.head[(Math.imul(x, 73856093) ^ Math.imul(y, 19349663)) & this.mask]; i >= 0; i = this.next[i]) {
      if (this.other[i] < 0 && this.x1[i] === x && this.y1[i] === y && k-- === 0) {
        this.other[i] = z;
        return i;
      }
    }
    throw new Error("zone geometry: no arc to walk back at " + x + "," + y);
  };

  // A ring [sx, sy, then per arc n and 2n steps (new) or -(2k + front) (walked back)] of zone z as a closed
  // list of [lon, lat]: its arcs first, then their points.
  Decoder.prototype.ring = function (flat, ox, oy, z) {
    var x = ox + flat[0], y = oy + flat[1], j = 2, n, i, count = 1, m = 0, refs = this.refs, start = null;
    var from = this.from, pts = this.pts;
    while (j < flat.length) {
      n = flat[j];
      if (n <= 0) {
        i = this.walkBack(x, y, (-n) >> 1, z);
        this.front[i] = (-n) & 1;
        refs[m++] = ~i;
        count += from[i + 1] - from[i] - 1;
        start = pts[from[i]];
        x = this.x0[i];
        y = this.y0[i];
        j += 1;
      } else {
        i = this.add(x, y, start, flat, j + 1, n, z);
        refs[m++] = i;
        count += n;
        start = pts[from[i + 1] - 1];
        x = this.x1[i];
        y = this.y1[i];
        j += 1 + 2 * n;
      }
    }
    var out = new Array(count), at = 1, r, p;
    r = refs[0];
    out[0] = r >= 0 ? pts[from[r]] : pts[from[~r + 1] - 1];
    for (var q = 0; q < m; q++) {
      r = refs[q];
      if (r >= 0) {
        for (p = from[r] + 1; p < from[r + 1]; p++) { out[at++] = pts[p]; }
      } else {
        for (p = from[~r + 1] - 2; p >= from[~r]; p--) { out[at++] = pts[p]; }
      }
    }
    return out;
  };

  // The [lon, lat] points of arcs that follow one another (walked forwards; a joint point once).
  Decoder.prototype.line = function (arcs) {
    var count = 1, from = this.from, pts = this.pts, j, p, at = 0;
    for (j = 0; j < arcs.length; j++) { count += from[arcs[j] + 1] - from[arcs[j]] - 1; }
    var out = new Array(count);
    for (j = 0; j < arcs.length; j++) {
      for (p = from[arcs[j]] + (j ? 1 : 0); p < from[arcs[j] + 1]; p++) { out[at++] = pts[p]; }
    }
    return out;
  };

  // Whether arc s ends where arc t starts.
  Decoder.prototype.joins = function (s, t) {
    return this.x1[s] === this.x0[t] && this.y1[s] === this.y0[t];
  };

  // The front edges of zone a, from its arcs first to last (a's arcs, in a's order: arcs are numbered so): per
  // neighbour b, in increasing order, the arcs b walked back that are front edges, joined into lines where one
  // starts at the end of the one before (the last into the first if it leads there); pushed to out as
  // [a, b, [[arc, ...], ...]].
  Decoder.prototype.fronts = function (a, first, last, out) {
    var done = -1, b, k, lines, arc, end;
    for (;;) {
      b = -1;
      for (k = first; k < last; k++) {
        if (this.front[k] && this.other[k] > done && (b < 0 || this.other[k] < b)) { b = this.other[k]; }
      }
      if (b < 0) { return; }
      done = b;
      lines = [];
      for (k = first; k < last; k++) {
        if (!this.front[k] || this.other[k] !== b) { continue; }
        end = lines.length ? lines[lines.length - 1] : null;
        if (end && this.joins(end[end.length - 1], k)) { end.push(k); } else { lines.push([k]); }
      }
      end = lines[lines.length - 1];
      if (lines.length > 1 && this.joins(end[end.length - 1], lines[0][0])) { lines[0] = lines.pop().concat(lines[0]); }
      out.push([a, b, lines]);
    }
  };

  // Every zone's front edges, by zone a then neighbour b.
  function borders(dec) {
    var out = [], first = 0;
    for (var i = 1; i <= dec.arcs; i++) {
      if (i === dec.arcs || dec.owner[i] !== dec.owner[first]) {
        dec.fronts(dec.owner[first], first, i, out);
        first = i;
      }
    }
    return out;
  }

  // A zone's polygons as GeoJSON coordinates.
  function zoneCoords(dec, polys, ox, oy, z) {
    var coords = new Array(polys.length);
    for (var p = 0; p < polys.length; p++) {
      coords[p] = new Array(polys[p].length);
      for (var q = 0; q < polys[p].length; q++) { coords[p][q] = dec.ring(polys[p][q], ox, oy, z); }
    }
    return coords;
  }

  function expand(data) {
    if (!data || data.zones || !data.zones_q) { return data; }
    var scale = data.geom_scale, zq = data.zones_q, most = 0, features = [], z, p, q, centre;
    for (z = 0; z < zq.length; z++) {
      for (p = 0; p < zq[z].length; p++) { for (q = 0; q < zq[z][p].length; q++) { most += zq[z][p][q].length; } }
    }
    var dec = new Decoder(most, scale);
    for (z = 0; z < zq.length; z++) {
      if (!zq[z].length) { continue; }
      centre = data.zone_centers[z];
      features.push({type: "Feature", id: z, properties: {zone: data.zone_ids[z]}, geometry: {type: "MultiPolygon",
        coordinates: zoneCoords(dec, zq[z], Math.round(centre[0] * scale), Math.round(centre[1] * scale), z)}});
    }
    data.zones = {type: "FeatureCollection", features: features};
    data.edges = borders(dec).map(function (e) {
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
