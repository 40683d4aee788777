"""Commands that show the graph: serve (endpoint, pages, UI), plot (pictures).

No `from __future__ import annotations`: typer reads the annotations at start-up.
Nothing heavy at import: Starlette, uvicorn and vl-convert load inside the commands.
"""

from pathlib import Path
from typing import Optional

import typer

from llmkg.cli.app import StoreOption, app, echo_err
from llmkg.cli.app import choice
from llmkg.publish.pictures import PICTURES


@app.command()
def serve(
    store: Optional[Path] = StoreOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (anything but loopback "
                                                          "exposes the store without authentication)."),
    port: int = typer.Option(7878, "--port", help="Port to listen on."),
    timeout: float = typer.Option(10.0, "--timeout", help="Seconds a query may take."),
    max_rows: int = typer.Option(10_000, "--max-rows", help="Result rows (or triples) sent at most: a longer "
                                 "result is cut, and says so (Llmkg-Limit header, SPARQL JSON/XML head)."),
    workers: int = typer.Option(16, "--workers", help="Queries evaluated at once (one process each)."),
    cors: bool = typer.Option(True, "--cors/--no-cors", help="Let web pages of any origin query the endpoint."),
    allow_host: list[str] = typer.Option(None, "--allow-host", help="Another Host name to answer (repeatable); "
                                         "by default only the bound address's own names.", show_default=False),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="The public URL the server is reached at "
                                           "(where https://w3id.org/llmkg/ redirects), e.g. https://kg.example.org/."),
) -> None:
    """Serve the store read-only: SPARQL endpoint, Linked Data pages, query UI, pictures."""
    from llmkg.errors import LlmkgError
    from llmkg.publish.serve.server import Limits, is_loopback
    from llmkg.publish.serve.server import serve as run_server

    if timeout <= 0 or max_rows < 1 or workers < 1:
        raise LlmkgError("--timeout, --max-rows and --workers must be positive")
    if not is_loopback(host):
        echo_err(f"Warning: listening on {host}: the endpoint has no authentication; anyone who can "
                 f"reach this address can read the whole store.")

    def ready(url: str) -> None:
        typer.echo(f"llmkg serve: {url} (SPARQL at {url}sparql; read-only; Ctrl-C to stop)")

    if base_url is not None:
        from urllib.parse import urlsplit

        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") \
                or parts.query or parts.fragment:
            raise LlmkgError(f"--base-url '{base_url}' is not the root URL of a host",
                             hint="pass e.g. https://kg.example.org/ (the pages link from the root)")
        base_url = base_url.rstrip("/") + "/"
    run_server(store=store, host=host, port=port, ready=ready, cors=cors, allow_hosts=allow_host or [],
               base_url=base_url, limits=Limits(timeout=timeout, max_rows=max_rows, workers=workers))


@app.command()
def plot(
    picture: str = typer.Argument(..., click_type=choice(*PICTURES), show_default=False,
                                  help="timeline (model releases by organisation) or lineage (of a model)."),
    output: Path = typer.Option(..., "--output", "-o", help="File to write: .svg or .png."),
    param: list[str] = typer.Option(None, "--param", "-p", help="key=value, repeatable (lineage: model=NAME).",
                                    show_default=False),
    format: Optional[str] = typer.Option(None, "--format", "-f", click_type=choice("svg", "png"),
                                         help="svg or png (default: from --output)."),
    store: Optional[Path] = StoreOption,
) -> None:
    """Draw a picture of the graph to an SVG or PNG file (the same Vega-Lite picture `llmkg serve` shows)."""
    from llmkg.cli.querying import parse_params
    from llmkg.publish.pictures import picture as spec_of
    from llmkg.publish.pictures import write

    spec = spec_of(picture, store=store, params=parse_params(param))
    echo_err(f"wrote {output} ({write(spec, output, format=format)})")
