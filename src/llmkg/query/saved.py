"""Saved SPARQL queries: '#+' headers, typed parameters, execution, rendering.

A saved query is a .rq file whose '#+' comment lines declare a summary and
parameters:

    #+ summary: Models per organisation
    #+ param: year year = 2024 -- only releases in this year
    #+ param: model name = Llama 2 -- bound to its llmkg:nameKey, "llama2"

Parameters are bound as RDF terms in a VALUES block (llmkg/query/bindings.py), on
the embedded store as on a remote endpoint, never pasted in as user text.
This module imports neither rdflib nor pyshacl, so `llmkg query` starts fast.
"""

from __future__ import annotations

import re
from pathlib import Path

from llmkg import vocab as V
from llmkg.errors import QueryError

TYPES = ("string", "name", "integer", "decimal", "date", "year", "iri")
_PARAM = r"^(\w+)\s+(\w+)(?:\s*=\s*(.*?))?\s*(?:--\s*(.*))?$"  # compiled on first use (re caches it)

# Plain classes, not dataclasses: `llmkg query` imports this module on every
# run, and three dataclass definitions cost ~1.5 ms of its start-up.


class Param:
    """One `#+ param: NAME TYPE [= DEFAULT] -- description` line."""

    __slots__ = ("name", "type", "default", "description")

    def __init__(self, name: str, type: str, default: str | None, description: str) -> None:
        self.name, self.type, self.default, self.description = name, type, default, description

    @property
    def required(self) -> bool:
        return self.default is None

    def __repr__(self) -> str:
        return f"Param({self.name!r}, {self.type!r}, {self.default!r}, {self.description!r})"


class SavedQuery:
    """A .rq file: its text and the summary and parameters of its header."""

    def __init__(self, name: str, path: Path, text: str, summary: str = "",
                 params: list[Param] | None = None) -> None:
        self.name, self.path, self.text, self.summary = name, path, text, summary
        self.params = params if params is not None else []


def queries_dir() -> Path:
    from llmkg.paths import shipped

    return shipped("queries")


def parse_saved(path: Path) -> SavedQuery:
    """Read a .rq file and its '#+' header; a bad header fails loudly with file:line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"cannot read query: {exc.strerror}", file=str(path)) from None
    query = SavedQuery(path.stem, path, text)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            continue
        body = line[2:].strip()
        field_name, _, value = body.partition(":")
        field_name, value = field_name.strip().lower(), value.strip()
        if field_name == "summary":
            query.summary = value
        elif field_name == "param":
            m = re.match(_PARAM, value)
            if not m or m.group(2) not in TYPES:
                raise QueryError(f"bad parameter declaration '{value}'", file=str(path), line=number,
                                 hint=f"write '#+ param: NAME TYPE [= DEFAULT] -- text', TYPE one of "
                                      f"{', '.join(TYPES)}")
            name, type_, default, description = m.groups()
            query.params.append(Param(name, type_, default, description or ""))
        else:
            raise QueryError(f"unknown header field '{field_name}'", file=str(path), line=number,
                             hint="use '#+ summary:' or '#+ param:'")
    return query


def list_saved() -> list[SavedQuery]:
    return [parse_saved(p) for p in sorted(queries_dir().glob("*.rq"))]


def load_saved(ref: str) -> SavedQuery:
    """A saved query by name ('lineage') or by path ('queries/lineage.rq')."""
    path = Path(ref)
    if path.suffix == ".rq" or path.exists():
        if path.is_file():
            return parse_saved(path)
        shipped = queries_dir() / path.name  # "queries/X.rq" run outside the project folder
        if path.parent.name == "queries" and shipped.is_file():
            return parse_saved(shipped)
        raise QueryError("no such query file", file=ref, hint="check the path")
    candidate = queries_dir() / f"{ref}.rq"
    if candidate.is_file():
        return parse_saved(candidate)
    known = ", ".join(p.stem for p in sorted(queries_dir().glob("*.rq")))
    raise QueryError(f"unknown query '{ref}'", hint=f"run `llmkg queries` to list them ({known})")


def to_term(param: Param, value: str, *, where: str):
    """The RDF term for a parameter value of the declared type."""
    from pyoxigraph import Literal, NamedNode

    def typed(lexical: str, datatype: str):
        return Literal(lexical, datatype=NamedNode(V.XSD + datatype))

    try:
        if param.type == "string":
            return Literal(value)
        if param.type == "name":  # matched against llmkg:nameKey: one index look-up
            from llmkg.keys import name_key

            return Literal(name_key(value))
        if param.type in ("integer", "year"):
            return typed(str(int(value)), "integer")
        if param.type == "decimal":
            from decimal import Decimal

            return typed(str(Decimal(value)), "decimal")
        if param.type == "date":
            if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
                return typed(value, "date")
            if re.fullmatch(r"\d{4}-\d\d", value):
                return typed(value, "gYearMonth")
            if re.fullmatch(r"\d{4}", value):
                return typed(value, "gYear")
            raise ValueError
        return NamedNode(value)
    except (ValueError, ArithmeticError):
        article = "an" if param.type[0] in "aeiou" else "a"
        raise QueryError(f"parameter '{param.name}' needs {article} {param.type}, got '{value}'",
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
        terms[param.name] = to_term(param, value, where=str(query.path))
    return terms


def bound_text(saved: SavedQuery, values: dict[str, str]) -> str:
    """The saved query's text with its parameters bound in a VALUES block."""
    terms = bind(saved, values)
    if not terms:
        return saved.text
    from llmkg.query.bindings import bind_values

    return bind_values(saved.text, terms)


