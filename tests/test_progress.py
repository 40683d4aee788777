"""The build's progress is honest, and Ctrl-C stops it at once.

- every stage reports its own count, which starts at 0, only grows, and ends
  at a total that never changes once known;
- on a terminal (a real pty, read back through a VT100 screen) one bar at a
  time, replaced by the stage's time: no stale bar is left on the screen;
- SIGINT while worker processes parse: "interrupted, the previous store is
  unchanged", exit 130, no worker left, the previous store as it was, and far
  sooner than the workers would have taken to finish their chunks.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from processes import alive, children, generated_catalog, run_in_a_terminal

STAGES = ["read", "parse+extract", "resolve", "map+store", "validate"]


def test_every_stage_counts_up_to_a_fixed_total(tmp_path, monkeypatch):
    from llmkg import build as build_module

    monkeypatch.setattr(build_module, "LINES_PER_CHUNK", 60)  # several chunks, in worker processes
    catalogs = [ROOT / "data" / "llm-landscape.md", ROOT / "tests" / "cases" / "org-groups" / "catalog.md"]
    events: list[tuple[str, int, int]] = []
    build_module.build(catalogs, store=tmp_path / "s", progress=lambda *e: events.append(e))
    order = [stage for i, (stage, _, _) in enumerate(events) if i == 0 or events[i - 1][0] != stage]
    assert order == STAGES  # each stage once, one after the other
    for stage in STAGES:
        mine = [(done, total) for s, done, total in events if s == stage]
        assert mine[0][0] == 0
        assert all(a[0] <= b[0] for a, b in zip(mine, mine[1:])), (stage, mine)  # never back
        totals = {total for _, total in mine if total}
        assert len(totals) == 1, (stage, mine)  # 0 while unknown, then fixed
        assert mine[-1][0] == mine[-1][1] == totals.pop()
    from llmkg.ingest.parse import read_text, split_text

    per_catalog = [len(split_text(read_text(c)[0], path=c, lines_per_chunk=60)) for c in catalogs]
    chunks = [total for s, _, total in events if s == "parse+extract"][-1]
    assert chunks == sum(per_catalog) and min(per_catalog) >= 1 and max(per_catalog) > 1
    # both catalogs' chunks in one count (it used to restart at 0 for each catalog)
    assert [t for s, _, t in events if s == "read"][-1] == 2
    assert [t for s, _, t in events if s == "validate"][-1] > 10  # the SHACL checks


def test_the_bar_on_a_terminal_never_goes_back_and_leaves_no_stale_line(tmp_path):
    import pyte

    catalog = generated_catalog(tmp_path / "synthetic.md", 3000)
    code, raw = run_in_a_terminal(["build", str(catalog), "--store", str(tmp_path / "s")], cwd=tmp_path)
    assert code in (0, 1), raw.decode(errors="replace")[-2000:]
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "\n", raw.decode(errors="replace"))
    seen: dict[str, list[tuple[int, int]]] = {}
    for stage, done, total in re.findall(r"(read|parse\+extract|map\+store|validate)\s+\w+\s+[━╺╸ ]+\s*(\d+)/(\d+)",
                                         text):
        seen.setdefault(stage, []).append((int(done), int(total)))
    assert "map+store" in seen and "parse+extract" in seen, text[-3000:]
    for stage, counts in seen.items():
        assert all(a[0] <= b[0] for a, b in zip(counts, counts[1:])), (stage, counts)
        assert len({total for _, total in counts}) == 1, (stage, counts)
    screen = pyte.Screen(110, 300)  # as tall as the pty: nothing scrolls away
    pyte.ByteStream(screen).feed(raw.replace(b"\n", b"\r\n"))
    lines = [line.rstrip() for line in screen.display if line.strip()]
    assert not any("━" in line for line in lines), "\n".join(lines)  # no bar left behind
    timed = [line.split()[0] for line in lines if re.fullmatch(r"  \S+\s+\d+\.\d\d s", line)]
    assert timed == STAGES, "\n".join(lines)


def test_ctrl_c_while_workers_parse_stops_at_once_and_keeps_the_store(tmp_path, cli):
    from llmkg.ingest.extract import extract_chunk
    from llmkg.ingest.parse import read_text, split_text

    store = tmp_path / "store"
    first = cli("build", "--store", store, "-q")
    assert first.returncode == 0, first.stderr
    before = {p.relative_to(store): p.read_bytes() for p in store.rglob("*") if p.is_file()}
    catalog = generated_catalog(tmp_path / f"big-{os.getpid()}.md", 8000)
    chunks = split_text(read_text(catalog)[0], path=catalog)
    assert len(chunks) >= 3
    started = time.perf_counter()
    extract_chunk(chunks[0])
    one_chunk = time.perf_counter() - started  # what a worker needs to finish a chunk

    proc = subprocess.Popen([sys.executable, "-m", "llmkg", "build", str(catalog), "--store", str(store)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            env=dict(os.environ), start_new_session=True)
    stderr = ""
    while "read" not in stderr:  # the read stage's line: parsing has begun
        line = proc.stderr.readline()
        assert line, "the build ended before parsing"
        stderr += line
    time.sleep(min(0.3, one_chunk / 4))
    workers = children(proc.pid)
    assert len(workers) >= 2, "the chunks are parsed by worker processes"
    sent = time.perf_counter()
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
    out, err = proc.communicate(timeout=120)
    latency = time.perf_counter() - sent
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "interrupted, the previous store is unchanged"
    assert latency < one_chunk / 2, (latency, one_chunk)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists() and alive(pid)], "workers left"
    after = {p.relative_to(store): p.read_bytes() for p in store.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if ".building-" in p.name]
    print(f"Ctrl-C to exit: {latency:.2f} s; one chunk takes {one_chunk:.2f} s")
