#!/usr/bin/env bash
# Set up and run the test suite: a venv in .venv, the package with its test
# extras, the triple-store servers the load tests start (Oxigraph, Virtuoso),
# then pytest. Safe to run again; extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
# HermiT (llmkg reason) needs a Java runtime; the reasoner tests skip without one
if ! command -v java >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null 2>&1 || true
fi
# The browser tests drive Debian's Chromium through Playwright (which downloads
# no browser of its own here): install it as root, updating the lists once if
# the package is not found.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    apt-get update -qq >/dev/null 2>&1 || true
  fi
  apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; } \
    || echo "test.sh: could not install chromium; the browser tests will be skipped" >&2
fi
PYTHON=.venv/bin/python bash scripts/ci-servers.sh
exec .venv/bin/python -m pytest -q "$@"
