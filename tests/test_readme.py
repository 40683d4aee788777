"""README.md's examples are real runs: cog regenerates every block and the
file must not change (`cog --check`, as sqlite-utils checks its docs).

After a change of output: `.venv/bin/cog -r -I scripts README.md`
(scripts/readme_runs.py runs the commands; it also says how to add a block).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def test_readme_blocks_match_what_the_commands_print():
    if shutil.which("java") is None:
        pytest.skip("`llmkg reason` needs Java (scripts/test.sh installs it)")
    if shutil.which("oxigraph", path=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}") is None:
        pytest.skip("the `llmkg load` example needs the Oxigraph server (scripts/ci-servers.sh installs it)")
    if not (ROOT.parent / "shared" / "catalogs").is_dir():
        pytest.skip("the `llmkg history` example commits the catalog versions in ../shared")
    done = subprocess.run([sys.executable, "-m", "cogapp", "--check", "--diff", "-I", "scripts", "README.md"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, (
        "README.md differs from what the commands print; refresh it with "
        "`.venv/bin/cog -r -I scripts README.md`\n" + done.stdout[-6000:] + done.stderr[-3000:])
