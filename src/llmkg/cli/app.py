"""The Typer app and the options its commands share (no import of any command)."""


import typer

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


def echo_err(text: str) -> None:
    typer.echo(text, err=True)


