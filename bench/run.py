"""Benchmark llmkg on synthetic catalogs, with baselines in the same run.

    python bench/run.py [--sizes 1000,10000,100000] [--runs 3] [--queries A,B] [--json FILE]

For each size N it generates a catalog (bench/gen_catalog.py) and measures,
each in a fresh subprocess so that peak memory (ru_maxrss) is that of one
measurement:

- build: llmkg.build.build(...) with validation; per-stage medians from
  BuildReport.stage_seconds, triples/s, peak RSS;
- export: llmkg.publish.export.export(...) to N-Quads and Turtle;
- store baseline: pyoxigraph.Store.bulk_load of the same N-Quads;
- validation baseline: plain pyshacl.validate on an rdflib Graph of the
  same data graph;
- every saved query (queries/*.rq): llmkg.query.saved.run against native
  pyoxigraph Store.query of the same bound query text, both on a store
  opened once, and against rdflib's in-memory Dataset of the same quads
  (loaded once; parameters as initBindings).

Once (size independent) it times the cold CLI `llmkg query NAME --store DIR`
on the bundled catalog against the import floor `python -c "import typer,
pyoxigraph"` (llmkg byte-compiled first, as an install would be; runs
interleaved; also the floor plus opening the store and running the query
natively, the part that is Oxigraph's), and checks with `python -X importtime` that `llmkg --help` and
`llmkg query` import none of rdflib, pyshacl, owlready2.

It prints medians and ratios; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
QUERIES = ROOT / "queries"
BUNDLED = ROOT / "data" / "llm-landscape.md"
HEAVY = ("rdflib", "pyshacl", "owlready2")
DATA_GRAPH = "<https://w3id.org/llmkg/graph/data>"


# ---------------------------------------------------------------- workers
# Each worker runs in its own interpreter and prints one JSON object.

def _maxrss_mb() -> float:
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_maxrss_mb() -> float:
    """Largest peak RSS of any waited-for child (the build's extract workers)."""
    import resource
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def w_build(catalog: str, store: str) -> dict:
    from llmkg.build import build
    t0 = time.perf_counter()
    report = build([Path(catalog)], store=Path(store), validate=True)
    total = time.perf_counter() - t0
    if not report.stored:  # validation found violations: no store, nothing to time after this
        v = next(r for r in report.validation.results if r.severity == "Violation")
        return {"error": f"validation found {report.validation.counts['Violation']} violations, no store "
                         f"was written (first: {v.focus_label or v.focus} {v.path} = {v.value_term}"
                         f" at {', '.join(v.where) or '?'})"}
    return {"seconds": total, "stages": dict(report.stage_seconds),
            "triples": report.triples, "rss_mb": _maxrss_mb(),
            "children_rss_mb": _children_maxrss_mb()}


def w_export(store: str, fmt: str, output: str) -> dict:
    from llmkg.publish.export import export
    t0 = time.perf_counter()
    export(store=Path(store), format=fmt, output=Path(output))
    return {"seconds": time.perf_counter() - t0, "bytes": Path(output).stat().st_size,
            "rss_mb": _maxrss_mb()}


def w_md_parse(catalog: str) -> dict:
    """markdown-it-py's own parse of the catalog, in one process, with the parser
    configuration llmkg.ingest.parse uses (CommonMark with tables): the floor of
    the parse+extract stage. The text is read and decoded outside the timing."""
    from markdown_it import MarkdownIt
    text = Path(catalog).read_text(encoding="utf-8")
    md = MarkdownIt("commonmark").enable("table")
    t0 = time.perf_counter()
    tokens = md.parse(text)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "tokens": len(tokens), "rss_mb": _maxrss_mb()}


def w_bulk_load(nquads: str, store: str) -> dict:
    import pyoxigraph
    t0 = time.perf_counter()
    st = pyoxigraph.Store(store)
    st.bulk_load(path=nquads, format=pyoxigraph.RdfFormat.N_QUADS)
    st.flush()
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "quads": len(st), "rss_mb": _maxrss_mb()}


