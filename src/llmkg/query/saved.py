"""Saved SPARQL queries: finding them, typed parameters, execution.

A saved query is a .rq file whose '#+' comment lines are a small YAML header
(llmkg/query/header.py) with a summary, grlc's description and tags, and
llmkg's parameters:

    #+ summary: Models per organisation
    #+ params:
    #+   - year year = 2024 -- only releases in this year
    #+   - model name = Llama 2 -- bound to its llmkg:nameKey, "llama2"

Saved queries are looked up in the folders given with `--queries` or
$LLMKG_QUERIES (a user's own, first) and then in the queries/ that llmkg
ships. Parameters are bound as RDF terms in a VALUES block
(llmkg/query/bindings.py), on the embedded store as on a remote endpoint,
never pasted in as user text. Every query form runs: SELECT gives rows, ASK a
boolean, CONSTRUCT and DESCRIBE triples; updates are refused.
This module imports neither rdflib nor pyshacl, so `llmkg query` starts fast.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from llmkg import vocab as V
from llmkg.errors import QueryError
from llmkg.query.header import TYPES, Param, parse_header, read_query_file  # noqa: F401 (TYPES, Param: API)
from llmkg.query.results import QueryResult

QUERIES_ENV = "LLMKG_QUERIES"  # folders of a user's own saved queries, os.pathsep-separated
MAX_QUERY_BYTES = 1 << 20  # an ad-hoc query from standard input


class SavedQuery:
    """A query text with the summary, description, tags and parameters of its header.

    `path` is the file it came from, or None for text given with -e or on
    standard input; `where` names it in errors (the path, '-e' or '<stdin>').
    """

    def __init__(self, name: str, path: Path | None, text: str, *, where: str | None = None) -> None:
        self.name, self.path, self.text = name, path, text
        self.where = where or str(path)
        header = parse_header(text, where=self.where)
        self.summary, self.description, self.tags = header.summary, header.description, header.tags
        self.params = header.params

    def as_dict(self) -> dict:
        return {"name": self.name, "summary": self.summary, "description": self.description,
                "tags": self.tags, "path": str(self.path) if self.path else None,
                "params": [{"name": p.name, "type": p.type, "default": p.default,
                            "required": p.required, "description": p.description} for p in self.params]}


def queries_dir() -> Path:
    """The queries/ folder llmkg ships."""
    from llmkg.paths import shipped

    return shipped("queries")


def query_dirs(extra=()) -> list[Path]:
    """Where saved queries are looked up, first match winning: `extra`, then
    $LLMKG_QUERIES, then the shipped queries/."""
    given = {"--queries": [Path(d) for d in extra or ()],
             f"${QUERIES_ENV}": [Path(p) for p in os.environ.get(QUERIES_ENV, "").split(os.pathsep) if p]}
    for source, dirs in given.items():
        for d in dirs:
            if not d.is_dir():
                raise QueryError("no such folder of saved queries", file=str(d),
                                 hint=f"check the path given with {source}")
    return [d for dirs in given.values() for d in dirs] + [queries_dir()]


def parse_saved(path: Path) -> SavedQuery:
    """Read a .rq file and its '#+' header; a bad header fails loudly with file:line."""
    path = Path(path)
    return SavedQuery(path.stem, path, read_query_file(path))


def inline_query(text: str, *, where: str = "-e") -> SavedQuery:
    """A query given as text (`llmkg query -e TEXT`, or `-` for standard input);
    the prefixes llmkg's tables show need no PREFIX line (llmkg.query.prefixes)."""
    from llmkg.query.prefixes import with_prefixes

    return SavedQuery("adhoc", None, with_prefixes(text, where=where), where=where)


def read_stdin_query(stream) -> SavedQuery:
    """The query text on `stream` (bounded: a query is text, not data)."""
    data = stream.read(MAX_QUERY_BYTES + 1)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise QueryError(f"the query on standard input is not UTF-8 (byte {exc.start})") from None
    if len(data) > MAX_QUERY_BYTES:
        raise QueryError(f"the query on standard input is longer than {MAX_QUERY_BYTES >> 20} MiB",
                         hint="save it to a .rq file and keep it short")
    return inline_query(data, where="<stdin>")


