"""Benchmark of `llmkg history` against building the versions one by one.

Makes a synthetic history: a catalog of the bundled catalog's size
(bench/gen_catalog.py, ~45 KB) in sections of 10-30 entries (the bundled
catalog has 10 headings in 317 lines; `--section-entries 150,600`, the
generator's default, makes it one section), then 64 more versions, each
changing a few percent of its entry lines (an edited date, size or
description, an entry added, an entry removed), committed one a day into a
temporary git repository. Two kinds of change:

- clustered: each version's changes fall in one run of neighbouring entries
  (as the real page's commits do: a model added, a date corrected);
- scattered: each version's changes fall anywhere (the worst case for the
  cache: most heading sections change in every version).

For each it times, in one process:

- baseline: `llmkg.build.build()` of every version one by one (no
  validation, as history does none), the same store replaced each time;
- history: `build_history()` of all versions into a fresh store;
- re-run: one more commit, then `build_history()` again into that store
  (in process, and as the `llmkg history` command a user runs: a fresh
  interpreter, wall time);

and prints the figures and the ratios baseline / history. Nothing is
asserted. Usage:

    python bench/history.py [--versions 65] [--entries 180] [--percent 3] [--section-entries 10,30]
                            [--kinds clustered,scattered] [--seed 0] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_catalog import generate  # noqa: E402

PATH = "section/llm.md"
_ENTRY = re.compile(r"^\s+1\. \[")
_DATE = re.compile(r"\[(\d{1,2}) ([A-Z][a-z]{2}) (20\d\d)\]")
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _edit(line: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.4 and _DATE.search(line):  # a corrected date
        return _DATE.sub(lambda m: f"[{rng.randint(1, 28)} {rng.choice(MONTHS)} {m.group(3)}]", line, count=1)
    if roll < 0.7:  # another size
        return line.replace(": ", f": {rng.choice([1, 3, 7, 8, 13, 70])}B parameters, ", 1)
    return line.replace(": ", ": updated: ", 1)


def next_version(text: str, number: int, percent: float, clustered: bool, rng: random.Random) -> str:
    """`text` with `percent` % of its entry lines changed (edited, added after, removed)."""
    lines = text.split("\n")
    entries = [i for i, line in enumerate(lines) if _ENTRY.match(line)]
    count = max(2, round(len(entries) * percent / 100))
    if clustered:
        start = rng.randrange(max(1, len(entries) - count))
        chosen = entries[start:start + count]
    else:
        chosen = sorted(rng.sample(entries, count))
    removed, added = set(), {}
    for k, i in enumerate(chosen):
        roll = rng.random()
        if roll < 0.7:
            lines[i] = _edit(lines[i], rng)
        elif roll < 0.9:
            name = f"Benchmark-{number}-{k}"
            added[i] = (f"  1. [{name}](https://example.org/{name.lower()}): a benchmark model. "
                        f"{rng.choice([2, 7, 9, 32])}B. [{rng.randint(1, 28)} {rng.choice(MONTHS)} 2025]")
        else:
            removed.add(i)
    out = []
    for i, line in enumerate(lines):
        if i not in removed:
            out.append(line)
        if i in added:
            out.append(added[i])
    return "\n".join(out)


def git(repo: Path, *args: str, day: int | None = None) -> None:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_SYSTEM=os.devnull)
    if day is not None:
        import datetime

        stamp = f"{datetime.date(2025, 1, 1) + datetime.timedelta(days=day)}T12:00:00+00:00"
        env.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=b@example.org", *args],
                   check=True, capture_output=True, env=env)


def make_history(folder: Path, versions: int, entries: int, percent: float, clustered: bool,
                 seed: int, section_entries: tuple[int, int]) -> tuple[Path, list[Path]]:
    rng = random.Random(seed)
    repo = folder / "repo"
    (repo / "section").mkdir(parents=True)
    git(repo, "init", "-q")
    text = generate(entries, seed=seed, section_entries=section_entries)
    files = []
    for number in range(versions):
        if number:
            text = next_version(text, number, percent, clustered, rng)
        (repo / PATH).write_text(text, encoding="utf-8")
        copy = folder / "versions" / f"{number:03d}" / "llm.md"
        copy.parent.mkdir(parents=True)
        copy.write_text(text, encoding="utf-8")
        files.append(copy)
        git(repo, "add", PATH)
        git(repo, "commit", "-q", "-m", f"version {number}", day=number)
    return repo, files


def measure(kind: str, args) -> dict:
    from llmkg.build import build
    from llmkg.history.timeline import build_history

    clustered = kind == "clustered"
    with tempfile.TemporaryDirectory(prefix="llmkg-bench-history-") as tmp:
        folder = Path(tmp)
        sections = tuple(int(n) for n in args.section_entries.split(","))
        repo, files = make_history(folder, args.versions, args.entries, args.percent, clustered, args.seed,
                                   sections)
        lines = [f.read_text(encoding="utf-8").count("\n") + 1 for f in files]
        started = time.perf_counter()
        for path in files:
            build([path], store=folder / "one-by-one", validate=False)
        baseline = time.perf_counter() - started

        started = time.perf_counter()
        report = build_history(repo, [PATH], store=folder / "history")
        history = time.perf_counter() - started

        text = next_version(files[-1].read_text(encoding="utf-8"), args.versions, args.percent, clustered,
                            random.Random(args.seed + 1))
        (repo / PATH).write_text(text, encoding="utf-8")
        git(repo, "commit", "-q", "-am", "one more", day=args.versions)
        started = time.perf_counter()
        rerun = build_history(repo, [PATH], store=folder / "history")
        rerun_seconds = time.perf_counter() - started
        (repo / PATH).write_text(next_version(text, args.versions + 1, args.percent, clustered,
                                              random.Random(args.seed + 2)), encoding="utf-8")
        git(repo, "commit", "-q", "-am", "and one more", day=args.versions + 1)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "llmkg", "history", str(repo), PATH, "--store",
                        str(folder / "history"), "-q"], check=True, capture_output=True)
        cli_seconds = time.perf_counter() - started
        return {"kind": kind, "versions": len(report.versions), "lines": [min(lines), max(lines)],
                "bytes": files[-1].stat().st_size, "baseline_s": baseline, "history_s": history,
                "history_stages": report.stage_seconds, "units_extracted": report.units_extracted,
                "units_reused": report.units_reused, "facts": report.facts, "intervals": report.intervals,
                "quads": report.quads, "rerun_s": rerun_seconds, "rerun_read": rerun.read,
                "rerun_units_extracted": rerun.units_extracted, "rerun_cli_s": cli_seconds,
                "ratio_history": baseline / history, "ratio_rerun": baseline / len(files) / rerun_seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--versions", type=int, default=65)
    parser.add_argument("--entries", type=int, default=180, help="entries of the first version (180: ~45 KB)")
    parser.add_argument("--percent", type=float, default=3.0, help="entry lines changed per version")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--section-entries", default="10,30", help="smallest,largest entries of a section")
    parser.add_argument("--kinds", default="clustered,scattered")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results = []
    for kind in args.kinds.split(","):
        r = measure(kind, args)
        results.append(r)
        print(f"{kind}: {r['versions']} versions of {r['lines'][0]}-{r['lines'][1]} lines "
              f"({r['bytes'] / 1000:.0f} KB, sections of {args.section_entries} entries), "
              f"{args.percent:g}% of entry lines changed per version")
        print(f"  one by one (build x{r['versions']}, no validation): {r['baseline_s']:6.2f} s")
        print(f"  history, all versions:                  {r['history_s']:6.2f} s   x{r['ratio_history']:.2f} faster"
              f"  ({', '.join(f'{k} {v:.2f}' for k, v in r['history_stages'].items())}; "
              f"{r['units_extracted']} units extracted, {r['units_reused']} reused)")
        print(f"  re-run after one new commit:            {r['rerun_s']:6.2f} s   "
              f"(one build: {r['baseline_s'] / r['versions']:.2f} s, x{r['ratio_rerun']:.2f}); "
              f"{r['rerun_read']} version read, {r['rerun_units_extracted']} units extracted")
        print(f"  re-run as `llmkg history -q` (wall):    {r['rerun_cli_s']:6.2f} s")
        print(f"  store: {r['quads']} quads, {r['facts']} facts in {r['intervals']} intervals")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