def w_pyshacl(data_nt: str, shapes: str) -> dict:
    import pyshacl
    import rdflib
    t0 = time.perf_counter()
    data = rdflib.Graph()
    data.parse(data_nt, format="nt")
    shapes_graph = rdflib.Graph()
    shapes_graph.parse(shapes)
    loaded = time.perf_counter()
    # the options llmkg.validation.validate uses, so that only llmkg's own work differs
    conforms, _, _ = pyshacl.validate(data, shacl_graph=shapes_graph, inference="none",
                                      advanced=True, allow_warnings=True, inplace=True)
    done = time.perf_counter()
    return {"seconds": done - loaded, "load_seconds": loaded - t0, "conforms": conforms,
            "triples": len(data), "rss_mb": _maxrss_mb()}


def _saved_queries(values: dict[str, str]):
    """(saved query, its parameter values) for every saved query.

    `values` overrides the defaults of parameters the query declares (the
    defaults name real models, which a synthetic catalog does not have).
    """
    import llmkg.query.saved as q
    only = [n for n in os.environ.get("LLMKG_BENCH_QUERIES", "").split(",") if n]
    out = []
    for saved in q.list_saved():
        if only and saved.name not in only:
            continue
        declared = {p.name for p in saved.params}
        out.append((saved, {k: v for k, v in values.items() if k in declared}))
    return out


def _native_query(pyoxigraph, st, text: str) -> int:
    """Run the query on an open store, touch every value: the native floor."""
    result = st.query(text, use_default_graph_as_union=True)
    if isinstance(result, (bool, pyoxigraph.QueryBoolean)):
        return 1
    variables = getattr(result, "variables", None)
    count = 0
    for solution in result:
        if variables is not None:
            for var in variables:
                solution[var]
        count += 1
    return count


def w_queries(store: str, runs: int, values: dict) -> dict:
    """Each saved query through llmkg.query.saved.run and natively, on a store
    opened once (as rdflib's Dataset is loaded once): both run the same
    query text, with the parameters bound by llmkg.query.bindings. Opening the
    store is timed apart: the cold CLI measurement covers what a command pays."""
    import pyoxigraph
    import llmkg.query.saved as q
    from llmkg.query.bindings import bind_values
    from llmkg.store import open_store
    t0 = time.perf_counter()
    db = open_store(Path(store))
    opened = time.perf_counter() - t0
    native_db = pyoxigraph.Store.read_only(store)
    results = {}
    for saved, params in _saved_queries(values):
        text = bind_values(saved.text, q.bind(saved, params))
        ours, native, rows = [], [], None
        repeat = 1
        # the first round warms caches and is dropped, unless it took over
        # SLOW_QUERY seconds (then caches matter little and it counts); a
        # query under FAST_QUERY is repeated within each round (timeit's
        # autorange) and timed per call, so that sub-millisecond queries are
        # not measured at the clock's and the scheduler's resolution
        for i in range(runs + 1):
            t0 = time.perf_counter()
            for _ in range(repeat):
                res = q.run(saved, store=db, params=params)
            t1 = time.perf_counter()
            for _ in range(repeat):
                n_native = _native_query(pyoxigraph, native_db, text)
            t2 = time.perf_counter()
            ours.append((t1 - t0) / repeat)
            native.append((t2 - t1) / repeat)
            rows = (len(res.rows), n_native)
            if i == 0 and t2 - t0 < 2 * SLOW_QUERY:
                ours, native = [], []
                repeat = max(1, min(1000, math.ceil(FAST_QUERY / max(t2 - t0, 1e-6))))
            elif len(ours) == runs:
                break
        results[saved.name] = {"llmkg": statistics.median(ours),
                               "native": statistics.median(native), "rows": rows, "repeat": repeat}
    return {"queries": results, "open_seconds": opened, "rss_mb": _maxrss_mb()}


SLOW_QUERY = 5.0  # seconds
FAST_QUERY = 0.05  # seconds: a round of llmkg + native lasts at least this long