def _saved_paths(dirs: list[Path]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for d in reversed(dirs):  # earlier folders win
        found.update({p.stem: p for p in d.glob("*.rq")})
    return dict(sorted(found.items()))


def list_saved(queries=()) -> list[SavedQuery]:
    """Every saved query, by name (a user's folders before the shipped one)."""
    return [parse_saved(p) for p in _saved_paths(query_dirs(queries)).values()]


def load_saved(ref: str, *, queries=()) -> SavedQuery:
    """A saved query by name ('lineage') or by path ('queries/lineage.rq')."""
    path = Path(ref)
    if path.suffix == ".rq" or path.exists():
        if path.is_file():
            return parse_saved(path)
        shipped = queries_dir() / path.name  # "queries/X.rq" run outside the project folder
        if path.parent.name == "queries" and shipped.is_file():
            return parse_saved(shipped)
        raise QueryError("no such query file", file=ref, hint="check the path")
    dirs = query_dirs(queries)
    for d in dirs:
        if (candidate := d / f"{ref}.rq").is_file():
            return parse_saved(candidate)
    import difflib

    close = difflib.get_close_matches(ref, list(_saved_paths(dirs)), n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(close)}? " if close else ""
    raise QueryError(f"unknown query '{ref}'", hint=hint + "Run `llmkg queries` to list them")


# Lexical forms of the typed parameters, ASCII digits only (str.isdigit and int() also take
# other scripts' digits, Decimal takes NaN and Infinity): a value of another form is refused,
# not bound to a term that silently matches nothing.
_LEXICAL = {
    "integer": r"[+-]?[0-9]+",
    "year": r"[0-9]{4}",
    "decimal": r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)",
    "date": r"[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-[0-9]{2})?)?",
}


def to_term(param: Param, value: str, *, where: str):
    """The RDF term for a parameter value of the declared type; QueryError if it is not one."""
    from pyoxigraph import Literal, NamedNode

    def typed(lexical: str, datatype: str):
        return Literal(lexical, datatype=NamedNode(V.XSD + datatype))

    try:
        if param.type == "string":
            return Literal(value)
        if param.type == "name":  # matched against llmkg:nameKey: one index look-up
            from llmkg.keys import name_key

            return Literal(name_key(value))
        lexical = value.strip()
        if param.type == "iri":
            return NamedNode(lexical)
        if not re.fullmatch(_LEXICAL[param.type], lexical):
            raise ValueError
        if param.type in ("integer", "year"):
            return typed(str(int(lexical)), "integer")
        if param.type == "decimal":
            from decimal import Decimal

            return typed(str(Decimal(lexical)), "decimal")
        if len(lexical) == 10:  # a day that exists: not 2023-02-29
            import datetime

            datetime.date.fromisoformat(lexical)
            return typed(lexical, "date")
        return typed(lexical, "gYearMonth" if len(lexical) == 7 else "gYear")
    except (ValueError, ArithmeticError):
        from llmkg.errors import clip

        article = "an" if param.type[0] in "aeiou" else "a"
        raise QueryError(f"parameter '{param.name}' needs {article} {param.type}, got '{clip(value)}'",
                         file=where) from None


def bind(query: SavedQuery, values: dict[str, str]) -> dict[str, object]:
    """Typed RDF terms for every parameter: given values, else defaults."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise QueryError(f"query '{query.name}' has no parameter '{unknown[0]}'",
                         hint=f"its parameters: {', '.join(declared) or 'none'}")
    terms = {}
    for param in query.params:
        value = values.get(param.name, param.default)
        if value is None:
            raise QueryError(f"query '{query.name}' needs parameter '{param.name}'",
                             hint=f"pass --param {param.name}=... ({param.description or param.type})")
        terms[param.name] = to_term(param, value, where=query.where)
    return terms


def bound_text(saved: SavedQuery, values: dict[str, str]) -> str:
    """The saved query's text with its parameters bound in a VALUES block."""
    terms = bind(saved, values)
    if not terms:
        return saved.text
    from llmkg.query.bindings import bind_values

    return bind_values(saved.text, terms)


def run(query: str | SavedQuery, *, store=None, endpoint: str | None = None,
        params: dict[str, str] | None = None, user: str | None = None,
        password: str | None = None, queries=(), allow_service: bool = False,
        timeout: float | None = None) -> QueryResult:
    """Run a query (a SavedQuery, or a saved query's name or path) on the
    embedded store, or on a remote SPARQL endpoint.

    `store` is a store directory (default: the default store) or a
    pyoxigraph.Store already open, for callers that run many queries;
    `queries` are folders of saved queries searched before the shipped ones.
    A query that calls a remote SERVICE is refused unless `allow_service`;
    `timeout` seconds bound a query on an endpoint or one that calls a service.
    """
    saved = query if isinstance(query, SavedQuery) else load_saved(query, queries=queries)
    from llmkg.query.bindings import UPDATE_WORDS, query_form

    form = query_form(saved.text)
    if form in UPDATE_WORDS:
        raise QueryError("updates are not allowed", file=saved.where,
                         hint="run a SELECT, ASK, CONSTRUCT or DESCRIBE query; change the store with `llmkg build`")
    terms = bind(saved, params or {})
    service_line = _service_line(saved.text)
    if service_line and not allow_service:
        raise QueryError("the query calls a remote service (SERVICE)", file=saved.where, line=service_line,
                         hint="federated queries are off: pass --allow-service to let it send requests "
                              "(bounded by --timeout)")
    names = {p.name: (params or {}).get(p.name, p.default) for p in saved.params if p.type == "name"}
    if endpoint:
        from llmkg.query.endpoint import ask, query as remote
        from llmkg.remote import Budget

        budget = Budget(timeout)
        result = remote(endpoint, saved.text, bindings=terms, user=user, password=password, budget=budget)
        result.unmatched = [(n, v) for n, v in names.items() if not ask(
            endpoint, _NAMED, bindings={"key": terms[n]}, user=user, password=password, budget=budget)]
        return result
    from llmkg.store import open_store

    db = store if hasattr(store, "query") else open_store(store)
    result = _run_embedded(db, saved, terms, timeout if service_line else None)
    if names:
        from pyoxigraph import Variable

        result.unmatched = [(n, v) for n, v in names.items() if not db.query(
            _NAMED, substitutions={Variable("key"): terms[n]}, use_default_graph_as_union=True)]
    return result


