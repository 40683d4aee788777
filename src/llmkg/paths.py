"""Where the folders the project ships are (data, ontology, queries).

Kept apart from the lexicon so that `llmkg query` finds its queries without
importing TOML and regex machinery.
"""

from __future__ import annotations

from pathlib import Path

from llmkg.errors import CatalogError


def shipped(name: str) -> Path:
    """A top-level folder the project ships (data, ontology, queries).

    In a source checkout it is the folder beside src/; in an installed wheel
    the copy under llmkg/_shipped/.
    """
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / name, here.parent / "_shipped" / name):
        if candidate.is_dir():
            return candidate
    raise CatalogError(f"llmkg's {name}/ folder is missing", hint="reinstall llmkg")


SHIPPED = ("data", "ontology", "queries")


def shipped_name(path: Path | str) -> str | None:
    """'data/llm-landscape.md' for a file llmkg ships (in a checkout or an
    installed wheel), as the README names it; None for any other file."""
    try:
        resolved = Path(path).resolve()
    except OSError:
        return None
    here = Path(__file__).resolve()
    for root in (here.parents[2], here.parent / "_shipped"):
        for name in SHIPPED:
            if resolved.is_relative_to(root / name):
                return str(resolved.relative_to(root))
    return None


def display_path(path: Path | str) -> str:
    """`path` as a user can open it from where they are: relative to the current
    folder when inside it; a file llmkg ships as the README names it
    ('data/llm-landscape.md': `llmkg --version` says where those are); else absolute."""
    path = Path(path)
    # The shipped name first: a venv inside the current folder would otherwise
    # show '.venv/lib/python3.11/site-packages/llmkg/_shipped/data/...'
    if (name := shipped_name(path)) is not None:
        return name
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path.resolve())


def shipped_root() -> Path:
    """The folder that holds data/, ontology/ and queries/ as llmkg ships them."""
    return shipped("data").parent
