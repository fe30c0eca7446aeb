#!/usr/bin/env bash
# Build the map library the page loads, from the npm package of MapLibre GL JS, with nothing twice:
#   assets/vendor/maplibre-shared.min.js   MapLibre's code shared by the page and its worker (it sets
#                                          self.__maplibreShared), loaded once: the page runs it, the map's
#                                          worker imports the same URL from the browser's cache;
#   assets/vendor/maplibre.min.js          the page's own part (window.maplibregl), with the worker's own part
#                                          (~20 KB) as the source of a module worker that imports the shared file
#                                          (MapLibre's prebuilt bundle carries the shared code twice);
#   assets/vendor/maplibre-gl.min.css      its style (the controls);
#   assets/vendor/regenerator-runtime.min.js the one part of Babel's polyfill (core-js 2 and regenerator, 100 KB)
#                                          that Dash's renderer and dcc still use; Dash's polyfill is not sent
#                                          (layers/web/server.py).
# The page loads no plotly.js: the map is MapLibre used directly (assets/38-map.js) and the chart is SVG
# (assets/48-chart.js). Target es2020 (what MapLibre 6 needs anyway).
# Each file also gets its brotli form (.br), which the server sends as it is (layers/web/responses.py).
# Reproducible (the same bytes on every run): exact versions, installed into a throw-away folder. Needs node and npm
# (apt-get install -y nodejs npm). Run on purpose and commit the output:
#   bash scripts/build_maplibre.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MAPLIBRE=6.9.0 ESBUILD=0.28.2 REGENERATOR=0.14.1
root=$PWD
work=${TMPDIR:-/tmp}/controlmap-maplibre-build
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
cd "$work"
echo '{"name": "controlmap-maplibre", "private": true}' > package.json
npm install --silent --no-audit --no-fund --ignore-scripts --save-exact "maplibre-gl@$MAPLIBRE" \
  "esbuild@$ESBUILD" "regenerator-runtime@$REGENERATOR"
cat > build.js <<'JS'
const esbuild = require('esbuild');
const common = { bundle: true, minify: true, sourcemap: false, legalComments: 'none', target: 'es2020', logLevel: 'warning' };
const virtual = (name, filter, contents) => ({ name, setup(b) {
  b.onResolve({ filter }, () => ({ path: name, namespace: name }));
  b.onLoad({ filter: /.*/, namespace: name }, () => ({ contents: contents(), loader: 'js' }));
}});
const shared = virtual('maplibre-shared', /maplibre-gl-shared\.mjs$/, () => 'module.exports = self.__maplibreShared;');
(async () => {
  // self.__maplibreShared, whether run as a classic script (the page) or imported as a module (the worker)
  await esbuild.build({ ...common, stdin: { contents: "import * as shared from './node_modules/maplibre-gl/dist/maplibre-gl-shared.mjs';\n" +
    'self.__maplibreShared = shared;', resolveDir: '.' }, format: 'iife', outfile: 'maplibre-shared.min.js' });
  const worker = (await esbuild.build({ ...common, entryPoints: ['node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs'],
    format: 'iife', write: false, plugins: [shared] })).outputFiles[0].text;
  // The source of MapLibre's module worker: an import of the shared file (its absolute URL, from the page's
  // script tag: the browser has it cached), then the worker's own part.
  const workerSource = virtual('maplibre-worker-source', /^maplibre-worker-source$/, () =>
    "var s = Array.prototype.find.call(document.scripts, function (e) { return /\\/maplibre-shared\\.min\\.js(\\?|$)/.test(e.src); });\n" +
    "if (!s) { throw new Error('load maplibre-shared.min.js before maplibre.min.js'); }\n" +
    "module.exports = 'import ' + JSON.stringify(s.src) + ';\\n' + " + JSON.stringify(worker) + ";");
  await esbuild.build({ ...common, stdin: { contents: "import * as maplibregl from './node_modules/maplibre-gl/dist/maplibre-gl.mjs';\n" +
    "import source from 'maplibre-worker-source';\n" +
    "maplibregl.setWorkerUrl(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));\n" +
    'self.maplibregl = maplibregl;', resolveDir: '.' }, format: 'iife', outfile: 'maplibre.min.js',
    plugins: [shared, workerSource] });
  await esbuild.build({ ...common, bundle: false, entryPoints: ['node_modules/maplibre-gl/dist/maplibre-gl.css'],
    outfile: 'maplibre-gl.min.css', loader: { '.css': 'css' } });
  await esbuild.build({ ...common, bundle: false, entryPoints: ['node_modules/regenerator-runtime/runtime.js'],
    outfile: 'regenerator-runtime.min.js' });
})().catch((e) => { console.error(e); process.exit(1); });
JS
node build.js
cd "$root"
write() {  # write <output> <built file> <what>: with a header naming its origin, through a temporary name
  { echo "/* $3 Built by scripts/build_maplibre.sh; do not edit. */"; cat "$work/$2"; } > "$1.tmp"
  mv "$1.tmp" "$1"
  # and its brotli form at the best level (seconds of CPU: too slow for a server to do at start)
  node -e "const z = require('zlib'), fs = require('fs'); fs.writeFileSync(process.argv[2], z.brotliCompressSync(
    fs.readFileSync(process.argv[1]), {params: {[z.constants.BROTLI_PARAM_QUALITY]: 11,
    [z.constants.BROTLI_PARAM_LGWIN]: 24}}))" "$1" "$1.br.tmp"
  mv "$1.br.tmp" "$1.br"
  echo "wrote $1: $(wc -c < "$1") bytes, $(gzip -9c "$1" | wc -c) gzip, $(wc -c < "$1.br") brotli ($1.br)"
}
write assets/vendor/maplibre-shared.min.js maplibre-shared.min.js \
  "MapLibre GL JS $MAPLIBRE (BSD-3-Clause, https://github.com/maplibre/maplibre-gl-js): the code its page and worker share."
write assets/vendor/maplibre.min.js maplibre.min.js \
  "MapLibre GL JS $MAPLIBRE (BSD-3-Clause, https://github.com/maplibre/maplibre-gl-js): the page's part (window.maplibregl) and its worker."
write assets/vendor/maplibre-gl.min.css maplibre-gl.min.css \
  "MapLibre GL JS $MAPLIBRE (BSD-3-Clause, https://github.com/maplibre/maplibre-gl-js): the map's controls."
write assets/vendor/regenerator-runtime.min.js regenerator-runtime.min.js \
  "regenerator-runtime $REGENERATOR (MIT, https://github.com/facebook/regenerator): defines regeneratorRuntime."
