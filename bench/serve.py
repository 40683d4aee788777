"""Load and speed of `llmkg serve` against `oxigraph serve` on the same data, in one run.

    python bench/serve.py                        # the bundled catalog, as in RESULTS.md
    python bench/serve.py --entries 10000        # a synthetic catalog (bench/gen_catalog.py)
    python bench/serve.py --requests 2000 --soak 10000 --json out.json

Builds a store, loads the same quads into an Oxigraph server (`oxigraph serve
--union-default-graph`, PyPI `oxigraph`), starts both on 127.0.0.1 with free
ports, and for three saved queries and one entity page measures requests per
second and p50/p99 latency at 1 and 8 concurrent clients (an httpx asyncio
client in this process, keep-alive, the same for both servers). llmkg answers
/queries/NAME?param=...; Oxigraph gets the same query text with the
parameters bound (bindings.bind_values) at /query. The entity page has no
Oxigraph page: its reference row is `DESCRIBE <iri>` there. Every response
must be 200 with the expected row count (counted as errors otherwise). Then
`--soak` requests (mixed, 8 clients) against llmkg while its RSS is read from
/proc every 1,000 requests: memory is flat if the last reading is within 10%
of the one after the first 1,000. Then the runaway load: the latency of a
cheap query (`ASK {}`) idle and while 8 runaway queries (a four-way cross
product, days of work) are in flight, as a ratio, and when each runaway was
answered against the time limit. Prints a table; asserts nothing. Both
servers are stopped by PID.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))  # servers.py: start on a free port, stop by PID

JSON = "application/sparql-results+json"
# (label, saved query, parameters): three saved queries of different weights
SAVED = [("models-per-organization", "models-per-organization", {}),
         ("lineage model=Code Llama", "lineage", {"model": "Code Llama"}),
         ("where-from entity=Llama 2", "where-from", {"entity": "Llama 2"})]
ENTITY = "model/llama2"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def load(requests: list[tuple[str, dict, int | None]], clients: int, *, on_progress=None) -> dict:
    """Send `requests` (url, headers, expected rows or None) from `clients`
    concurrent keep-alive connections; latency of each, errors counted."""
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    queue = iter(enumerate(requests))
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=clients, max_keepalive_connections=clients),
                                 timeout=60, trust_env=False) as client:
        async def worker() -> None:
            for i, (url, headers, expected) in queue:
                started = time.perf_counter()
                try:
                    response = await client.get(url, headers=headers)
                    body = response.content
                except httpx.HTTPError as exc:
                    errors.append(f"{url}: {exc!r}")
                    continue
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors.append(f"{url}: HTTP {response.status_code}")
                elif expected is not None and len(json.loads(body)["results"]["bindings"]) != expected:
                    errors.append(f"{url}: row count")
                if on_progress and (i + 1) % 1000 == 0:
                    on_progress(i + 1)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {"requests": len(requests), "seconds": elapsed, "rps": len(requests) / elapsed,
            "p50_ms": 1000 * latencies[len(latencies) // 2] if latencies else None,
            "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else None,
            "errors": len(errors), "first_errors": errors[:3]}


def build_store(work: Path, entries: int | None) -> tuple[Path, str | None]:
    """The store, and the synthetic catalog's text (None for the bundled catalog)."""
    from llmkg.build import build, bundled_catalog

    catalog, text = bundled_catalog(), None
    if entries:
        from gen_catalog import generate

        catalog, text = work / f"catalog-{entries}.md", generate(entries, seed=0)
        catalog.write_text(text, encoding="utf-8")
    store = work / "store"
    build([catalog], store=store, validate=False)
    return store, text