def w_rdflib_queries(nquads: str, runs: int, timeouts: dict, values: dict) -> dict:
    """Each query is given up on after timeouts[name] seconds (counted as timed out)."""
    import signal

    import rdflib

    import llmkg.query.saved as q
    t0 = time.perf_counter()
    ds = rdflib.Dataset(default_union=True)
    ds.parse(nquads, format="nquads")
    load = time.perf_counter() - t0
    loaded = len(ds)

    def alarm(*_):
        raise TimeoutError
    signal.signal(signal.SIGALRM, alarm)
    results = {}
    for saved, params in _saved_queries(values):
        bindings = {rdflib.Variable(k): rdflib_term(v) for k, v in q.bind(saved, params).items()}
        text = rdflib_text(saved)
        times, rows = [], None
        timeout = int(timeouts[saved.name])
        for _ in range(runs):
            signal.alarm(timeout)
            try:
                t = time.perf_counter()
                rows = len(list(ds.query(text, initBindings=bindings)))
                times.append(time.perf_counter() - t)
            except TimeoutError:
                break
            finally:
                signal.alarm(0)
            if times[-1] > 60:  # one run over a minute is its own median
                break
        results[saved.name] = {"rdflib": statistics.median(times) if times else None,
                               "timeout": None if times else timeout, "rows": rows,
                               "own_text": text != saved.text}
    return {"load_seconds": load, "quads": loaded, "queries": results, "rss_mb": _maxrss_mb()}


RDFLIB_TEXTS = BENCH / "rdflib-texts"


def rdflib_text(saved) -> str:
    """The text rdflib runs for a saved query: bench/rdflib-texts/NAME.rq if
    there is one (an equivalent text rdflib evaluates faster: the stricter
    baseline), else the saved query's own."""
    own = RDFLIB_TEXTS / f"{saved.name}.rq"
    return own.read_text(encoding="utf-8") if own.is_file() else saved.text


def rdflib_term(term):
    """A pyoxigraph term as the equal rdflib term (llmkg's pyshacl bridge:
    string parameters bind as plain literals, which rdflib's matching needs)."""
    from llmkg.validation.shacl_pyshacl import rdflib_converter
    return rdflib_converter()(term)


WORKERS = {"build": w_build, "md_parse": w_md_parse, "export": w_export, "bulk_load": w_bulk_load,
           "pyshacl": w_pyshacl, "queries": w_queries, "rdflib_queries": w_rdflib_queries}


