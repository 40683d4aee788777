"""The prefixes a query may use without declaring them: those llmkg's output
compacts IRIs with (llmkg:, rdfs:, schema:, model:, ...), so what a table
shows can be pasted back into a query. A prefix neither declared nor known
is named in the error, not left to the parser's list of expected tokens.
"""

from __future__ import annotations

import re

from llmkg.errors import QueryError

# Skipped when looking for prefixed names: IRIs, strings (long ones first), comments.
_OPAQUE = re.compile(r'<[^<>"{}|^`\\\s]*>|"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\''
                     r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*')
# A prefixed name's prefix (PN_PREFIX, or empty) before its colon; not a part of a
# longer name or local part (ex:a:b), a variable (?x), or a blank node (_:b).
_PREFIXED = re.compile(r"(?<![\w.:?$\-])([A-Za-z][\w.\-]*)?:(?![/])")
_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.\-]*)?:", re.IGNORECASE)


def known() -> dict[str, str]:
    """Prefix -> namespace IRI, as `llmkg query` tables compact IRIs."""
    from llmkg.query.results import DISPLAY_PREFIXES

    return dict(sorted(DISPLAY_PREFIXES))


def _blanked(text: str) -> str:
    """`text` with its IRIs, strings and comments blanked out (newlines kept)."""
    return _OPAQUE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def _used(blank: str) -> dict[str, int]:
    """The prefixes a blanked text uses, each with the line it is first used on."""
    used: dict[str, int] = {}
    for match in _PREFIXED.finditer(blank):
        used.setdefault(match.group(1) or "", blank.count("\n", 0, match.start()) + 1)
    return used


def with_prefixes(text: str, *, where: str = "-e") -> str:
    """`text` with a PREFIX declaration for each known prefix it uses and does
    not declare, put on its first line after any comment lines (so errors keep
    their line numbers and a '#+' header stays a header)."""
    blank = _blanked(text)
    declared = {m.group(1) or "" for m in _DECLARED.finditer(blank)}
    table = known()
    missing = {}
    for name, line in _used(blank).items():
        if name in declared:
            continue
        if name not in table:
            raise QueryError(f"unknown prefix '{name}:'", file=where, line=line,
                             hint=f"declare it (PREFIX {name}: <IRI>) or use one llmkg knows: "
                                  + ", ".join(f"{p}:" for p in table))
        missing[name] = table[name]
    if not missing:
        return text
    declarations = "".join(f"PREFIX {name}: <{iri}> " for name, iri in sorted(missing.items()))
    header = re.match(r"(?:[ \t]*#[^\n]*\n)*", text).end()  # a '#+' header stays first
    return text[:header] + declarations + text[header:]
