"""Commands that get the graph out: export, load.

No `from __future__ import annotations`: typer reads the annotations at start-up.
"""

import os
from pathlib import Path
from typing import Optional

import typer

from llmkg.cli.app import StoreOption, app, choice, echo_err
from llmkg.publish.formats import names as format_names


@app.command()
def export(
    format: Optional[str] = typer.Option(None, "--format", "-f", metavar=f"[{'|'.join(format_names())}]",
                                         help="The dump's format, in any case, or an alias such as ttl or nt "
                                              "(default: from the --output extension)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o",
                                          help="File to write (.gz compresses), or - for standard output (the "
                                               "default); a device or pipe is written through, a symlink followed."),
    store: Optional[Path] = StoreOption,
    graph: Optional[str] = typer.Option(None, "--graph", help="Only this named graph (IRI)."),
    void: bool = typer.Option(True, "--void/--no-void", help="Also write a VoID description next to --output."),
) -> None:
    """Export the store as an RDF dump (deterministic, sorted)."""
    from llmkg.files import is_stream
    from llmkg.publish.export import STDOUT, export as run_export

    fmt = run_export(store=store, format=format, output=output, graph=graph)
    if output is not None and str(output) != STDOUT:
        echo_err(f"wrote {output} ({fmt.name})")
        if void and not is_stream(output):  # nothing is written beside a device or a pipe
            from llmkg.publish.export import write_void

            echo_err(f"wrote {write_void(store=store, dumps=[output])}")


@app.command()
def load(
    endpoint: str = typer.Option(..., "--endpoint", help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store."),
    graph: Optional[str] = typer.Option(None, "--graph", help="Put everything into this one graph (IRI)."),
    replace: bool = typer.Option(False, "--replace", help="Replace the target graph(s) instead of adding."),
    user: Optional[str] = typer.Option(None, "--user", help="User name; password from $LLMKG_PASSWORD or a prompt."),
    auth: str = typer.Option("auto", "--auth", click_type=choice("auto", "basic", "digest"),
                             help="How to send --user's password: auto (as the server asks), basic or digest."),
    chunk: int = typer.Option(50_000, "--chunk", help="Triples per request."),
    timeout: float = typer.Option(3600, "--timeout", min=1,
                                  help="Seconds the whole load (upload and verification) may take."),
    store: Optional[Path] = StoreOption,
) -> None:
    """Upload the store to an external triple store (SPARQL 1.1 Graph Store Protocol) and verify it."""
    from llmkg.publish.load import load as run_load
    from llmkg.cli.render import load_progress
    from llmkg.store import default_store

    password = None
    if user:
        password = os.environ.get("LLMKG_PASSWORD")
        if password is None:
            password = typer.prompt(f"Password for {user}", hide_input=True)
    with load_progress() as progress:
        report = run_load(store or default_store(), endpoint=endpoint, graph=graph, replace=replace,
                          user=user, password=password, auth=auth, chunk_triples=chunk, progress=progress,
                          timeout=timeout)
    typer.echo(report.summary())