def call(worker: str, *args, timeout: float | None = None) -> dict:
    """Run one worker in a fresh interpreter; its JSON result (or an error)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", worker,
           json.dumps([str(a) if isinstance(a, Path) else a for a in args])]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return {"error": " | ".join(tail)}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------- orchestration

def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ratio(a, b):
    return None if a is None or not b else a / b


def fmt_s(x):
    return "-" if x is None else (f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s")


def fmt_r(x):
    return "-" if x is None else f"{x:.2f}x"


def bench_size(n: int, runs: int, work: Path, opts) -> dict:
    sys.path.insert(0, str(BENCH))
    from gen_catalog import generate
    d = work / str(n)
    d.mkdir(parents=True, exist_ok=True)
    catalog = d / f"synthetic-{n}.md"
    catalog.write_text(generate(n, seed=0), encoding="utf-8")
    res: dict = {"entries": n, "catalog_bytes": catalog.stat().st_size}
    say = lambda msg: print(f"[{n}] {msg}", file=sys.stderr, flush=True)  # noqa: E731

    builds = []
    for i in range(runs):
        store = d / "store"
        shutil.rmtree(store, ignore_errors=True)
        say(f"build {i + 1}/{runs}")
        r = call("build", catalog, store, timeout=opts.timeout)
        if "error" in r:
            res["error"] = "build: " + r["error"]
            return res
        builds.append(r)
    res["triples"] = builds[0]["triples"]
    res["build_seconds"] = median(b["seconds"] for b in builds)
    res["build_rss_mb"] = max(b["rss_mb"] for b in builds)
    res["build_children_rss_mb"] = max(b.get("children_rss_mb", 0) for b in builds)
    res["stages"] = {k: median(b["stages"].get(k) for b in builds) for k in builds[0]["stages"]}
    res["triples_per_s"] = res["triples"] / res["build_seconds"]

    say("baseline: markdown-it parse")
    parses = [call("md_parse", catalog, timeout=opts.timeout) for _ in range(runs)]
    ok = [x for x in parses if "error" not in x]
    res["md_parse"] = ({"seconds": median(x["seconds"] for x in ok),
                        "rss_mb": max(x["rss_mb"] for x in ok)} if ok else parses[0])

    nquads, turtle = d / "all.nq", d / "all.ttl"
    for fmt, out in (("nquads", nquads), ("turtle", turtle)):
        say(f"export {fmt}")
        ex = [call("export", d / "store", fmt, out, timeout=opts.timeout) for _ in range(runs)]
        ok = [e for e in ex if "error" not in e]
        res[f"export_{fmt}"] = ({"seconds": median(e["seconds"] for e in ok),
                                 "bytes": ok[0]["bytes"], "rss_mb": max(e["rss_mb"] for e in ok)}
                                if ok else {"error": ex[0]["error"]})
    if not nquads.exists():
        return res

    say("baseline: bulk_load")
    loads = []
    for _ in range(runs):
        bl = d / "bulk"
        shutil.rmtree(bl, ignore_errors=True)
        loads.append(call("bulk_load", nquads, bl, timeout=opts.timeout))
    ok = [x for x in loads if "error" not in x]
    res["bulk_load"] = ({"seconds": median(x["seconds"] for x in ok), "quads": ok[0]["quads"],
                         "rss_mb": max(x["rss_mb"] for x in ok)} if ok else loads[0])

    shapes = _shapes_file()
    if shapes and not opts.skip_pyshacl:
        data_nt = d / "data.nt"
        _data_graph_ntriples(nquads, data_nt)
        say("baseline: pyshacl")
        sh = [call("pyshacl", data_nt, shapes, timeout=opts.timeout)
              for _ in range(1 if n >= 100_000 else runs)]
        ok = [x for x in sh if "error" not in x]
        res["pyshacl"] = ({"seconds": median(x["seconds"] for x in ok),
                           "load_seconds": median(x["load_seconds"] for x in ok),
                           "triples": ok[0]["triples"], "rss_mb": max(x["rss_mb"] for x in ok)}
                          if ok else sh[0])

    say("queries: llmkg vs native")
    values = synthetic_values(catalog.read_text(encoding="utf-8"))
    res["params"] = values
    res["queries"] = call("queries", d / "store", runs, values, timeout=opts.timeout)
    if not opts.skip_rdflib and "queries" in res["queries"]:
        say("queries: rdflib")
        # a query is given up on once it is clearly over 10x llmkg's time:
        # after max(5 s, 11x llmkg), at most --query-timeout seconds
        timeouts = {name: min(opts.query_timeout, max(5, math.ceil(11 * v["llmkg"])))
                    for name, v in res["queries"]["queries"].items()}
        source = nquads
        if opts.rdflib_data_only:
            source = d / "data.nq"
            _data_graph_only(nquads, source)
        res["rdflib"] = call("rdflib_queries", source, 1 if n >= 100_000 else runs, timeouts, values,
                             timeout=opts.timeout * 4)
        res["rdflib"]["data_only"] = opts.rdflib_data_only
    if not opts.keep:
        shutil.rmtree(d, ignore_errors=True)
    return res


def synthetic_values(text: str) -> dict[str, str]:
    """Parameter values that exist in a synthetic catalog: a model that has
    both an ancestor and descendants (lineage, descendants and model-card all
    find rows), and the organisation with most entries."""
    import re
    from collections import Counter
    entry = re.compile(r"^(?:  1\. |- )\[([^\]]+)\]")
    lineage = re.compile(r"(?:[Ff]ine-tuned from|[Bb]uilt on top of|built using|reproduction of)"
                         r" (.+?)\.(?: \[|$)")
    parent_of: dict[str, str] = {}
    children: Counter[str] = Counter()
    for line in text.splitlines():
        m = entry.match(line)
        p = lineage.search(line) if m else None
        if p:
            parent_of[m.group(1)] = p.group(1)
            children[p.group(1)] += 1
    both = [(c, name) for name, c in children.items() if name in parent_of]
    model = max(both)[1] if both else (children.most_common(1)[0][0] if children else "")
    groups = Counter(re.findall(r"^- ([A-Z][^\[\n]*)$", text, re.M))
    return {"model": model, "entity": model,
            "organization": groups.most_common(1)[0][0] if groups else ""}


def _shapes_file() -> Path | None:
    from llmkg.validation.validate import default_shapes
    path = default_shapes()
    return path if path.is_file() else None


def _data_graph_only(nquads: Path, out: Path) -> None:
    """The data graph's quads of an N-Quads dump (the rdflib baseline at 100K)."""
    tail = " " + DATA_GRAPH + " .\n"
    with nquads.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        dst.writelines(line for line in src if line.endswith(tail))


