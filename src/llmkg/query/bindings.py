"""Parameter binding by VALUES injection: the terms of a saved query's
parameters as `VALUES ?name { term }` at the start of its outermost WHERE
group.

Used for remote endpoints (which know no pyoxigraph substitutions) and for
the embedded store too: Oxigraph plans joins from what the query text
binds, so a looked-up name bound in the text is an index hit where a
substitution is joined in after planning (a scan of the store at 100K
entries). Terms are written in N-Triples syntax by pyoxigraph, never
pasted from user text.
"""

from __future__ import annotations

import re
from typing import Any

from llmkg.errors import QueryError


# Tokens to skip while looking for the WHERE group: comments, strings
# (long ones first), IRIs. An IRI may not contain spaces, so the `<` of a
# comparison such as `?a < ?b` is not mistaken for one.
_SKIP = re.compile(
    r'#[^\n]*'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|"(?:[^"\\\n]|\\.)*"'
    r'|<[^<>"{}|^`\\\x00-\x20]*>',
    re.S)
# What the WHERE search looks at: the tokens to skip, braces, and words that
# stand alone (not a variable, not part of a prefixed name). The regex engine
# steps over everything else, so a query is scanned in a few microseconds.
_TOKENS = re.compile(_SKIP.pattern + r"|(?P<brace>[{}])|(?<![\w?$:.\-])(?P<word>[A-Za-z_][A-Za-z0-9_]*)",
                     re.S)
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_FORMS = {"select", "construct", "describe", "ask"}


def keyword_offset(text: str, keyword: str) -> int | None:
    """Offset of the first `keyword` (any case) used as a SPARQL keyword: not inside a
    string, a comment or an IRI, and not part of a variable or prefixed name."""
    wanted = keyword.lower()
    for token in _TOKENS.finditer(text):
        if token.lastgroup == "word" and token.group().lower() == wanted and text[token.end():token.end() + 1] != ":":
            return token.start()
    return None


def _outer_group_start(text: str) -> int:
    """Index of the `{` opening the outermost WHERE group of a query."""
    depth = 0
    form: str | None = None
    construct_template_done = False
    for token in _TOKENS.finditer(text):
        if token.lastgroup == "word":
            lower = token.group().lower()
            if depth == 0 and form is None and lower in _FORMS:
                form = lower
            elif depth == 0 and form is not None and lower == "where":
                if form == "construct" and not construct_template_done:
                    raise QueryError(
                        "cannot bind parameters in a CONSTRUCT WHERE { } short form",
                        hint="Write the query as CONSTRUCT { ... } WHERE { ... }")
                return _next_brace(text, token.end())
        elif token.lastgroup == "brace":
            if token.group() == "{":
                if depth == 0 and form is not None:
                    if form == "construct" and not construct_template_done:
                        construct_template_done = True
                    else:
                        return token.start()
                depth += 1
            else:
                depth -= 1
    raise QueryError("cannot find the WHERE group of the query to bind parameters in")


def words(text: str):
    """Each word that stands alone in a query, outside comments, strings and
    IRIs, lower-cased, with the brace depth it stands at and the index just
    after it (llmkg/query/guard.py finds SERVICE with them)."""
    depth = 0
    for token in _TOKENS.finditer(text):
        if token.lastgroup == "word":
            yield token.group().lower(), depth, token.end()
        elif token.lastgroup == "brace":
            depth += 1 if token.group() == "{" else -1


def _next_brace(text: str, start: int) -> int:
    i = start
    while i < len(text):
        skip = _SKIP.match(text, i) if text[i] == "#" else None
        if skip:
            i = skip.end()
            continue
        if text[i] == "{":
            return i
        if not text[i].isspace():
            break
        i += 1
    raise QueryError("cannot find the `{` after WHERE to bind parameters in")


def _sparql_term(name: str, term: Any) -> str:
    import pyoxigraph as ox

    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return str(term)  # N-Triples syntax, escaped by pyoxigraph
    raise QueryError(f"parameter ?{name} must be an IRI or a literal, not {type(term).__name__}",
                     hint="VALUES cannot hold blank nodes")


def bind_values(query_text: str, bindings: dict[str, Any]) -> str:
    """The query with one `VALUES ?name { term }` per binding at the start
    of its outermost WHERE group. Names must be plain SPARQL variable names;
    terms must be pyoxigraph NamedNode or Literal."""
    clauses = []
    for name in sorted(bindings):
        bare = name[1:] if name[:1] in "?$" else name
        if not _NAME.match(bare):
            raise QueryError(f"invalid parameter name {name!r}")
        clauses.append(f" VALUES ?{bare} {{ {_sparql_term(bare, bindings[name])} }}")
    if not clauses:
        return query_text
    at = _outer_group_start(query_text) + 1
    # on the line of the `{`, so that errors keep the query file's line numbers
    return query_text[:at] + "".join(clauses) + " " + query_text[at:]


# The words that open a SPARQL 1.1 Update operation
UPDATE_WORDS = frozenset({"insert", "delete", "load", "clear", "create", "drop", "copy", "move",
                          "add", "with"})


def query_form(text: str) -> str | None:
    """'select', 'ask', 'construct' or 'describe'; an update's first word
    ('insert', 'load', ...); or None when neither is found. Comments,
    strings, IRIs and prefix names are skipped, so `PREFIX insert: <...>`
    or a `# DELETE` comment do not count."""
    after_prefix = False
    for token in _TOKENS.finditer(text):
        if token.lastgroup == "brace":
            return None
        if token.lastgroup != "word":
            after_prefix = False  # `PREFIX : <iri>` has no name to skip
            continue
        word = token.group().lower()
        if after_prefix:
            after_prefix = False
            continue
        if word == "prefix":
            after_prefix = True
        elif word in _FORMS or word in UPDATE_WORDS:
            return word
    return None
