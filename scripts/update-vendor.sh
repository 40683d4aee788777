#!/usr/bin/env bash
# Refresh the JavaScript that `llmkg serve` ships (the page works offline, so
# nothing is loaded from a CDN): the YASGUI SPARQL editor and Vega / Vega-Lite /
# vega-embed for the pictures. Downloads the pinned npm packages with `npm pack`
# (the npm registry, no install, no scripts run), copies their built files and
# licenses into src/llmkg/publish/serve/static/vendor/, and records each file's
# sha256 in VERSIONS. To update: change a version below, run this script, run
# the browser tests (tests/test_serve_browser.py), commit.
#
# Keep vega-lite at a version vl-convert-python renders (`llmkg plot`):
#   python -c "import vl_convert; print(vl_convert.get_vegalite_versions())"
set -euo pipefail
cd "$(dirname "$0")/.."

YASGUI=@zazuko/yasgui@4.6.2
VEGA=vega@6.4.0
VEGA_LITE=vega-lite@6.4.3
VEGA_EMBED=vega-embed@7.3.0

dest=src/llmkg/publish/serve/static/vendor
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch PACKAGE@VERSION -> prints the unpacked folder
  local spec="$1" tgz
  tgz="$(cd "$work" && npm pack --silent "$spec" | tail -n 1)"
  mkdir -p "$work/${tgz%.tgz}"
  tar xzf "$work/$tgz" -C "$work/${tgz%.tgz}"
  echo "$work/${tgz%.tgz}/package"
}

rm -rf "$dest"
mkdir -p "$dest/yasgui" "$dest/vega"

pkg="$(fetch "$YASGUI")"
cp "$pkg/build/yasgui.min.js" "$pkg/build/yasgui.min.css" "$dest/yasgui/"
# the npm package carries no LICENSE file; package.json says MIT
cat >"$dest/yasgui/LICENSE" <<'TEXT'
@zazuko/yasgui (Yet Another SPARQL GUI), https://github.com/rdfjs/Yasgui
"license": "MIT" in its package.json; author Triply <info@triply.cc>,
contributors Zazuko GmbH. The npm package ships no license file; this is the
MIT license text it refers to.

Copyright (c) the Yasgui authors (Triply, Zazuko GmbH and contributors)

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
TEXT

pkg="$(fetch "$VEGA")"
cp "$pkg/build/vega.min.js" "$dest/vega/"
cp "$pkg/LICENSE" "$dest/vega/LICENSE.vega"
pkg="$(fetch "$VEGA_LITE")"
cp "$pkg/build/vega-lite.min.js" "$dest/vega/"
cp "$pkg/LICENSE" "$dest/vega/LICENSE.vega-lite"
pkg="$(fetch "$VEGA_EMBED")"
cp "$pkg/build/vega-embed.min.js" "$dest/vega/"
cp "$pkg/LICENSE" "$dest/vega/LICENSE.vega-embed"

{
  echo "# npm packages vendored by scripts/update-vendor.sh"
  printf '%s\n' "$YASGUI" "$VEGA" "$VEGA_LITE" "$VEGA_EMBED"
  echo "# sha256 of each shipped file"
  (cd "$dest" && find . -type f ! -name VERSIONS | LC_ALL=C sort | xargs sha256sum)
} >"$dest/VERSIONS"
echo "vendored into $dest:"
sed 's/^/  /' "$dest/VERSIONS"
