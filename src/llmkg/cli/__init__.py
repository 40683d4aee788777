"""The `llmkg` command: parse options, call one library function, render.

Exit codes: 0 ok, 1 validation found violations (or a load did not verify),
2 bad input or usage. Library errors (llmkg.errors.LlmkgError) are printed
once, here, as one line. Commands live in one module per area (graph,
querying, publishing, serving); importing them registers them on the app.
"""

import copy
import sys

import typer

# importing the command modules registers their commands, in this order in --help
from llmkg.cli import graph, querying, publishing, serving  # noqa: F401,I001
from llmkg.cli.app import app, echo_err
from llmkg.errors import LlmkgError


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
        echo_err(f"Error: {exc}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        echo_err("Interrupted; the previous store is unchanged.")
        sys.exit(130)


if __name__ == "__main__":
    main()
