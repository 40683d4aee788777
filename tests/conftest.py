"""Shared fixtures: the bundled catalog built once per session, paths, the CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Property and fuzz tests: a few hundred cases in CI; HYPOTHESIS_PROFILE=long for a long run
# (tests/README.md).
settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("long", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
SHARED_CATALOGS = ROOT.parent / "shared" / "catalogs"


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory) -> Path:
    from llmkg.build import build

    store = tmp_path_factory.mktemp("bundled") / "store"
    report = build(store=store, validate=False)
    assert report.quads > 0
    return store


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m llmkg ARGS` as a user would, capturing output."""
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "llmkg", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd or ROOT, env=full_env, timeout=300)


@pytest.fixture
def cli():
    return run_cli


XSS_NAME = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="session")
def served_store(tmp_path_factory) -> Path:
    """The bundled catalog plus tests/fixtures/serve/xss.md, whose model is
    named `<img src=x onerror=alert(1)>` (fine-tuned from Llama 2), in one store."""
    from llmkg.build import build, bundled_catalog

    store = tmp_path_factory.mktemp("served") / "store"
    build([bundled_catalog(), ROOT / "tests" / "fixtures" / "serve" / "xss.md"], store=store, validate=False)
    return store


@pytest.fixture(scope="session")
def llmkg_server(served_store, tmp_path_factory):
    """`llmkg serve` on the served store (127.0.0.1, a free port), stopped by PID."""
    from servers import running_llmkg

    with running_llmkg(served_store, tmp_path_factory.mktemp("serve")) as server:
        yield server
