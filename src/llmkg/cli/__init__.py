"""The `llmkg` command: parse options, call one library function, render.

Exit codes: 0 ok, 1 validation found violations (or a load did not verify),
2 bad input or usage, 130 interrupted (Ctrl-C). Library errors (llmkg.errors.LlmkgError) are printed
once, here, as one line. Commands live in one module per area (graph,
history, querying, publishing, serving); importing them registers them on the app.
"""

import copy
import sys

import typer

# importing the command modules registers their commands, in this order in --help
from llmkg.cli import graph, history, querying, publishing, serving  # noqa: F401,I001
from llmkg.cli.app import app, echo_err
from llmkg.errors import LlmkgError, printable


INTERRUPTED = "interrupted, the previous store is unchanged"


def _summaries() -> None:
    """Each command's whole first sentence as its line in `llmkg --help`
    (click would cut it to the width left beside the names, with '...')."""
    import inspect

    for info in app.registered_commands:
        if info.short_help is None and info.callback.__doc__:
            paragraph = " ".join(inspect.cleandoc(info.callback.__doc__).split("\n\n")[0].split())
            info.short_help = paragraph.split(". ")[0].removesuffix(".") + "."


def _narrowed(args: list[str]) -> typer.Typer:
    """`app` with only the command that `args` name, or the whole `app`.

    Typer turns every registered command into a click command before it
    parses anything; a run needs just its own (a quicker `llmkg query`).
    """
    chosen = [c for c in app.registered_commands
              if args and args[0] == (c.name or typer.main.get_command_name(c.callback.__name__))]
    if not chosen:  # the whole app: its --help lists every command
        _summaries()
        return app
    narrowed = copy.copy(app)
    narrowed.registered_commands = chosen
    narrowed._add_completion = False  # completion runs with no arguments: the whole app
    narrowed.callback()(_no_options)  # still a group: a lone command would read its name as an argument
    return narrowed


def _no_options() -> None:
    pass


def main() -> None:
    """Entry point. Every error is one line on stderr: usage errors (exit 2) as
    click words them, llmkg errors as the library words them; Ctrl-C exits 130."""
    import click

    args = sys.argv[1:]
    command = typer.main.get_command(_narrowed(args))
    try:
        code = command.main(args, prog_name="llmkg", standalone_mode=False)
    except LlmkgError as exc:
        echo_err(f"Error: {printable(str(exc))}")
        sys.exit(exc.exit_code)
    except click.exceptions.NoArgsIsHelpError as exc:
        exc.show()  # `llmkg` alone: the help
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        where = exc.ctx.command_path if getattr(exc, "ctx", None) else "llmkg"
        echo_err(f"Error: {printable(exc.format_message().rstrip('.'))}. See `{where} --help`")
        sys.exit(exc.exit_code)
    except OSError as exc:  # what no command translated: still one line, never a traceback
        where = f" ({printable(str(exc.filename))})" if exc.filename else ""
        echo_err(f"Error: {printable(exc.strerror or str(exc))}{where}. Check the path and the free space")
        sys.exit(2)
    except click.Abort:  # end of input at a prompt
        echo_err("Error: aborted")
        sys.exit(1)
    if code == 130:  # typer turns Ctrl-C (KeyboardInterrupt) into exit code 130
        echo_err(INTERRUPTED)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
