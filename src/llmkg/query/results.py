"""What a query gives, and how it is written out.

SELECT rows as a table for people (IRIs compacted with the project's
prefixes, numbers right-aligned, fitted to a width), as SPARQL 1.1 CSV
(plain values for a spreadsheet), TSV (terms in N-Triples syntax) or JSON
results; ASK as true/false; CONSTRUCT and DESCRIBE as sorted RDF (Turtle,
N-Triples or JSON-LD). The width comes from the caller: only the CLI knows
about terminals.
"""

from __future__ import annotations

import re

from llmkg import vocab as V
from llmkg.errors import QueryError, printable

ROW_FORMATS = ("table", "csv", "tsv", "json")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld")
OUTPUT_FORMATS = ROW_FORMATS + GRAPH_FORMATS

_NUMERIC = {V.XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short",
                                 "byte", "nonNegativeInteger", "positiveInteger", "negativeInteger",
                                 "nonPositiveInteger", "unsignedLong", "unsignedInt",
                                 "unsignedShort", "unsignedByte")}


class QueryResult:
    """What a query gave: `form` is 'select', 'ask', 'construct' or 'describe'.

    SELECT: projected `variables` and `rows` of pyoxigraph terms (None where
    unbound); ASK: `boolean`; CONSTRUCT and DESCRIBE: `triples`.
    `unmatched` lists the (parameter, value) pairs of `name` parameters that
    name no entity, so that an empty answer can say why.
    """

    __slots__ = ("form", "variables", "rows", "boolean", "triples", "unmatched")

    def __init__(self, variables: list[str], rows: list[tuple], *, form: str = "select",
                 boolean: bool | None = None, triples: list | None = None) -> None:
        self.form, self.variables, self.rows = form, variables, rows
        self.boolean, self.triples = boolean, triples if triples is not None else []
        self.unmatched: list[tuple[str, str]] = []


def render(result: QueryResult, fmt: str | None = None, *, width: int | None = None) -> str | bytes:
    """`result` in `fmt` (default: table, or Turtle for triples); a table is
    fitted to `width` columns when given. RDF comes back as bytes."""
    graph = result.form in ("construct", "describe")
    fmt = fmt or ("turtle" if graph else "table")
    if fmt not in OUTPUT_FORMATS:
        raise QueryError(f"unknown output format '{fmt}'", hint=f"use one of: {', '.join(OUTPUT_FORMATS)}")
    if graph:
        if fmt not in GRAPH_FORMATS:
            raise QueryError(f"a {result.form.upper()} query gives RDF, not {fmt}",
                             hint=f"use --format {', '.join(GRAPH_FORMATS)}")
        from llmkg.publish.export import serialize_triples
        from llmkg.publish.formats import by_name

        return serialize_triples(result.triples, by_name(fmt))
    if fmt in GRAPH_FORMATS:
        raise QueryError(f"{fmt} is for CONSTRUCT and DESCRIBE queries; this one is {result.form.upper()}",
                         hint=f"use --format {', '.join(ROW_FORMATS)}")
    if result.form == "ask":
        if fmt == "json":  # SPARQL 1.1 JSON results
            return '{"head": {}, "boolean": %s}\n' % ("true" if result.boolean else "false")
        return ("true" if result.boolean else "false") + "\n"
    if fmt == "csv":
        return _csv(result)
    if fmt == "tsv":  # SPARQL 1.1 TSV results: N-Triples terms
        lines = ["\t".join("?" + v for v in result.variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
        return "\n".join(lines) + "\n"
    if fmt == "json":
        return _json(result)
    return table(result, width=width)


def _csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV results: plain values (IRIs, lexical forms), CRLF lines."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    writer.writerows(["" if t is None else t.value for t in row] for row in result.rows)
    return out.getvalue()


def _json(result: QueryResult) -> str:
    return json_results(result)


def json_results(result: QueryResult, *, head: dict | None = None, indent: int | None = 1) -> str:
    """SPARQL 1.1 JSON results; `head` adds members to the head (`llmkg serve`'s limit notice)."""
    import json

    return json.dumps({"head": {"vars": result.variables, **(head or {})},
                       "results": {"bindings": [
                           {v: _json_term(t) for v, t in zip(result.variables, row) if t is not None}
                           for row in result.rows]}}, indent=indent, ensure_ascii=False) + "\n"


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


# --- the table -------------------------------------------------------------------

# The prefixes of llmkg's own dumps and of the ontology file (foaf, vann), and
# names for the source lines and catalogs every provenance row shows;
# the longest namespace wins.
DISPLAY_PREFIXES = sorted({**V.PREFIXES, "foaf": "http://xmlns.com/foaf/0.1/",
                           "vann": "http://purl.org/vocab/vann/",
                           "source": V.ID + V.SOURCE + "/", "catalog": V.ID + V.CATALOG + "/"}.items(),
                          key=lambda kv: -len(kv[1]))
MIN_COLUMN = 6


def compact(iri: str) -> str:
    """'https://w3id.org/llmkg/id/model/llama2' -> 'model:llama2' (for reading, not parsing)."""
    for prefix, ns in DISPLAY_PREFIXES:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _cell(term) -> tuple[str, bool]:
    """The text of a table cell and whether it is a number; control characters (a
    hostile endpoint's terminal escapes, a newline) are written as escapes."""
    if term is None:
        return "", False
    kind = type(term).__name__
    if kind == "NamedNode":
        return printable(compact(term.value)), False
    if kind == "Literal" and term.datatype.value in _NUMERIC:
        return printable(group_digits(term.value)), True
    return printable(term.value), False


def group_digits(lexical: str) -> str:
    """'7000000000' -> '7,000,000,000'; numbers of four digits or fewer (years,
    line numbers) stay as they are, as in SI and Chicago style."""
    m = re.fullmatch(r"([+-]?)(\d+)(\.\d*)?", lexical)
    if not m or len(m.group(2)) < 5:
        return lexical
    return f"{m.group(1)}{int(m.group(2)):,}{m.group(3) or ''}"


def table(result: QueryResult, *, width: int | None = None) -> str:
    """Aligned columns, numbers to the right; the widest columns are clipped (…)
    until a line fits `width`."""
    cells = [[_cell(t) for t in row] for row in result.rows]
    names = [printable(v) for v in result.variables]
    numeric = [bool(cells) and all(c[i][1] or not c[i][0] for c in cells) and any(c[i][1] for c in cells)
               for i in range(len(names))]
    widths = [max([len(v)] + [len(r[i][0]) for r in cells]) for i, v in enumerate(names)]
    if width:
        widths = _fit(widths, width - 2 * (len(widths) - 1))

    def line(values):
        return "  ".join((_clip(v, w).rjust(w) if right else _clip(v, w).ljust(w))
                         for v, w, right in zip(values, widths, numeric)).rstrip()

    rows = [line(names), line(["-" * w for w in widths])]
    rows += [line([text for text, _ in r]) for r in cells]
    rows.append(f"({len(result.rows):,} row{'s' if len(result.rows) != 1 else ''})")
    return "\n".join(rows) + "\n"


def _fit(widths: list[int], room: int) -> list[int]:
    """Cap the widest columns at the largest width (at least MIN_COLUMN) that fits `room`."""
    if sum(widths) <= room:
        return widths
    low, high = MIN_COLUMN, max(widths)
    while low < high:
        cap = (low + high + 1) // 2
        if sum(min(w, cap) for w in widths) <= room:
            low = cap
        else:
            high = cap - 1
    return [min(w, low) for w in widths]


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