# Whether a name parameter's key names anything (index look-ups): an entity
# now, or one in some catalog version of a history store (a model it dropped)
_NAMED = (f"ASK {{ {{ ?entity <{V.LLMKG}nameKey> ?key }} UNION "
          f"{{ ?fact <{V.LLMKG}factObject> ?key ; <{V.LLMKG}factPredicate> <{V.LLMKG}nameKey> }} }}")


def _run_embedded(db, saved: SavedQuery, terms: dict, federated: float | None = None) -> QueryResult:
    """The query's answer from the store; `federated`: it calls services, and may take
    that many seconds (None: it calls none)."""
    # Bound in the text, not as substitutions: Oxigraph then plans from the
    # parameters (a name look-up is an index hit, not a scan; llmkg/query/bindings.py).
    text, bind_error = saved.text, None
    if terms:
        from llmkg.query.bindings import bind_values

        try:
            text = bind_values(saved.text, terms)
        except QueryError as exc:
            bind_error = exc  # malformed: Oxigraph says where, below
    try:
        result = _federated(db, text, saved, federated) if federated else _answer(db, text, saved)
    except SyntaxError as exc:
        message = _one_line(exc)
        at = re.search(r"at (\d+):(\d+)", message)
        message = re.sub(r"\s*error at \d+:\d+:\s*", "", message)
        raise QueryError(f"malformed SPARQL: {message[:100]}", file=saved.where,
                         line=int(at.group(1)) if at else None, hint="fix the query text") from None
    if bind_error:
        raise bind_error
    return result


def _answer(db, text: str, saved: SavedQuery) -> QueryResult:
    from pyoxigraph import QueryBoolean, QuerySolutions

    answer = db.query(text, use_default_graph_as_union=True)
    if isinstance(answer, QuerySolutions):
        variables = [v.value for v in answer.variables]
        return QueryResult(variables, [tuple(solution) for solution in answer])  # None if unbound
    if isinstance(answer, QueryBoolean):
        return QueryResult([], [], form="ask", boolean=bool(answer))
    from llmkg.query.bindings import query_form

    return QueryResult([], [], form=query_form(saved.text) or "construct", triples=list(answer))


def _service_line(text: str) -> int | None:
    """The line of the query's first SERVICE call, if any (not in a string, comment or IRI)."""
    if "service" not in text.lower():
        return None
    from llmkg.query.bindings import keyword_offset

    at = keyword_offset(text, "service")
    return None if at is None else text.count("\n", 0, at) + 1


def _federated(db, text: str, saved: SavedQuery, timeout: float) -> QueryResult:
    """Run a query that calls remote services, within `timeout` seconds: Oxigraph's own
    HTTP requests have no time limit, so the query runs in a thread that is left behind
    (a daemon, ended with the process) when it takes too long."""
    import threading

    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["result"] = _answer(db, text, saved)
        except BaseException as exc:  # handed to the caller's thread without its frames:
            outcome["error"] = exc.with_traceback(None)  # pyoxigraph's results may not leave this one

    worker = threading.Thread(target=work, name="llmkg-federated-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryError(f"the federated query did not finish within {timeout:g} s", file=saved.where,
                         hint="raise --timeout, or check the services it calls")
    error = outcome.get("error")
    if isinstance(error, (OSError, RuntimeError)):
        from llmkg.errors import redact_userinfo

        raise QueryError(f"a service the query calls failed: {redact_userinfo(_one_line(error))[:300]}",
                         file=saved.where, hint="check the SERVICE endpoints it names")
    if error is not None:
        raise error
    return outcome["result"]


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def suggest_names(store, key_value: str, *, n: int = 3) -> list[str]:
    """Labels of entities whose name key is close to `key_value` (for a name that matched nothing)."""
    import difflib

    from llmkg.keys import name_key
    from llmkg.store import open_store

    db = store if hasattr(store, "query") else open_store(store)
    labels: dict[str, str] = {}
    for row in db.query(f"SELECT ?key ?label {{ ?e <{V.LLMKG}nameKey> ?key ; <{V.RDFS}label> ?label }}",
                        use_default_graph_as_union=True):
        labels.setdefault(row["key"].value, row["label"].value)
    close = difflib.get_close_matches(name_key(key_value), list(labels), n=n, cutoff=0.6)
    return list(dict.fromkeys(labels[k] for k in close))
