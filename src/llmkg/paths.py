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


def display_path(path: Path | str) -> str:
    """`path` as a user can open it from where they are: relative to the current
    folder when inside it, else absolute (a catalog or query llmkg ships, too)."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path.resolve())
