"""What `llmkg serve` refuses to run: updates (the endpoint is read-only) and
SERVICE (it makes no requests to other servers).

Read from tokens, not the parsed algebra (pyoxigraph gives no access to it):
the tokenizer that binds parameters (llmkg/query/bindings.py) skips
comments, strings and IRIs, so a keyword inside them does not count.
"""

from __future__ import annotations

from llmkg.errors import QueryError


class RefusedQuery(QueryError):
    """A query this endpoint will not run (an update, a SERVICE call)."""


def calls_service(text: str) -> bool:
    """True if the query has a SERVICE clause (a request to another server)."""
    from llmkg.query.bindings import words

    # `service:` is a prefix name, not the keyword
    return any(word == "service" and text[end:end + 1] != ":" for word, _, end in words(text))


def check_read_only(text: str) -> str:
    """The query form of `text` ('select', 'ask', 'construct', 'describe');
    RefusedQuery for an update or a SERVICE call."""
    from llmkg.query.bindings import UPDATE_WORDS, query_form

    form = query_form(text)
    if form in UPDATE_WORDS:
        raise RefusedQuery("updates are refused: this endpoint is read-only",
                           hint="change the data with `llmkg build`")
    if form is None:
        raise QueryError("no query form (SELECT, ASK, CONSTRUCT or DESCRIBE) in the query",
                         hint="send a SPARQL 1.1 query")
    if calls_service(text):
        raise RefusedQuery("SERVICE is refused: this endpoint makes no requests to other servers",
                           hint="query the other endpoint yourself")
    return form