def workloads(store: Path, llmkg_url: str, oxigraph_url: str, synthetic: str | None) -> list[dict]:
    """Each workload: its llmkg request, its Oxigraph request, the expected row count."""
    from urllib.parse import urlencode

    from llmkg.query.saved import bound_text, load_saved, run
    from llmkg.store import open_store

    db = open_store(store)
    saved = list(SAVED)
    if synthetic:  # other names: a model with ancestors and descendants, as bench/run.py picks it
        from run import synthetic_values

        params = synthetic_values(synthetic)
        saved = [("models-per-organization", "models-per-organization", {}),
                 ("lineage (a synthetic model)", "lineage", {"model": params["model"]}),
                 ("where-from (a synthetic model)", "where-from", {"entity": params["model"]})]
    out = []
    for label, name, params in saved:
        query = load_saved(name)
        rows = len(run(query, store=db, params=params).rows)
        out.append({"what": label, "rows": rows,
                    "llmkg": f"{llmkg_url}/queries/{name}?{urlencode(params)}",
                    "oxigraph": f"{oxigraph_url}/query?{urlencode({'query': bound_text(query, params)})}"})
    iri = f"https://w3id.org/llmkg/id/{ENTITY}"
    if synthetic:
        iri = next(iter(db.query("SELECT ?m WHERE { ?m a <https://w3id.org/llmkg/ontology#Model> } LIMIT 1",
                                 use_default_graph_as_union=True)))[0].value
    out.append({"what": f"entity page /id/{iri.split('/id/')[1]} (HTML)", "rows": None, "html": True,
                "llmkg": f"{llmkg_url}/id/{iri.split('/id/')[1]}",
                "oxigraph": f"{oxigraph_url}/query?{urlencode({'query': f'DESCRIBE <{iri}>'})}"})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=None, help="synthetic catalog of N entries (default: bundled)")
    parser.add_argument("--requests", type=int, default=2000, help="requests per measurement")
    parser.add_argument("--soak", type=int, default=10_000, help="requests of the memory soak (0: skip)")
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--runaway", type=int, default=8, help="runaway queries in flight (0: skip)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    beside = Path(sys.executable).parent / "oxigraph"  # the venv's, as tests/servers.py prefers
    oxigraph_bin = str(beside) if beside.exists() else (shutil.which("oxigraph") or str(beside))
    if not Path(oxigraph_bin).exists():
        raise SystemExit("the Oxigraph server is not installed (pip install oxigraph)")
    clients = [int(c) for c in args.clients.split(",")]
    with tempfile.TemporaryDirectory(prefix="llmkg-bench-serve-") as tmp:
        work = Path(tmp)
        store, synthetic = build_store(work, args.entries)
        from llmkg.publish.export import export

        export(store=store, format="nquads", output=work / "data.nq")
        subprocess.run([oxigraph_bin, "load", "--location", str(work / "data"), "--file", str(work / "data.nq")],
                       check=True, capture_output=True)
        from servers import running_llmkg, running_oxigraph

        with running_oxigraph(work) as oxigraph, running_llmkg(store, work) as llmkg:
            oxi_url = oxigraph.query_url.removesuffix("/query")
            report = measure(workloads(store, llmkg.url, oxi_url, synthetic), clients, args.requests)
            if args.soak:
                report["soak"] = soak(workloads(store, llmkg.url, oxi_url, synthetic), llmkg.pid, args.soak)
        if args.runaway:
            with running_llmkg(store, work, "--timeout", str(RUNAWAY_TIMEOUT)) as llmkg:
                report["runaway"] = asyncio.run(runaway(llmkg.url, args.runaway))
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


