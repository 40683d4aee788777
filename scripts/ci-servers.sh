#!/usr/bin/env bash
# Install the triple-store servers the load tests start (tests/servers.py):
#   - the Oxigraph server: PyPI package `oxigraph`, into the active Python
#     environment (or $PYTHON's);
#   - Virtuoso Open Source 7: Debian package `virtuoso-opensource`.
# Idempotent and quiet. Nothing is left running: the tests start each server
# on 127.0.0.1 with a temp directory and free ports, and stop it by PID.
#
# Usage: bash scripts/ci-servers.sh     (as root for apt-get; PYTHON=... to pick the venv)
set -euo pipefail

PYTHON="${PYTHON:-python3}"
log="$(mktemp -t llmkg-ci-servers.XXXXXX)"
trap 'rm -f "$log"' EXIT

note() { printf 'ci-servers: %s\n' "$*"; }
fail() { note "$*"; sed 's/^/  | /' "$log" | tail -n 30 >&2; exit 1; }

# --- Oxigraph server (pip) --------------------------------------------------
if "$PYTHON" -m pip show oxigraph >/dev/null 2>&1; then
  note "oxigraph already installed ($("$PYTHON" -m pip show oxigraph | sed -n 's/^Version: //p'))"
else
  "$PYTHON" -m pip install --quiet --disable-pip-version-check oxigraph >"$log" 2>&1 \
    || fail "pip install oxigraph failed"
  note "installed oxigraph $("$PYTHON" -m pip show oxigraph | sed -n 's/^Version: //p')"
fi

# --- Virtuoso (apt) ----------------------------------------------------------
if command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; then
  note "virtuoso already installed ($(dpkg-query -W -f='${Version}' virtuoso-opensource-7 2>/dev/null || echo '?'))"
elif ! command -v apt-get >/dev/null 2>&1; then
  note "no apt-get here: Virtuoso not installed (its tests will be skipped)"
elif [ "$(id -u)" != 0 ]; then
  note "not root: Virtuoso not installed (its tests will be skipped)"
else
  export DEBIAN_FRONTEND=noninteractive
  # The package would start a system-wide Virtuoso on 1111/8890 and ask for a
  # DBA password: forbid service starts for the install (policy-rc.d exit 101)
  # and preseed the password questions with empty answers (no prompt; the
  # system database, which the tests never use, keeps its default).
  policy=/usr/sbin/policy-rc.d
  own_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && own_policy=1
  fi
  restore_policy() { if [ "$own_policy" = 1 ]; then rm -f "$policy"; fi; }
  trap 'restore_policy; rm -f "$log"' EXIT
  printf '%s\n' \
    "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password" \
    "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password" \
    | debconf-set-selections 2>/dev/null || true
  if ! apt-cache policy virtuoso-opensource 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    apt-get update -qq >"$log" 2>&1 || fail "apt-get update failed"
  fi
  install() { apt-get install -y -qq --no-install-recommends virtuoso-opensource >"$log" 2>&1; }
  # Stale package lists name versions the mirror no longer has: update once and retry.
  install || { apt-get update -qq >"$log" 2>&1 && install; } \
    || fail "apt-get install virtuoso-opensource failed"
  note "installed virtuoso $(dpkg-query -W -f='${Version}' virtuoso-opensource-7)"
  # Should a service have started anyway (no policy-rc.d honoured), stop it:
  # the tests run their own server and a system one would hold 1111/8890.
  if command -v service >/dev/null 2>&1; then
    service virtuoso-opensource-7 stop >/dev/null 2>&1 || true
  fi
  restore_policy
fi

# --- Jena (apt): `rsparql`, a SPARQL client the serve tests run -----------------
if [ -e /usr/share/java/jena-arq.jar ]; then
  note "jena already installed ($(dpkg-query -W -f='${Version}' libapache-jena-java 2>/dev/null || echo '?'))"
elif command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  jena() { apt-get install -y -qq --no-install-recommends libapache-jena-java >"$log" 2>&1; }
  if jena || { apt-get update -qq >"$log" 2>&1 && jena; }; then
    note "installed jena $(dpkg-query -W -f='${Version}' libapache-jena-java)"
  else
    note "could not install libapache-jena-java: the Jena client tests will be skipped"
  fi
else
  note "not root or no apt-get: Jena not installed (its client tests will be skipped)"
fi

# --- Comunica (npm): a SPARQL client the serve tests run --------------------------
# Into .cache/comunica beside the project, from tests/clients/comunica-package.json
# (undici 7: the version 5.4.1 pulls, 8, needs a newer Node than Debian's 20).
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -x "$root/.cache/comunica/node_modules/.bin/comunica-sparql" ]; then
  note "comunica already installed"
elif command -v npm >/dev/null 2>&1; then
  mkdir -p "$root/.cache/comunica"
  cp "$root/tests/clients/comunica-package.json" "$root/.cache/comunica/package.json"
  if (cd "$root/.cache/comunica" && npm install --no-audit --no-fund --silent >"$log" 2>&1); then
    note "installed comunica (@comunica/query-sparql)"
  else
    note "npm install @comunica/query-sparql failed: the Comunica client tests will be skipped"
  fi
else
  note "no npm: Comunica not installed (its client tests will be skipped)"
fi
