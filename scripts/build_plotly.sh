#!/usr/bin/env bash
# Build the plotly.js the app loads, from the npm package that matches the Python plotly (plotly 7.1 bundles
# plotly.js 4.1.1), with only what the app draws and nothing twice:
#   assets/vendor/maplibre-shared.min.js   MapLibre's code shared by the page and its worker (it sets
#                                          self.__maplibreShared), loaded once: the page runs it,
#                                          the map's worker imports the same URL from the browser's cache;
#   assets/vendor/plotly-controlmap.min.js plotly.js core with the scatter (area chart), scattermap and
#                                          choroplethmap traces, MapLibre's main-thread code and the worker's
#                                          own part (~20 KB; plotly.js ships a 520 KB worker that repeats the
#                                          shared code);
#   assets/vendor/regenerator-runtime.min.js the one part of Babel's polyfill (core-js 2 and regenerator, 100 KB)
#                                          that Dash's renderer and dcc still use; Dash's polyfill is not sent
#                                          (layers/web/server.py).
# Left out, never used by the app: the components annotations3d, images, updatemenus, sliders,
# rangeselector and errorbars; the country-name lookup (locationmode "country names"); the ~20 colour
# spaces of culori that CSS does not name. Same esbuild settings as plotly.js's own partial bundles
# (esbuild-config.js in the package), target es2020 (what MapLibre 6 needs anyway).
# Each file also gets its brotli form (.br), which the server sends as it is (layers/web/responses.py).
# Reproducible (the same bytes on every run): exact versions, installed into a throw-away folder. Needs node and npm
# (apt-get install -y nodejs npm). Run on purpose and commit the output:
#   bash scripts/build_plotly.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PLOTLYJS=4.1.1 ESBUILD=0.28.2 INLINE_CSS=0.0.1 ENVIRONMENT=0.5.0 REGENERATOR=0.14.1
TRACES=(scattermap choroplethmap)  # scatter is part of the core
UNUSED=(annotations3d images updatemenus sliders rangeselector errorbars)
root=$PWD
# A fixed folder: the CSS plugin names each inlined style by the hash of its absolute path.
work=${TMPDIR:-/tmp}/controlmap-plotly-build
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
cd "$work"
echo '{"name": "controlmap-plotly", "private": true}' > package.json
npm install --silent --no-audit --no-fund --ignore-scripts --save-exact "plotly.js@$PLOTLYJS" \
  "esbuild@$ESBUILD" "esbuild-plugin-inline-css@$INLINE_CSS" "esbuild-plugin-environment@$ENVIRONMENT" \
  "regenerator-runtime@$REGENERATOR"
# plotly.js's src/core.js with paths from here, without the unused components
sed -e "s#require('\./#require('plotly.js/src/#g" -e "s#require('\.\./build/#require('plotly.js/build/#g" \
  node_modules/plotly.js/src/core.js > core.js
for c in "${UNUSED[@]}"; do
  grep -q "require('plotly.js/src/components/$c')," core.js
  sed -i "\#require('plotly.js/src/components/$c'),#d" core.js
done
{
  echo "'use strict';"
  echo "var Plotly = require('./core.js');"
  echo "Plotly.register(["
  for t in "${TRACES[@]}"; do echo "  require('plotly.js/lib/$t'),"; done
  echo "]);"
  echo "module.exports = Plotly;"
} > entry.js
cat > country.js <<'JS'
module.exports = { COUNTRIES: [], createLookup: function () { return { lookupAlpha3: function () { return undefined; } }; } };
JS
cat > culori.js <<'JS'
import { useMode, modeRgb, modeLrgb, modeHsl, modeHwb, modeXyz65, modeXyz50, modeLab, modeLch, modeOklab, modeOklch,
  converter, formatHex, formatRgb, wcagContrast, wcagLuminance } from 'culori/fn';
