"""The `llmkg` command: parse options, call one library function, render.

Exit codes: 0 ok, 1 validation found violations (or a load did not verify),
2 bad input or usage. Library errors (llmkg.errors.LlmkgError) are printed
once, here, as one line.

No `from __future__ import annotations` here: typer would have to evaluate
every annotation string again at start-up.
"""

import copy
import os
import sys
from pathlib import Path
from typing import Optional

import typer

from llmkg.errors import LlmkgError

app = typer.Typer(
    name="llmkg",
    help="Turn the LLM-landscape markdown catalog into a knowledge graph: build, validate, "
         "reason, query, export and load it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

STORE_HELP = "Store directory (default: $LLMKG_STORE or .llmkg/store)."
StoreOption = typer.Option(None, "--store", help=STORE_HELP, show_default=False)


def _err(text: str) -> None:
    typer.echo(text, err=True)


@app.command()
def build(
    catalogs: list[Path] = typer.Argument(None, help="Catalog markdown files (default: the bundled catalog).",
                                          show_default=False),
    store: Optional[Path] = StoreOption,
    validate: bool = typer.Option(True, "--validate/--no-validate", help="Validate with SHACL before the new store replaces the old."),
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 2) if any entry was skipped or read in part."),
    engine: str = typer.Option("sparql", "--engine",
                               help="SHACL engine: sparql (shapes compiled to SPARQL on Oxigraph) or pyshacl."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the summary line."),
) -> None:
    """Build the store from catalogs: parse, extract, resolve, map, validate, store."""
    from llmkg.build import build as run_build
    from llmkg.render import build_progress, build_summary

    with build_progress(enabled=not quiet) as progress:
        report = run_build(catalogs or [], store=store, validate=validate, strict=strict,
                           engine=engine, progress=progress)
    typer.echo(build_summary(report, quiet=quiet))
    if report.validation is not None and not report.validation.conforms:
        raise typer.Exit(1)


@app.command()
def validate(
    store: Optional[Path] = StoreOption,
    format: str = typer.Option("text", "--format", "-f", help="Report format: text, turtle or json."),
    fail_on: str = typer.Option("violation", "--fail-on", help="Exit 1 on: violation or warning."),
    engine: str = typer.Option("sparql", "--engine",
                               help="SHACL engine: sparql (shapes compiled to SPARQL on Oxigraph) or pyshacl."),
) -> None:
    """Validate the store with the SHACL shapes (ontology/shapes.ttl)."""
    from llmkg.store import default_store
    from llmkg.validation.validate import validate_store

    report = validate_store(store or default_store(), engine=engine)
    code = report.exit_code(fail_on)
    typer.echo(report.render(format), nl=False)
    raise typer.Exit(code)


@app.command()
def reason(store: Optional[Path] = StoreOption) -> None:
    """Run the OWL reasoner (HermiT) on ontology + data; store inferences in their own graph."""
    from llmkg.validation.reasoning import reason_store
    from llmkg.render import short

    report = reason_store(store)
    if not report.consistent:
        _err("The graph is inconsistent with the ontology:")
        for line in report.explanation:
            _err(f"  {line}")
        raise typer.Exit(1)
    typer.echo(f"consistent; {len(report.inferred)} inferred triples stored in <{report.graph}> "
               f"({report.seconds:.1f} s)")
    for predicate, n in sorted(report.counts.items(), key=lambda kv: short(kv[0])):
        typer.echo(f"  {n:6d}  {short(predicate)}")


@app.command()
def export(
    format: Optional[str] = typer.Option(None, "--format", "-f",
                                         help="turtle, ntriples, nquads, trig or jsonld "
                                              "(default: from the --output extension)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o",
                                          help="File to write (.gz compresses); default: standard output."),
    store: Optional[Path] = StoreOption,
    graph: Optional[str] = typer.Option(None, "--graph", help="Only this named graph (IRI)."),
    void: bool = typer.Option(True, "--void/--no-void", help="Also write a VoID description next to --output."),
) -> None:
    """Export the store as an RDF dump (deterministic, sorted)."""
    from llmkg.publish.export import export as run_export

    fmt = run_export(store=store, format=format, output=output, graph=graph)
    if output is not None:
        _err(f"wrote {output} ({fmt.name})")
        if void:
            from llmkg.publish.export import write_void

            _err(f"wrote {write_void(store=store, dumps=[output])}")


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
    values = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise QueryError(f"bad --param '{item}'", hint="write --param key=value")
        values[key.strip()] = value
    password = os.environ.get("LLMKG_PASSWORD") if user else None
    result = run(name, store=store, endpoint=endpoint, params=values, user=user, password=password)
    typer.echo(render(result, format), nl=False)


@app.command()
def load(
    endpoint: str = typer.Option(..., "--endpoint", help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store."),
    graph: Optional[str] = typer.Option(None, "--graph", help="Put everything into this one graph (IRI)."),
    replace: bool = typer.Option(False, "--replace", help="Replace the target graph(s) instead of adding."),
    user: Optional[str] = typer.Option(None, "--user", help="User name; password from $LLMKG_PASSWORD or a prompt."),
    auth: str = typer.Option("auto", "--auth", help="auto, basic or digest."),
    chunk: int = typer.Option(50_000, "--chunk", help="Triples per request."),
    store: Optional[Path] = StoreOption,
) -> None:
    """Upload the store to an external triple store (SPARQL 1.1 Graph Store Protocol) and verify it."""
    from llmkg.publish.load import load as run_load
    from llmkg.render import load_progress
    from llmkg.store import default_store

    password = None
    if user:
        password = os.environ.get("LLMKG_PASSWORD")
        if password is None:
            password = typer.prompt(f"Password for {user}", hide_input=True)
    with load_progress() as progress:
        report = run_load(store or default_store(), endpoint=endpoint, graph=graph, replace=replace,
                          user=user, password=password, auth=auth, chunk_triples=chunk, progress=progress)
    typer.echo(report.summary())


@app.command("eval")
def evaluate(
    gold: Path = typer.Argument(..., help="Gold standard TSV (e.g. tests/gold/llm-landscape.tsv)."),
    store: Optional[Path] = StoreOption,
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Score the store against a hand-labelled gold standard (precision / recall)."""
    from llmkg.evaluation.evaluate import evaluate as run_eval
    from llmkg.store import default_store

    typer.echo(run_eval(gold, store or default_store()).render(format), nl=False)


@app.command()
def docs(output: Path = typer.Option(Path("docs/ontology"), "--output", "-o", help="Directory for the HTML.")) -> None:
    """Write HTML documentation of the ontology (pyLODE)."""
    from llmkg.publish.docs import write_docs

    typer.echo(f"wrote {write_docs(output)}")


def _narrowed(args: list[str]) -> typer.Typer:
    """`app` with only the command that `args` name, or the whole `app`.

    Typer turns every registered command into a click command before it
    parses anything; a run needs just its own (a quicker `llmkg query`).
    """
    chosen = [c for c in app.registered_commands
              if args and args[0] == (c.name or typer.main.get_command_name(c.callback.__name__))]
    if not chosen:
        return app
    narrowed = copy.copy(app)
    narrowed.registered_commands = chosen
    narrowed.callback()(_no_options)  # still a group: a lone command would read its name as an argument
    return narrowed


def _no_options() -> None:
    pass


def main() -> None:
    """Entry point: typer handles usage errors (exit 2); llmkg errors are rendered here."""
    try:
        _narrowed(sys.argv[1:])()
    except LlmkgError as exc:
        _err(f"Error: {exc}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _err("Interrupted; the previous store is unchanged.")
        sys.exit(130)


if __name__ == "__main__":
    main()