def measure(work: list[dict], clients: list[int], n: int) -> dict:
    rows = []
    for item in work:
        headers = {"llmkg": {"Accept": "text/html" if item.get("html") else JSON},
                   "oxigraph": {"Accept": "text/turtle" if item.get("html") else JSON}}
        for c in clients:
            entry = {"what": item["what"], "clients": c}
            for server in ("llmkg", "oxigraph"):
                asyncio.run(load([(item[server], headers[server], item["rows"])] * 20, c))  # warm-up
            # the two servers in turns, half the requests each time: a change of the
            # machine's load during a cell weighs on both
            halves = {"llmkg": [], "oxigraph": []}
            for _ in range(2):
                for server in halves:
                    requests = [(item[server], headers[server], item["rows"])] * (n // 2)
                    halves[server].append(asyncio.run(load(requests, c)))
            for server, (a, b) in halves.items():
                entry[server] = merged(a, b)
            rows.append(entry)
            print(f"  {item['what']:<40} {c} client(s): llmkg {entry['llmkg']['rps']:7.0f} req/s, "
                  f"oxigraph {entry['oxigraph']['rps']:7.0f} req/s", file=sys.stderr)
    return {"rows": rows, "requests": n}


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
RUNAWAY_TIMEOUT = 5  # the server's --timeout for the runaway measurement


async def runaway(url: str, n: int, cheap: int = 40) -> dict:
    """Cheap-query latency idle, then with `n` runaway queries in flight; when the runaways were answered."""
    import httpx

    def stats(latencies: list[float]) -> dict:
        ordered = sorted(latencies)
        return {"p50_ms": 1000 * ordered[len(ordered) // 2], "max_ms": 1000 * ordered[-1]}

    async with httpx.AsyncClient(timeout=120, trust_env=False) as client:
        async def ask() -> float:
            started = time.perf_counter()
            response = await client.get(url + "/sparql", params={"query": "ASK {}"}, headers={"Accept": JSON})
            assert response.status_code == 200, response.text
            return time.perf_counter() - started

        idle = [await ask() for _ in range(cheap)]

        async def run_away() -> tuple[int, float]:
            started = time.perf_counter()
            response = await client.get(url + "/sparql", params={"query": RUNAWAY})
            return response.status_code, time.perf_counter() - started

        runaways = [asyncio.create_task(run_away()) for _ in range(n)]
        await asyncio.sleep(0.5)
        loaded = []
        for _ in range(cheap):
            loaded.append(await ask())
            await asyncio.sleep(0.02)
        answered = await asyncio.gather(*runaways)
    return {"runaways": n, "timeout": RUNAWAY_TIMEOUT, "idle": stats(idle), "loaded": stats(loaded),
            "ratio_p50": stats(loaded)["p50_ms"] / stats(idle)["p50_ms"],
            "statuses": sorted({status for status, _ in answered}),
            "answered_after_s": [round(t, 2) for _, t in sorted(answered, key=lambda a: a[1])]}


def merged(a: dict, b: dict) -> dict:
    """Two measurements of the same cell as one: rates by total time, latency percentiles averaged."""
    seconds = a["requests"] / a["rps"] + b["requests"] / b["rps"]
    return {**a, "requests": a["requests"] + b["requests"], "rps": (a["requests"] + b["requests"]) / seconds,
            "p50_ms": (a["p50_ms"] + b["p50_ms"]) / 2, "p99_ms": (a["p99_ms"] + b["p99_ms"]) / 2,
            "errors": a["errors"] + b["errors"], "first_errors": a["first_errors"] + b["first_errors"]}


def soak(work: list[dict], pid: int, n: int) -> dict:
    requests = []
    for i in range(n):
        item = work[i % len(work)]
        requests.append((item["llmkg"], {"Accept": "text/html" if item.get("html") else JSON}, item["rows"]))
    readings = [(0, rss_mb(pid))]
    result = asyncio.run(load(requests, 8, on_progress=lambda done: readings.append((done, rss_mb(pid)))))
    readings.append((n, rss_mb(pid)))
    settled = readings[1][1] if len(readings) > 2 else readings[0][1]
    result.update(rss_mb=readings, growth_after_first_1000=(readings[-1][1] - settled) / settled)
    return result


def print_report(report: dict) -> None:
    print(f"\n{report['requests']} requests per cell; median latency p50, 99th percentile p99\n")
    print("| request | clients | llmkg req/s | p50 ms | p99 ms | errors | oxigraph req/s | p50 ms | p99 ms "
          "| errors | llmkg / oxigraph |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in report["rows"]:
        a, b = row["llmkg"], row["oxigraph"]
        print(f"| {row['what']} | {row['clients']} | {a['rps']:.0f} | {a['p50_ms']:.1f} | {a['p99_ms']:.1f} "
              f"| {a['errors']} | {b['rps']:.0f} | {b['p50_ms']:.1f} | {b['p99_ms']:.1f} | {b['errors']} "
              f"| {a['rps'] / b['rps']:.2f}x |")
    soak_ = report.get("soak")
    if soak_:
        readings = ", ".join(f"{mb:.0f}" for _, mb in soak_["rss_mb"])
        print(f"\nsoak: {soak_['requests']} mixed requests at 8 clients, {soak_['rps']:.0f} req/s, "
              f"{soak_['errors']} errors; llmkg RSS (MB) every 1,000: {readings}; "
              f"growth after the first 1,000: {100 * soak_['growth_after_first_1000']:+.1f}%")
    run = report.get("runaway")
    if run:
        print(f"\nrunaway load: `ASK {{}}` idle p50 {run['idle']['p50_ms']:.1f} ms (max {run['idle']['max_ms']:.1f}); "
              f"with {run['runaways']} runaway queries in flight p50 {run['loaded']['p50_ms']:.1f} ms "
              f"(max {run['loaded']['max_ms']:.1f}): {run['ratio_p50']:.1f}x idle. The runaways were answered "
              f"{run['statuses']} after {min(run['answered_after_s'])}-{max(run['answered_after_s'])} s "
              f"(--timeout {run['timeout']}).")
    for row in report["rows"]:
        for server in ("llmkg", "oxigraph"):
            if row[server]["first_errors"]:
                print(f"errors ({server}, {row['what']}): {row[server]['first_errors']}")


if __name__ == "__main__":
    main()
