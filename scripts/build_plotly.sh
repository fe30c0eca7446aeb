#!/usr/bin/env bash
# Build assets/vendor/plotly-controlmap.min.js: plotly.js with only the traces the app draws (scatter for the
# area chart, scattermap and choroplethmap for the map), from the npm package that matches the Python
# plotly (plotly 7.1 bundles plotly.js 4.1.1). Same esbuild settings as plotly.js's own partial-bundle task
# (esbuild-config.js in the package); the tarball has no tasks/ folder, so the entry file is written here.
# Reproducible: exact versions, npm ci-like install into a throw-away folder. Needs node and npm
# (apt-get install -y nodejs npm). Run on purpose and commit the output:
#   bash scripts/build_plotly.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PLOTLYJS=4.1.1 ESBUILD=0.28.2 INLINE_CSS=0.0.1 ENVIRONMENT=0.5.0
TRACES=(scattermap choroplethmap)  # scatter is part of plotly.js/lib/core
out=assets/vendor/plotly-controlmap.min.js
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
echo '{"name": "controlmap-plotly", "private": true}' > package.json
npm install --silent --no-audit --no-fund --ignore-scripts --save-exact "plotly.js@$PLOTLYJS" \
  "esbuild@$ESBUILD" "esbuild-plugin-inline-css@$INLINE_CSS" "esbuild-plugin-environment@$ENVIRONMENT"
{
  echo "'use strict';"
  echo "var Plotly = require('plotly.js/lib/core');"
  echo "Plotly.register(["
  for t in "${TRACES[@]}"; do echo "  require('plotly.js/lib/$t'),"; done
  echo "]);"
  echo "module.exports = Plotly;"
} > entry.js
cat > build.js <<'JS'
const esbuild = require('esbuild');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
const { environmentPlugin } = require('esbuild-plugin-environment');
esbuild.build({
  entryPoints: ['entry.js'], outfile: 'plotly.min.js', format: 'iife', globalName: 'Plotly', bundle: true,
  minify: true, sourcemap: false, legalComments: 'none', target: 'es2016', logLevel: 'warning',
  plugins: [InlineCSSPlugin(), environmentPlugin({ NODE_DEBUG: false })],
  alias: { stream: 'stream-browserify' },
  define: { global: 'window', 'define.amd': 'false' },
}).catch(() => process.exit(1));
JS
node build.js
cd - >/dev/null
{
  echo "/* plotly.js $PLOTLYJS (MIT, https://github.com/plotly/plotly.js) partial bundle: scatter, ${TRACES[*]}."
  echo "   Built by scripts/build_plotly.sh; do not edit. */"
  cat "$work/plotly.min.js"
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out: $(wc -c < "$out") bytes, $(gzip -9c "$out" | wc -c) gzip"
