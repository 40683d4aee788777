"""Benchmark SHACL validation alone: the sparql engine against pySHACL.

    python bench/validate.py [--sizes 1000,10000,100000] [--pyshacl-max 10000]
                             [--timeout 600] [--json FILE] [--keep DIR]

For each size N it generates a catalog (bench/gen_catalog.py, seed 0), runs
the pipeline once without validation (llmkg.build.graph_quads) and caches
its quads as N-Quads in a temporary directory (or in --keep DIR, where they
are reused by the next run). Then, in a fresh subprocess
per engine, it reads those quads back into a list (what `llmkg build` holds
when it validates), and times `validate_quads(quads, engine=...)` with the
build date fixed. Peak RSS is measured around the validation alone: the
subprocess resets the kernel's high-water mark (/proc/self/clear_refs) just
before validating and reads VmHWM after; "extra" is that peak minus the RSS
of the process holding the quads.

pySHACL runs for sizes up to --pyshacl-max (at 10K it takes ~40 s; 100K is
minutes and many GB), and is given up on after --timeout seconds. The two
engines' results are compared (severity, shape, focus, path, value) so a
speed-up never hides a different answer. It prints figures and the ratio
sparql/pyshacl; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CHILD = r"""
import datetime, hashlib, json, sys, time
import pyoxigraph
from llmkg.validation.validate import validate_quads

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024   # kB -> MB

quads = list(pyoxigraph.parse(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_QUADS))
base = status("VmRSS")
with open("/proc/self/clear_refs", "w") as f:   # reset VmHWM to the current RSS
    f.write("5")
start = time.perf_counter()
report = validate_quads(quads, today=datetime.date(2025, 6, 3), engine=sys.argv[2])
seconds = time.perf_counter() - start
peak = status("VmHWM")
keys = sorted(repr((r.severity, r.shape, r.focus, r.path, r.value_term)) for r in report.results)
print(json.dumps({"seconds": seconds, "peak_mb": peak, "extra_mb": peak - base,
                  "results": len(report.results), "quads": len(quads),
                  "digest": hashlib.sha256("\n".join(keys).encode()).hexdigest()}))
"""


def make_quads(n: int, workdir: Path) -> Path:
    catalog = workdir / f"catalog-{n}.md"
    nquads = workdir / f"quads-{n}.nq"
    if nquads.is_file():
        return nquads
    subprocess.run([sys.executable, str(HERE / "gen_catalog.py"), str(n), "--output",
                    str(catalog)], check=True)
    code = ("import sys, pyoxigraph\nfrom llmkg.build import graph_quads\n"
            "quads, _ = graph_quads([sys.argv[1]])\n"
            "pyoxigraph.serialize(quads, output=sys.argv[2], format=pyoxigraph.RdfFormat.N_QUADS)\n")
    subprocess.run([sys.executable, "-c", code, str(catalog), str(nquads)], check=True)
    return nquads


def measure(nquads: Path, engine: str, timeout: float) -> dict:
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(nquads), engine],
                              capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    except subprocess.CalledProcessError as exc:
        return {"error": exc.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--pyshacl-max", type=int, default=10000,
                    help="largest size pySHACL runs at (it is minutes and GBs beyond 10K)")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    ap.add_argument("--keep", type=Path, help="cache catalogs and quads in this directory")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="llmkg-bench-validate-") as tmp:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            tmp = str(args.keep)
        for n in (int(s) for s in args.sizes.split(",")):
            start = time.perf_counter()
            nquads = make_quads(n, Path(tmp))
            print(f"# {n} entries: quads ready in {time.perf_counter() - start:.0f} s",
                  file=sys.stderr, flush=True)
            row = {"entries": n, "sparql": measure(nquads, "sparql", args.timeout)}
            if n <= args.pyshacl_max:
                row["pyshacl"] = measure(nquads, "pyshacl", args.timeout)
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", "utf-8")


def _cell(m: dict | None) -> str:
    if m is None:
        return "skipped"
    if "timeout" in m:
        return f"> {m['timeout']:.0f} s"
    if "error" in m:
        return f"error: {m['error']}"
    return f"{m['seconds']:7.2f} s  {m['peak_mb']:6.0f} MB (+{m['extra_mb']:.0f})"


def print_table(rows: list[dict]) -> None:
    print(f"{'entries':>8} {'quads':>9}  {'sparql: time, peak RSS (+extra)':<32}"
          f"{'pyshacl: time, peak RSS (+extra)':<34}{'ratio':>7}  same results")
    for row in rows:
        sp, py = row["sparql"], row.get("pyshacl")
        ratio = same = ""
        if py and "seconds" in py and "seconds" in sp:
            ratio = f"{sp['seconds'] / py['seconds']:.3f}"
            same = "yes" if sp["digest"] == py["digest"] else "NO"
        print(f"{row['entries']:>8} {sp.get('quads', ''):>9}  {_cell(sp):<32}{_cell(py):<34}"
              f"{ratio:>7}  {same}")


if __name__ == "__main__":
    main()