class QueryResult:
    """Projected variable names and rows of pyoxigraph terms (None where unbound)."""

    __slots__ = ("variables", "rows")

    def __init__(self, variables: list[str], rows: list[tuple]) -> None:
        self.variables, self.rows = variables, rows


def run(query: str | SavedQuery, *, store=None, endpoint: str | None = None,
        params: dict[str, str] | None = None, user: str | None = None,
        password: str | None = None) -> QueryResult:
    """Run a saved query on the embedded store, or on a remote SPARQL endpoint.

    `store` is a store directory (default: the default store) or a
    pyoxigraph.Store already open, for callers that run many queries.
    """
    saved = query if isinstance(query, SavedQuery) else load_saved(query)
    terms = bind(saved, params or {})
    if endpoint:
        from llmkg.query.endpoint import select

        variables, rows = select(endpoint, saved.text, bindings=terms, user=user, password=password)
        return QueryResult(variables, rows)
    from pyoxigraph import QuerySolutions

    from llmkg.store import open_store

    # Bound in the text, not as substitutions: Oxigraph then plans from the
    # parameters (a name look-up is an index hit, not a scan; llmkg/query/bindings.py).
    text, bind_error = saved.text, None
    if terms:
        from llmkg.query.bindings import bind_values

        try:
            text = bind_values(saved.text, terms)
        except QueryError as exc:
            bind_error = exc  # malformed: Oxigraph says where, below
    db = store if hasattr(store, "query") else open_store(store)
    try:
        solutions = db.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        message = _one_line(exc)
        at = re.search(r"at (\d+):(\d+)", message)
        message = re.sub(r"\s*error at \d+:\d+:\s*", "", message)
        raise QueryError(f"malformed SPARQL: {message[:100]}", file=str(saved.path),
                         line=int(at.group(1)) if at else None, hint="fix the query text") from None
    if bind_error:
        raise bind_error
    if not isinstance(solutions, QuerySolutions):
        raise QueryError("only SELECT queries can be saved queries", file=str(saved.path))
    variables = [v.value for v in solutions.variables]
    rows = [tuple(solution) for solution in solutions]  # in projection order, None if unbound
    return QueryResult(variables, rows)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


# --- rendering -------------------------------------------------------------------

OUTPUT_FORMATS = ("table", "csv", "tsv", "json")


def _plain(term) -> str:
    return "" if term is None else term.value


def short_term(term) -> str:
    """A term as the table shows it: a prefixed name where a prefix fits, else its value."""
    if term is None:
        return ""
    value = term.value
    if type(term).__name__ == "NamedNode":
        for prefix, ns in sorted(V.PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if value.startswith(ns) and "/" not in value[len(ns):]:
                return f"{prefix}:{value[len(ns):]}"
    return value


def render(result: QueryResult, fmt: str) -> str:
    if fmt == "csv":  # SPARQL 1.1 CSV results: plain values
        import csv  # csv and json only for their formats: the table needs neither
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(result.variables)
        writer.writerows([_plain(t) for t in row] for row in result.rows)
        return out.getvalue()
    if fmt == "tsv":  # SPARQL 1.1 TSV results: N-Triples terms
        lines = ["\t".join("?" + v for v in result.variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
        return "\n".join(lines) + "\n"
    if fmt == "json":
        return json_results(result.variables, result.rows)
    if fmt == "table":
        cells = [[short_term(t) for t in row] for row in result.rows]
        widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(result.variables)]
        widths = [min(w, 60) for w in widths]

        def line(values):
            return "  ".join(_clip(v, w).ljust(w) for v, w in zip(values, widths)).rstrip()

        rows = [line(result.variables), line(["-" * w for w in widths])]
        rows += [line(r) for r in cells]
        rows.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
        return "\n".join(rows) + "\n"
    raise QueryError(f"unknown output format '{fmt}'", hint=f"use one of: {', '.join(OUTPUT_FORMATS)}")


def json_results(variables: list[str], rows, *, head: dict | None = None, indent: int | None = 1) -> str:
    """SPARQL 1.1 JSON results; `head` adds members to the head (the server's limit notice)."""
    import json

    return json.dumps({"head": {"vars": variables, **(head or {})},
                       "results": {"bindings": [
                           {v: _json_term(t) for v, t in zip(variables, row) if t is not None}
                           for row in rows]}}, indent=indent, ensure_ascii=False) + "\n"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _json_term(term) -> dict:
    kind = type(term).__name__
    if kind == "NamedNode":
        return {"type": "uri", "value": term.value}
    if kind == "BlankNode":
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != V.XSD + "string":
        out["datatype"] = term.datatype.value
    return out
