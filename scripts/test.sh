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
PYTHON=.venv/bin/python bash scripts/ci-servers.sh
exec .venv/bin/python -m pytest -q "$@"