def _data_graph_ntriples(nquads: Path, out: Path) -> None:
    """The data graph of an N-Quads dump as N-Triples (what llmkg validates)."""
    tail = " " + DATA_GRAPH + " .\n"
    with nquads.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            if line.endswith(tail):
                dst.write(line[: -len(tail)] + " .\n")


def cold_cli(runs: int, work: Path) -> dict:
    """Cold `llmkg query` on the bundled store against the import floor."""
    exe = shutil.which("llmkg", path=str(Path(sys.executable).parent)) or "llmkg"
    store = work / "bundled-store"
    shutil.rmtree(store, ignore_errors=True)
    b = subprocess.run([exe, "build", str(BUNDLED), "--store", str(store)],
                       capture_output=True, text=True)
    if b.returncode not in (0, 1):
        return {"error": "bundled build: " + (b.stderr or b.stdout).strip()[-300:]}
    names = sorted(p.stem for p in QUERIES.glob("*.rq"))
    if not names:
        return {"error": "no saved queries"}
    chosen = os.environ.get("LLMKG_BENCH_QUERY", "models-per-organization,context-length-over-time")
    picked = [q for q in chosen.split(",") if q in names] or names[:1]
    name = picked[0]
    # llmkg's bytecode, as `pip install` writes it (typer's and pyoxigraph's in the
    # floor have theirs): an editable checkout run with PYTHONDONTWRITEBYTECODE
    # would otherwise compile llmkg's modules again on every run (~4 ms)
    subprocess.run([sys.executable, "-c", "import compileall, pathlib, llmkg; "
                    "compileall.compile_dir(pathlib.Path(llmkg.__file__).parent, quiet=1)"],
                   capture_output=True, check=False)

    native = ("import sys, typer, pyoxigraph; s = pyoxigraph.Store.read_only(sys.argv[1]); "
              "print(list(s.query(open(sys.argv[2]).read(), use_default_graph_as_union=True)))")
    commands = {"floor": [sys.executable, "-c", "import typer, pyoxigraph"],
                # the floor that also opens the store and runs the query text (unbound)
                "native": [sys.executable, "-c", native, str(store), str(QUERIES / f"{name}.rq")],
                **{("query", q): [exe, "query", q, "--store", str(store)] for q in picked},
                "--help": [exe, "--help"]}
    times = {label: [] for label in commands}
    for i in range(runs + 1):  # interleaved, so that a load which comes and goes hits all alike
        for label, cmd in commands.items():
            t = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=False)
            if i:
                times[label].append(time.perf_counter() - t)
    wall = {label: statistics.median(t) for label, t in times.items()}
    floor, help_, native_ = wall["floor"], wall["--help"], wall["native"]
    per_query = {q: wall["query", q] for q in picked}
    query = per_query[name]
    imports = {}
    for label, args in (("--help", ["--help"]), ("query", ["query", name, "--store", str(store)])):
        p = subprocess.run([sys.executable, "-X", "importtime", "-m", "llmkg", *args],
                           capture_output=True, text=True)
        mods = {line.split("|")[-1].strip() for line in p.stderr.splitlines()
                if line.startswith("import time:")}
        imports[label] = sorted(m for m in mods if m.split(".")[0] in HEAVY)
    return {"query": name, "floor_s": floor, "query_s": query, "help_s": help_, "native_s": native_,
            "per_query": per_query,
            "ratio": query / floor, "heavy_imports": imports}


def machine() -> dict:
    def sh(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, shell=True).stdout.strip()
        except OSError:
            return "?"
    import pyoxigraph
    return {"nproc": sh("nproc"), "mem": sh("free -h | awk '/Mem:/ {print $2}'"),
            "cpu": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip(),
            "python": platform.python_version(), "pyoxigraph": pyoxigraph.__version__,
            "date": time.strftime("%Y-%m-%d %H:%M %Z")}


