"""Commands that build and check the graph: build, validate, reason, eval, docs.

No `from __future__ import annotations`: typer reads the annotations at start-up.
"""

from pathlib import Path
from typing import Optional

import typer

from llmkg.cli.app import StoreOption, app, choice, echo_err


@app.command()
def build(
    catalogs: list[str] = typer.Argument(None, help="Catalog markdown files or http(s) URLs of raw catalog "
                                                     "pages (default: the bundled catalog).",
                                         show_default=False),
    store: Optional[Path] = StoreOption,
    validate: bool = typer.Option(True, "--validate/--no-validate", help="Validate with SHACL before the new store replaces the old."),
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 2) if any entry was skipped or read in part."),
    force: bool = typer.Option(False, "--force",
                               help="Replace the store even when the validation finds violations (still exit 1)."),
    engine: str = typer.Option("sparql", "--engine", click_type=choice("sparql", "pyshacl"),
                               help="SHACL engine: sparql (shapes compiled to SPARQL on Oxigraph) or pyshacl."),
    # default llmkg.files.MAX_CATALOG_MIB, not imported here: every command would load it
    max_catalog_mib: Optional[int] = typer.Option(None, "--max-catalog-mib", envvar="LLMKG_MAX_CATALOG_MIB", min=1,
                                                  show_default="64",
                                                  help="Refuse a catalog larger than this many MiB."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the summary line."),
) -> None:
    """Build the store from catalogs: parse, extract, resolve, map, validate, store.

    The store must be absent, an empty folder or an llmkg store; one build at a time
    holds it. A build whose validation finds violations keeps the previous store and
    exits 1 (with --force it replaces it and still exits 1).
    """
    from llmkg.build import build as run_build
    from llmkg.cli.render import build_progress, build_summary, violations
    from llmkg.files import MIB

    with build_progress(enabled=not quiet) as progress:
        report = run_build(catalogs or [], store=store, validate=validate, strict=strict, force=force,
                           engine=engine, max_catalog_bytes=max_catalog_mib * MIB if max_catalog_mib else None,
                           progress=progress)
    if report.validation is not None and not report.validation.conforms:
        typer.echo(violations(report.validation))
    typer.echo(build_summary(report, quiet=quiet))
    if report.validation is not None and not report.validation.conforms:
        found = report.validation.summary().split(",")[0]  # "3 violations"
        if report.stored:
            echo_err(f"Warning: stored despite {found} (--force) ({report.store})")
        else:
            echo_err(f"Error: validation found {found}; the store was left as it was ({report.store}). "
                     "Fix the catalog, or pass --force to store it anyway")
        raise typer.Exit(1)


@app.command()
def validate(
    store: Optional[Path] = StoreOption,
    format: str = typer.Option("text", "--format", "-f", click_type=choice("text", "turtle", "json"),
                               help="Report format: text, turtle (a SHACL validation report) or json."),
    fail_on: str = typer.Option("violation", "--fail-on", click_type=choice("violation", "warning"),
                                help="Exit 1 on violations, or on warnings too."),
    engine: str = typer.Option("sparql", "--engine", click_type=choice("sparql", "pyshacl"),
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
def reason(
    store: Optional[Path] = StoreOption,
    reasoner: str = typer.Option("auto", "--reasoner", click_type=choice("auto", "rules", "hermit"),
                                 help="rules: OWL 2 RL rules as SPARQL on Oxigraph (any size, no Java); "
                                      "hermit: full OWL 2 DL with HermiT (needs Java; small graphs); "
                                      "auto: HermiT up to 50,000 asserted triples when Java is installed, "
                                      "else the rules."),
) -> None:
    """Run an OWL reasoner on ontology + data; store inferences in their own graph."""
    from llmkg.validation.reasoning import reason_store
    from llmkg.cli.render import short

    report = reason_store(store, reasoner=reasoner.lower())
    if not report.consistent:
        echo_err("The graph is inconsistent with the ontology:")
        for line in report.explanation:
            echo_err(f"  {line}")
        raise typer.Exit(1)
    typer.echo(f"consistent ({report.reasoner}); {len(report.inferred)} inferred triples stored in "
               f"<{report.graph}> ({report.seconds:.1f} s)")
    for predicate, n in sorted(report.counts.items(), key=lambda kv: short(kv[0])):
        typer.echo(f"  {n:6d}  {short(predicate)}")


@app.command("eval")
def evaluate(
    gold: Path = typer.Argument(..., help="Gold standard TSV (e.g. tests/gold/llm-landscape.tsv)."),
    store: Optional[Path] = StoreOption,
    format: str = typer.Option("text", "--format", "-f", click_type=choice("text", "json"), help="text or json."),
) -> None:
    """Score the store against a hand-labelled gold standard (precision / recall)."""
    from llmkg.evaluation.evaluate import evaluate as run_eval
    from llmkg.store import default_store

    typer.echo(run_eval(gold, store or default_store()).render(format), nl=False)


@app.command()
def docs(output: Optional[Path] = typer.Option(None, "--output", "-o", show_default=False,
                                               help="Directory for the HTML (default: a new temporary one).")) -> None:
    """Write HTML documentation of the ontology (pyLODE) and print where."""
    from llmkg.publish.docs import write_docs

    if output is None:
        import tempfile

        output = Path(tempfile.mkdtemp(prefix="llmkg-docs-"))
    typer.echo(f"wrote {write_docs(output)}")
