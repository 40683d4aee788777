"""Commands over the catalog's history: history, diff.

No `from __future__ import annotations`: typer reads the annotations at start-up.
"""

from pathlib import Path
from typing import List, Optional

import typer

from llmkg.cli.app import StoreOption, app, choice


def _date(value: Optional[str], option: str) -> Optional[str]:
    import re

    from llmkg.errors import HistoryError

    if value is not None and not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        raise HistoryError(f"{option} needs a date (YYYY-MM-DD), got '{value[:40]}'")
    return value


@app.command()
def history(
    repo: Path = typer.Argument(..., help="The git repository that holds the catalog."),
    paths: List[str] = typer.Argument(..., help="The catalog's path(s) in the repository, e.g. "
                                                 "section/llm.md section/models_research.md: one catalog "
                                                 "under all its names, in commit-date order.",
                                      show_default=False),
    store: Optional[Path] = StoreOption,
    since: Optional[str] = typer.Option(None, "--since", help="Only versions committed on or after this day "
                                                              "(YYYY-MM-DD)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the summary line."),
) -> None:
    """Build one graph of every committed version of the catalog: the newest as `build` makes
    it, and when each fact was first and last stated (incremental: a re-run reads new versions only)."""
    from llmkg.cli.render import build_progress, history_summary
    from llmkg.history.timeline import build_history

    with build_progress(enabled=not quiet) as progress:
        report = build_history(repo, paths, store=store, since=_date(since, "--since"), progress=progress)
    typer.echo(history_summary(report, quiet=quiet))


@app.command()
def diff(
    old: Optional[str] = typer.Argument(None, help="The older side: a catalog file, an http(s) URL of one, "
                                                   "or a store directory.", show_default=False),
    new: Optional[str] = typer.Argument(None, help="The newer side (the same kinds).", show_default=False),
    store: Optional[Path] = StoreOption,
    since: Optional[str] = typer.Option(None, "--from", help="With a history store: the version in force on "
                                                             "this day (YYYY-MM-DD) or this commit."),
    until: Optional[str] = typer.Option(None, "--to", help="With a history store: the newer version "
                                                           "(default: the newest)."),
    format: str = typer.Option("text", "--format", "-f", click_type=choice("text", "json", "nquads"),
                               help="text (for people), json, or nquads (the added and the removed triples)."),
) -> None:
    """What changed between two catalogs, stores or versions, by entity, with the catalog
    line in each. Exit 0: nothing changed, 1: something did, 2: trouble (as diff(1))."""
    from llmkg.history.diff import compare

    result = compare(old, new, store=store, since=since, until=until)
    typer.echo(result.render(format.lower()), nl=False)
    raise typer.Exit(1 if result.changed else 0)