def report(all_res: dict) -> str:
    out = []
    m = all_res["machine"]
    out.append(f"machine: {m['nproc']} cores ({m['cpu']}), {m['mem']} RAM, Python {m['python']}, "
               f"pyoxigraph {m['pyoxigraph']}, {m['date']}; median of {all_res['runs']} runs")
    sizes = all_res["sizes"]
    for r in sizes:
        n = r["entries"]
        out.append("")
        out.append(f"== {n} entries ({r['catalog_bytes'] / 1e6:.1f} MB markdown)")
        if "error" in r and "triples" not in r:
            out.append(f"   ERROR {r['error']}")
            continue
        out.append(f"   build total {fmt_s(r['build_seconds'])}, {r['triples']} quads, "
                   f"{r['triples_per_s']:,.0f} quads/s, peak RSS {r['build_rss_mb']:.0f} MB "
                   f"(largest worker {r.get('build_children_rss_mb', 0):.0f} MB)")
        md = r.get("md_parse", {}).get("seconds")
        for stage, s in r["stages"].items():
            base = ""
            if stage == "parse+extract" and md:
                base = f"   vs markdown-it parse {fmt_s(md)} (one process): {fmt_r(ratio(s, md))}"
            if stage in ("store", "map+store") and r.get("bulk_load", {}).get("seconds"):
                base = f"   vs bulk_load {fmt_s(r['bulk_load']['seconds'])}: " \
                       f"{fmt_r(ratio(s, r['bulk_load']['seconds']))}"
            if stage == "validate" and r.get("pyshacl", {}).get("seconds"):
                base = f"   vs plain pyshacl {fmt_s(r['pyshacl']['seconds'])}: " \
                       f"{fmt_r(ratio(s, r['pyshacl']['seconds']))}"
            out.append(f"   {stage:<10} {fmt_s(s):>10}{base}")
        bulk = r.get("bulk_load", {}).get("seconds")
        if md and bulk:
            floor = md + bulk
            out.append(f"   floor (markdown-it parse + bulk_load of the same N-Quads) {fmt_s(floor)}; "
                       f"build {fmt_s(r['build_seconds'])}: {fmt_r(ratio(r['build_seconds'], floor))}")
        for fmt in ("nquads", "turtle"):
            e = r.get(f"export_{fmt}", {})
            if "seconds" in e:
                out.append(f"   export {fmt:<7} {fmt_s(e['seconds']):>10}  "
                           f"{e['bytes'] / 1e6:.1f} MB, peak RSS {e['rss_mb']:.0f} MB")
            elif e:
                out.append(f"   export {fmt} ERROR {e.get('error')}")
        for key in ("md_parse", "bulk_load", "pyshacl", "rdflib"):
            if isinstance(r.get(key), dict) and "error" in r[key]:
                out.append(f"   {key} ERROR {r[key]['error']}")
        q = r.get("queries", {})
        if "queries" in q:
            rq = r.get("rdflib", {}).get("queries", {})
            if "load_seconds" in r.get("rdflib", {}):
                what = "data graph only" if r["rdflib"].get("data_only") else "all graphs"
                out.append(f"   rdflib Dataset load {fmt_s(r['rdflib']['load_seconds'])} "
                           f"({r['rdflib'].get('quads', '?')} quads, {what}), "
                           f"peak RSS {r['rdflib'].get('rss_mb', 0):.0f} MB")
            if "open_seconds" in q:
                out.append(f"   store opened once, first open {fmt_s(q['open_seconds'])} "
                           "(not in the query times below)")
            out.append(f"   {'query':<28}{'llmkg':>10}{'native':>10}{'ratio':>8}"
                       f"{'rdflib':>10}{'rdflib/llmkg':>14}  rows")
            for name, v in q["queries"].items():
                rd = rq.get(name, {})
                rdt = rd.get("rdflib")
                rd_text = fmt_s(rdt) if rdt is not None else (
                    f">{rd['timeout']} s" if rd.get("timeout") else "-")
                rd_ratio = ratio(rdt if rdt is not None else rd.get("timeout"), v["llmkg"])
                if v["rows"][0] != v["rows"][1]:
                    out.append(f"   {name}: llmkg returned {v['rows'][0]} rows, native {v['rows'][1]}")
                if rdt is not None and rd.get("rows") != v["rows"][0]:
                    # a baseline that answers something else measures nothing
                    rd_text, rd_ratio = f"{rd_text} ({rd.get('rows')} rows!)", None
                if rd.get("own_text"):
                    rd_text = f"{rd_text}*"
                out.append(f"   {name:<28}{fmt_s(v['llmkg']):>10}{fmt_s(v['native']):>10}"
                           f"{fmt_r(ratio(v['llmkg'], v['native'])):>8}{rd_text:>10}"
                           f"{(('>' if rdt is None and rd_ratio else '') + fmt_r(rd_ratio)):>14}"
                           f"  {v['rows'][0]}")
            if any(rd.get("own_text") for rd in rq.values()):
                out.append(f"   * rdflib ran {RDFLIB_TEXTS.relative_to(ROOT)}/NAME.rq, an equivalent "
                           "text it evaluates faster (same row count)")
        elif "error" in q:
            out.append(f"   queries ERROR {q['error']}")
    ok = [r for r in sizes if "build_seconds" in r]
    for a, b in zip(ok, ok[1:]):
        out.append(f"\nscaling {a['entries']} -> {b['entries']} entries: build time x"
                   f"{b['build_seconds'] / a['build_seconds']:.2f} for x"
                   f"{b['entries'] / a['entries']:.0f} entries")
    c = all_res.get("cold_cli")
    if c and "error" not in c:
        out.append("")
        for q, secs in c.get("per_query", {c["query"]: c["query_s"]}).items():
            out.append(f"cold `llmkg query {q}` {fmt_s(secs)} vs import floor "
                       f"{fmt_s(c['floor_s'])}: {fmt_r(secs / c['floor_s'])}")
        if "native_s" in c:
            out.append(f"floor + Store.read_only + the query natively {fmt_s(c['native_s'])}: "
                       f"{fmt_r(c['native_s'] / c['floor_s'])} of the floor")
        out.append(f"cold `llmkg --help` {fmt_s(c['help_s'])}: "
                   f"{fmt_r(c['help_s'] / c['floor_s'])} of the floor")
        for label, mods in c["heavy_imports"].items():
            out.append(f"heavy imports of `llmkg {label}`: {', '.join(mods) or 'none'}")
    elif c:
        out.append(f"\ncold CLI ERROR {c['error']}")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="llmkg benchmarks (see bench/README.md)")
    ap.add_argument("--sizes", default="1000,10000",
                    help="comma-separated entry counts (100000 takes minutes)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=900, help="seconds per measurement")
    ap.add_argument("--query-timeout", type=int, default=120,
                    help="at most this many seconds per rdflib query (it is given up on "
                         "after max(5 s, 11x llmkg's time)); a give-up counts as timed out")
    ap.add_argument("--queries", default="",
                    help="comma-separated saved queries to time (default: all)")
    ap.add_argument("--skip-rdflib", action="store_true")
    ap.add_argument("--rdflib-data-only", action="store_true",
                    help="load only the data graph into rdflib (where-from then finds nothing)")
    ap.add_argument("--skip-pyshacl", action="store_true")
    ap.add_argument("--skip-cli", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--work", type=Path, help="work directory (default: a temp dir)")
    ap.add_argument("--json", type=Path, help="also write the raw figures as JSON")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("args", nargs="?", help=argparse.SUPPRESS)
    opts = ap.parse_args(argv)
    if opts.queries:  # read by the query workers (_saved_queries)
        os.environ["LLMKG_BENCH_QUERIES"] = opts.queries
    if opts.worker:
        print(json.dumps(WORKERS[opts.worker](*json.loads(opts.args))))
        return 0
    work = opts.work or Path(tempfile.mkdtemp(prefix="llmkg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    res = {"machine": machine(), "runs": opts.runs,
           "command": "python bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv),
           "sizes": []}
    for n in (int(s) for s in opts.sizes.split(",") if s):
        res["sizes"].append(bench_size(n, opts.runs, work, opts))
        if "build_seconds" not in res["sizes"][-1]:
            # a failed build leaves nothing to time: say so and stop, with no figures for it
            error = res["sizes"][-1].get("error", "?").removeprefix("build: ")
            print(f"Error: the build of {n} entries failed: {error}. "
                  "No figures were taken for it; fix the build and run the bench again.", file=sys.stderr)
            if not opts.work and not opts.keep:
                shutil.rmtree(work, ignore_errors=True)
            return 1
    if not opts.skip_cli:
        res["cold_cli"] = cold_cli(max(opts.runs, 5), work)
    if opts.json:
        opts.json.write_text(json.dumps(res, indent=1), encoding="utf-8")
    print(report(res))
    if not opts.work and not opts.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
