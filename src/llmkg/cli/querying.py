"""Commands that ask the graph: queries, query.

No `from __future__ import annotations`: typer reads the annotations at start-up.
"""

import os
from pathlib import Path
from typing import Optional

import typer

from llmkg.cli.app import StoreOption, app


@app.command("queries")
def list_queries() -> None:
    """List the saved queries with their summaries and parameters."""
    from llmkg.query.saved import list_saved

    for q in list_saved():
        typer.echo(f"{q.name}: {q.summary}")
        for p in q.params:
            default = "required" if p.required else f"default {p.default}"
            typer.echo(f"    --param {p.name}=<{p.type}>  ({default}) {p.description}".rstrip())


@app.command()
def query(
    name: str = typer.Argument(..., help="Saved query name (see `llmkg queries`) or a .rq file."),
    param: list[str] = typer.Option(None, "--param", "-p", help="key=value, repeatable.", show_default=False),
    format: str = typer.Option("table", "--format", "-f", help="table, csv, tsv or json."),
    store: Optional[Path] = StoreOption,
    endpoint: Optional[str] = typer.Option(None, "--endpoint",
                                           help="Run on this SPARQL query endpoint instead of the store."),
    user: Optional[str] = typer.Option(None, "--user", help="User for the endpoint (password: $LLMKG_PASSWORD)."),
) -> None:
    """Run a saved SPARQL query; parameters are bound as RDF terms."""
    from llmkg.errors import QueryError
    from llmkg.query.saved import OUTPUT_FORMATS, render, run

    if format not in OUTPUT_FORMATS:
        raise QueryError(f"unknown output format '{format}'", hint=f"use one of: {', '.join(OUTPUT_FORMATS)}")
    values = parse_params(param)
    password = os.environ.get("LLMKG_PASSWORD") if user else None
    result = run(name, store=store, endpoint=endpoint, params=values, user=user, password=password)
    typer.echo(render(result, format), nl=False)


def parse_params(items: list[str] | None) -> dict[str, str]:
    """`--param key=value` options as a dict."""
    from llmkg.errors import QueryError

    values = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise QueryError(f"bad --param '{item}'", hint="write --param key=value")
        values[key.strip()] = value
    return values
