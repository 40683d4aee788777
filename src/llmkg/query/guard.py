"""What a query text asks for, read before it runs: its form (select, ask,
construct, describe, or an update) and whether it calls another server
(SERVICE). `llmkg serve` refuses updates and SERVICE with these.

Reads tokens, not the parsed algebra: pyoxigraph gives no access to it, and
a keyword inside a string, IRI or comment is skipped by the tokenizer that
binds parameters (llmkg/query/bindings.py).
"""

from __future__ import annotations

from llmkg.errors import QueryError

QUERY_FORMS = ("select", "ask", "construct", "describe")
UPDATE_WORDS = ("insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with")


class RefusedQuery(QueryError):
    """A query this endpoint will not run (an update, a SERVICE call)."""


def query_form(text: str) -> str:
    """'select', 'ask', 'construct', 'describe', or 'update' for an update request."""
    from llmkg.query.bindings import words

    for word, depth, end in words(text):
        if depth == 0 and word in QUERY_FORMS and text[end:end + 1] != ":":
            return word
        if depth == 0 and word in UPDATE_WORDS and text[end:end + 1] != ":":
            return "update"
    raise QueryError("no query form (SELECT, ASK, CONSTRUCT or DESCRIBE) in the query",
                     hint="send a SPARQL 1.1 query")


def calls_service(text: str) -> bool:
    """True if the query has a SERVICE clause (a request to another server)."""
    from llmkg.query.bindings import words

    return any(word == "service" and text[end:end + 1] != ":" for word, _, end in words(text))


def check_read_only(text: str) -> str:
    """The query form of `text`; RefusedQuery for an update or a SERVICE call."""
    form = query_form(text)
    if form == "update":
        raise RefusedQuery("updates are refused: this endpoint is read-only",
                           hint="change the data with `llmkg build`")
    if calls_service(text):
        raise RefusedQuery("SERVICE is refused: this endpoint makes no requests to other servers",
                           hint="query the other endpoint yourself")
    return form