[modeRgb, modeLrgb, modeHsl, modeHwb, modeXyz65, modeXyz50, modeLab, modeLch, modeOklab, modeOklch].forEach(useMode);
export { converter, formatHex, formatRgb, wcagContrast, wcagLuminance };
JS
cat > build.js <<'JS'
const esbuild = require('esbuild');
const path = require('path');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
const { environmentPlugin } = require('esbuild-plugin-environment');
const common = { bundle: true, minify: true, sourcemap: false, legalComments: 'none', target: 'es2020', logLevel: 'warning' };
const virtual = (name, filter, contents) => ({ name, setup(b) {
  b.onResolve({ filter }, () => ({ path: name, namespace: name }));
  b.onLoad({ filter: /.*/, namespace: name }, () => ({ contents: contents(), loader: 'js' }));
}});
const shared = virtual('maplibre-shared', /maplibre-gl-shared\.mjs$/, () => 'module.exports = self.__maplibreShared;');
const swaps = { culori: path.resolve('culori.js'), 'country-iso-search': path.resolve('country.js') };
const swap = { name: 'swap', setup(b) { b.onResolve({ filter: /^(culori|country-iso-search)$/ }, (a) => ({ path: swaps[a.path] })); } };
(async () => {
  // self.__maplibreShared, whether run as a classic script (the page) or imported as a module (the worker)
  await esbuild.build({ ...common, stdin: { contents: "import * as shared from './node_modules/maplibre-gl/dist/maplibre-gl-shared.mjs';\n" +
    'self.__maplibreShared = shared;', resolveDir: '.' }, format: 'iife', outfile: 'maplibre-shared.min.js' });
  const worker = (await esbuild.build({ ...common, entryPoints: ['node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs'],
    format: 'iife', write: false, plugins: [shared] })).outputFiles[0].text;
  // plotly.js's build/maplibre_worker (the source of MapLibre's module worker, as a string): an import of the
  // shared file (its absolute URL, from the page's script tag: the browser has it cached), then the worker's
  // own part.
  const workerSource = virtual('maplibre-worker', /build\/maplibre_worker$/, () =>
    "var s = Array.prototype.find.call(document.scripts, function (e) { return /\\/maplibre-shared\\.min\\.js(\\?|$)/.test(e.src); });\n" +
    "if (!s) { throw new Error('load maplibre-shared.min.js before plotly'); }\n" +
    "module.exports = 'import ' + JSON.stringify(s.src) + ';\\n' + " + JSON.stringify(worker) + ";");
  // MapLibre's main-thread code for the map the app makes itself (window.maplibregl), its worker made from the
  // same source string
  await esbuild.build({ ...common, stdin: { contents: "import * as maplibregl from './node_modules/maplibre-gl/dist/maplibre-gl.mjs';\n" +
    "import source from 'plotly.js/build/maplibre_worker';\n" +
    "maplibregl.setWorkerUrl(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));\n" +
    'self.maplibregl = maplibregl;', resolveDir: '.' }, format: 'iife', outfile: 'maplibre.min.js',
    plugins: [shared, workerSource] });
  await esbuild.build({ ...common, bundle: false, entryPoints: ['node_modules/maplibre-gl/dist/maplibre-gl.css'],
    outfile: 'maplibre-gl.min.css', loader: { '.css': 'css' } });
  await esbuild.build({ ...common, entryPoints: ['entry.js'], outfile: 'plotly.min.js', format: 'iife', globalName: 'Plotly',
    plugins: [shared, workerSource, swap, InlineCSSPlugin(), environmentPlugin({ NODE_DEBUG: false })],
    alias: { stream: 'stream-browserify' }, define: { global: 'window', 'define.amd': 'false' } });
  await esbuild.build({ ...common, bundle: false, entryPoints: ['node_modules/regenerator-runtime/runtime.js'],
    outfile: 'regenerator-runtime.min.js' });
})().catch((e) => { console.error(e); process.exit(1); });
JS
node build.js
MAPLIBRE=$(node -p "require('maplibre-gl/package.json').version")
cd "$root"
write() {  # write <output> <built file> <what>: with a header naming its origin, through a temporary name
  { echo "/* $3 Built by scripts/build_plotly.sh; do not edit. */"; cat "$work/$2"; } > "$1.tmp"
  mv "$1.tmp" "$1"
  # and its brotli form at the best level (10 s for plotly.js: too slow for a server to do at start)
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
write assets/vendor/plotly-controlmap.min.js plotly.min.js \
  "plotly.js $PLOTLYJS (MIT, https://github.com/plotly/plotly.js) partial bundle: scatter, ${TRACES[*]}, with MapLibre GL JS $MAPLIBRE (BSD-3-Clause)."
write assets/vendor/regenerator-runtime.min.js regenerator-runtime.min.js \
  "regenerator-runtime $REGENERATOR (MIT, https://github.com/facebook/regenerator): defines regeneratorRuntime."
