"""`pip install .` (not editable) into a fresh venv: what a user gets works.

The bundled catalog, the ontology and the saved queries ship inside the
wheel; `llmkg build` with no argument and saved-query names work from any
folder, and errors cite paths a user can open. pip's cache is used (no
--no-cache-dir), so in CI this costs the build of one wheel and an install
from cached wheels (~20 s).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.install


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The `llmkg` script of a fresh venv that `pip install .` filled."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                          "--disable-pip-version-check", str(ROOT)],
                         capture_output=True, text=True, timeout=600)
    assert pip.returncode == 0, pip.stderr[-3000:]
    return venv / "bin" / "llmkg"


def run(llmkg: Path, *args, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("LLMKG_STORE", "LLMKG_QUERIES", "PYTHONPATH")}
    return subprocess.run([str(llmkg), *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=300)


def test_installed_llmkg_builds_and_queries_from_any_folder(installed, tmp_path):
    site = installed.parent.parent / "lib"
    built = run(installed, "build", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    # the wheel's copy is named as the README names it; `--version` says where it is
    assert re.search(r"^Built \.llmkg/store from data/llm-landscape\.md \(bundled\)$", built.stdout, flags=re.M)
    assert "site-packages" not in built.stdout
    where = Path(run(installed, "--version", cwd=tmp_path).stdout.split(" in ", 1)[1].strip())
    assert (where / "data" / "llm-landscape.md").is_file() and where.is_relative_to(site)
    assert "llmkg:Model" in built.stdout
    problem = re.search(r"^  data/llm-landscape\.md:(\d+): ", built.stdout, flags=re.M)
    assert problem  # entries not understood: at a line of the file --version locates
    rows = run(installed, "query", "models-per-organization", "--format", "csv", cwd=tmp_path)
    assert rows.returncode == 0 and rows.stdout.startswith("organization,organizationName,models")
    shown = run(installed, "query", "lineage", "--show", cwd=tmp_path)
    path = Path(shown.stderr.strip().removeprefix("# "))
    assert path.is_file() and path.read_text(encoding="utf-8") == shown.stdout
    assert (tmp_path / ".llmkg" / "store").is_dir() and not (tmp_path / "queries").exists()


def test_installed_errors_cite_paths_a_user_can_open(installed, tmp_path):
    run(installed, "build", "-q", cwd=tmp_path)
    strict = run(installed, "build", "--strict", cwd=tmp_path)
    assert strict.returncode == 2
    assert re.search(r"\(data/llm-landscape\.md:(\d+)\)", strict.stderr), strict.stderr
    bad = run(installed, "query", "lineage", "-p", "nope=1", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.startswith("Error: query 'lineage' has no parameter 'nope'")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "broken.rq").write_text("#+ summary: a query of my own that is broken\nSELECT ?x WHERE {\n")
    broken = run(installed, "query", "broken", "--queries", mine, cwd=tmp_path)
    assert broken.returncode == 2 and f"({mine / 'broken.rq'}:" in broken.stderr


def test_installed_names_the_bundled_catalog_from_the_venvs_own_folder(installed):
    """A venv inside the current folder (a project's .venv): the bundled catalog
    is still 'data/llm-landscape.md (bundled)', never its site-packages path."""
    home = installed.parent.parent.parent  # the folder that holds the venv
    built = run(installed, "build", "--store", home / "store-here", cwd=home)
    assert built.returncode == 0, built.stderr
    assert re.search(r"^Built \S+ from data/llm-landscape\.md \(bundled\)$", built.stdout, flags=re.M), built.stdout
    assert re.search(r"^  data/llm-landscape\.md:\d+: ", built.stdout, flags=re.M)
    assert "_shipped" not in built.stdout and "site-packages" not in built.stdout
    strict = run(installed, "build", "--strict", "--store", home / "strict-store", cwd=home)
    assert strict.returncode == 2 and re.search(r"\(data/llm-landscape\.md:\d+\)", strict.stderr), strict.stderr
