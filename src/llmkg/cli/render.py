"""Terminal rendering for the CLI: build summaries and progress.

Kept apart from the library so that only the CLI knows about terminals.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

from llmkg import vocab as V

def short(iri: str) -> str:
    """'https://w3id.org/llmkg/ontology#Model' -> 'llmkg:Model' (the tables' prefixes)."""
    from llmkg.query.results import compact

    return compact(iri)


# What each build stage counts, for its bar
_UNITS = {"read": "catalogs", "parse+extract": "chunks", "map+store": "entities", "validate": "checks",
          "extract": "units", "resolve+map": "versions"}  # the last two: llmkg history


@contextlib.contextmanager
def build_progress(enabled: bool = True):
    """A build's progress on stderr, one stage at a time: on a terminal a bar
    for the running stage (its count only grows), replaced by the stage's
    time once the next stage starts; elsewhere just those time lines. An
    interrupted stage leaves no line."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    console = Console(stderr=True, highlight=False)
    now: dict = {"stage": None}
    with Progress("  [progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True,
                  disable=not (enabled and console.is_terminal)) as bar:

        def finish() -> None:
            if now["stage"] is not None:
                bar.remove_task(now["task"])
                seconds = (now["ended"] or time.perf_counter()) - now["started"]
                console.print(f"  {now['stage']:<14} {seconds:7.2f} s")
                now["stage"] = None

        def progress(stage: str, done: int, total: int) -> None:
            if not enabled:
                return
            if stage != now["stage"]:
                finish()
                now.update(stage=stage, started=time.perf_counter(), done=0, ended=None,
                           task=bar.add_task(f"{stage:<14} {_UNITS.get(stage, ''):<8}", total=total or None))
            now["done"] = max(done, now["done"])  # a count never goes back
            if total and done >= total:  # the stage's last word is its end
                now["ended"] = time.perf_counter()
            bar.update(now["task"], completed=now["done"], total=total or None)

        yield progress
        finish()


def _catalog_names(catalog: str) -> tuple[str, str]:
    """A catalog's file name (what problems name) and how to show it: a URL as given."""
    from llmkg.ingest.fetch import file_name, is_url
    from llmkg.paths import display_path

    if is_url(catalog):
        return file_name(catalog), catalog
    return Path(catalog).name, display_path(catalog)


def _catalogs_shown(paths: dict[str, str], catalogs: list[str]) -> str:
    """'data/llm-landscape.md (bundled)' for the catalog llmkg ships, else its path."""
    from llmkg.paths import shipped_name

    return ", ".join(shown + (" (bundled)" if shipped_name(c) == shown else "")
                     for shown, c in zip(paths.values(), catalogs))


def build_summary(report, *, quiet: bool = False) -> str:
    lines = []
    paths = dict(map(_catalog_names, report.catalogs))
    if not quiet:
        lines.append(f"Built {report.store} from {_catalogs_shown(paths, report.catalogs)}")
        if report.repaired_lines:
            lines.append(f"  repaired mojibake on {report.repaired_lines} lines")
        lines.append("Classes:")
        lines += [f"  {n:6d}  {short(c)}" for c, n in report.class_counts.items()]
        lines.append("Properties:")
        lines += [f"  {n:6d}  {short(p)}" for p, n in report.property_counts.items()]
        if report.problems:
            lines.append(f"Entries not understood ({len(report.skipped)} skipped, "
                         f"{len(report.partial)} read in part):")
            lines += [f"  {paths.get(p.file, p.file)}:{p.line}: {p.reason}: {p.text[:70]}"
                      for p in report.problems]
        lines.append("Stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in report.stage_seconds.items()))
    models = report.class_counts.get(V.LLMKG + "Model", 0)
    summary = (f"{report.quads} quads: {models} models, "
               f"{report.class_counts.get(V.LLMKG + 'Organization', 0)} organizations, "
               f"{report.class_counts.get(V.LLMKG + 'Paper', 0)} papers, "
               f"{report.class_counts.get(V.LLMKG + 'Architecture', 0)} architectures; "
               f"{len(report.problems)} entries not fully understood, {report.resources} resources skipped")
    if report.validation is not None:
        summary += f"; validation: {report.validation.summary()}"
    else:
        summary += "; not validated"
    lines.append(summary)
    return "\n".join(lines)


def history_summary(report, *, quiet: bool = False) -> str:
    versions = report.versions
    first, last = versions[0], versions[-1]
    paths = ", ".join(dict.fromkeys(v.path for v in versions))
    lines = []
    if not quiet:
        lines.append(f"Read {len(versions)} versions of {paths} ({first.date} .. {last.date}): "
                     f"{report.read} from git, {len(versions) - report.read} from the cache; "
                     f"{report.units_extracted} units extracted, {report.units_reused} reused")
        counts = report.newest.class_counts
        lines.append(f"Newest: {last.path} at {last.date} ({last.commit[:7]}): "
                     f"{counts.get(V.LLMKG + 'Model', 0)} models, "
                     f"{counts.get(V.LLMKG + 'Organization', 0)} organizations, "
                     f"{counts.get(V.LLMKG + 'Paper', 0)} papers, "
                     f"{counts.get(V.LLMKG + 'Architecture', 0)} architectures; "
                     f"{len(report.newest.problems)} entries not fully understood")
        lines.append("Stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in report.stage_seconds.items()))
    lines.append(f"{report.quads} quads in {report.store}: {len(versions)} versions, "
                 f"{report.facts} facts in {report.intervals} intervals")
    return "\n".join(lines)


def violations(validation) -> str:
    """The violations of a validation report as `llmkg validate` shows them (no warnings or infos)."""
    from llmkg.validation.report import ValidationReport

    return ValidationReport([r for r in validation.results if r.severity == "Violation"]).render("text").rstrip()


@contextlib.contextmanager
def load_progress():
    """A progress bar over triples sent (rich, which typer already depends on)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task("uploading triples", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield progress


def terminal_width() -> int | None:
    """The width a table should fit: the terminal's, or $COLUMNS; None (no limit) in a pipe."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if not sys.stdout.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns


def query_output(result, fmt: str | None) -> None:
    """Write a query's result on stdout: text, or RDF bytes as they are."""
    from llmkg.query.results import render

    out = render(result, fmt.lower() if fmt else None, width=terminal_width())
    if isinstance(out, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(out)
        sys.stdout.flush()
    else:
        sys.stdout.write(out)


def unmatched_notes(result, *, store=None) -> list[str]:
    """One line on stderr per name parameter that names nothing, with close names when the
    embedded store is at hand (`store` None and no endpoint means the default store)."""
    notes = []
    for param, value in result.unmatched:
        note = f"note: no entity is named '{value}' (parameter {param})"
        if store is not False:
            from llmkg.query.saved import suggest_names

            close = suggest_names(store, value)
            if close:
                note += "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
        notes.append(note)
    return notes
