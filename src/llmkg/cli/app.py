"""The Typer app and the options its commands share (no import of any command)."""

from typing import Optional

import click
import typer

app = typer.Typer(
    name="llmkg",
    help="Turn the LLM-landscape markdown catalog into a knowledge graph: build, validate, "
         "reason, query, export and load it.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, PowerShell)
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"max_content_width": 120},  # a wide terminal shows more per line
)

STORE_HELP = "Store directory (default: $LLMKG_STORE or .llmkg/store)."
StoreOption = typer.Option(None, "--store", help=STORE_HELP, show_default=False)


def echo_err(text: str) -> None:
    typer.echo(text, err=True)


def choice(*values: str) -> click.Choice:
    """A fixed set of values, listed in --help and matched in any case (--format CSV)."""
    return click.Choice(values, case_sensitive=False)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        from llmkg.paths import shipped_root

        typer.echo(f"llmkg {version('llmkg')}")
        # where the bundled catalog, ontology and queries are: named in messages as data/..., ontology/...
        typer.echo(f"bundled files (data/, ontology/, queries/) in {shipped_root()}")
        raise typer.Exit()


@app.callback()
def options(version: Optional[bool] = typer.Option(None, "--version", callback=_version, is_eager=True,
                                                   help="Print the version and where the bundled files are, and exit.")) -> None:
    pass  # the app's own options; its help is the Typer's


