"""bench/run.py stops, says why and exits non-zero when a build fails: no figures for
work that did not happen."""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# an entry whose size reads as 100,000 parameters: the shapes' floor is a million
FAILING = """# LLM

### **Models**

- Xersol
  1. [Tiny 1](https://huggingface.co/xersol/Tiny-1): a language model with 0.1M parameters. [Sep 2020]
"""


def _bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_failed_build_stops_the_bench(tmp_path, monkeypatch, capsys) -> None:
    fake = types.ModuleType("gen_catalog")
    fake.generate = lambda n, seed=0: FAILING
    monkeypatch.setitem(sys.modules, "gen_catalog", fake)
    code = _bench().main(["--sizes", "10,20", "--runs", "1", "--skip-cli", "--skip-rdflib",
                          "--skip-pyshacl", "--work", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "Error: the build of 10 entries failed: validation found 1 violations" in err
    assert "Tiny 1" in err and "parameterCount" in err
    assert "export" not in out and "build total" not in out  # nothing was timed after it
    assert not (tmp_path / "20").exists()  # the next size was not started
