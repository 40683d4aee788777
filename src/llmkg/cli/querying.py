"""Commands that ask the graph: queries, query.

No `from __future__ import annotations`: typer reads the annotations at start-up.
"""

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from llmkg.cli.app import StoreOption, app, choice, echo_err

QUERIES_HELP = "Folder of your own saved queries, searched before the shipped ones (also: $LLMKG_QUERIES)."
QueriesOption = typer.Option(None, "--queries", help=QUERIES_HELP, show_default=False)


@app.command("queries")
def list_queries(
    format: str = typer.Option("text", "--format", "-f", click_type=choice("text", "json"),
                               help="text for people, json for tools."),
    queries: Optional[List[Path]] = QueriesOption,
) -> None:
    """List the saved queries with their summaries and parameters."""
    from llmkg.query.saved import list_saved

    saved = list_saved(queries or ())
    if format == "json":
        import json

        typer.echo(json.dumps([q.as_dict() for q in saved], indent=1, ensure_ascii=False))
        return
    for q in saved:
        typer.echo(f"{q.name}: {q.summary}")
        for p in q.params:
            default = "required" if p.required else f"default {p.default}"
            typer.echo(f"    --param {p.name}=<{p.type}>  ({default}) {p.description}".rstrip())


@app.command()
def query(
    name: Optional[str] = typer.Argument(
        None, show_default=False,
        help="A saved query's name (list them with `llmkg queries`), a .rq file, or - to read "
             "the query from standard input."),
    execute: Optional[str] = typer.Option(None, "--execute", "-e", show_default=False,
                                          help="Run this SPARQL text instead of a saved query."),
    param: List[str] = typer.Option(None, "--param", "-p", help="key=value, repeatable.", show_default=False),
    format: Optional[str] = typer.Option(
        None, "--format", "-f", show_default=False,
        click_type=choice("table", "csv", "tsv", "json", "turtle", "ntriples", "jsonld"),
        help="SELECT and ASK: table (default), csv (plain values, for spreadsheets), tsv (SPARQL 1.1 "
             "TSV results: terms in N-Triples syntax) or json (SPARQL 1.1 JSON results). "
             "CONSTRUCT and DESCRIBE: turtle (default), ntriples or jsonld."),
    show: bool = typer.Option(False, "--show", help="Print the query's SPARQL (its header lists the "
                                                    "parameters) instead of running it."),
    queries: Optional[List[Path]] = QueriesOption,
    store: Optional[Path] = StoreOption,
    endpoint: Optional[str] = typer.Option(None, "--endpoint",
                                           help="Run on this SPARQL query endpoint instead of the store."),
    user: Optional[str] = typer.Option(None, "--user", help="User for the endpoint (password: $LLMKG_PASSWORD)."),
    allow_service: bool = typer.Option(False, "--allow-service",
                                       help="Let a query call remote SERVICEs (federated queries are refused)."),
    timeout: float = typer.Option(120, "--timeout", min=1,
                                  help="Seconds a query on --endpoint, or one calling a SERVICE, may take."),
) -> None:
    """Run a SPARQL query: a saved one, a .rq file, -e TEXT or standard input.

    SELECT prints rows, ASK true or false, CONSTRUCT and DESCRIBE RDF.
    Parameters are bound as RDF terms, never pasted into the text.
    """
    from llmkg.errors import QueryError
    from llmkg.query.saved import inline_query, load_saved, read_stdin_query, run

    if (name is None) == (execute is None):
        raise QueryError("give a query name, a .rq file, - or -e TEXT (one of them)",
                         hint="list the saved queries with `llmkg queries`")
    if execute is not None:
        saved = inline_query(execute)
    elif name == "-":
        saved = read_stdin_query(sys.stdin.buffer)
    else:
        saved = load_saved(name, queries=queries or ())
    if show:
        if saved.path is not None:
            echo_err(f"# {saved.path}")
        typer.echo(saved.text, nl=not saved.text.endswith("\n"))
        return
    values = parse_params(param)
    password = os.environ.get("LLMKG_PASSWORD") if user else None
    result = run(saved, store=store, endpoint=endpoint, params=values, user=user, password=password,
                 allow_service=allow_service, timeout=timeout)
    from llmkg.cli.render import query_output, unmatched_notes

    query_output(result, format)
    for note in unmatched_notes(result, store=False if endpoint else store):
        echo_err(note)


def parse_params(items: list[str] | None) -> dict[str, str]:
    """`--param key=value` options as a dict (query and plot take them)."""
    from llmkg.errors import QueryError

    values = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise QueryError(f"bad --param '{item}'", hint="write --param key=value")
        values[key.strip()] = value
    return values
