"""Rows of comparison tables: architectures, or models with their facts.

A table lists models when its header names a models column or model facts
(parameters, experts, context, release, architecture). The models column
(the one headed "Model", else the first) may name several models in a cell:
'DeepSeek V3 / R1' (the second takes the first one's family), 'Aa (32B),
Bb (7M)' (each with its own size). 'Qwen3 (Dense)' and 'Qwen3 (MoE)' are
rows of the one model Qwen3. A table whose header cells are model names
('| Feature | GPT-2 | GPT-OSS |') lists a model per column.
"""

from __future__ import annotations

import bisect

import re

from llmkg.ingest import columns as C
from llmkg.ingest import facts as F
from llmkg.ingest import makers as M
from llmkg.ingest import names as N
from llmkg.ingest.entry_facts import _arch, _iri, _org, _section
from llmkg.ingest.licenses import cell_licenses, spdx_licenses
from llmkg.ingest.records import Ref

# 'Aa (32B)': a name with its size in parentheses, in a list. The name starts after a
# separator (a lookbehind) and runs greedily to the '(' (its trailing spaces stripped
# after): tried from every character, or lazily across a run of spaces, a long cell
# was quadratic.
_SIZED_NAME = re.compile(r"(?<![^,;()])([^,;()]+)\(\s*(\d+(?:\.\d+)?\s*[BMT])\s*\)", re.I)
_FEATURE_HEADERS = {"feature", "features", "aspect", "attribute", "property", "criteria", "criterion",
                    "spec", "specs", "category", "dimension", ""}


def table_rows(ex, table) -> None:
    """Rows of a comparison table: architectures, or models with their facts."""
    if _transposed(ex, table):
        _columns(ex, table)
        return
    layout = C.read_layout(table.header, table.headings)
    name_col = layout.index("name") or 0
    section = table.headings[-1].text if table.headings else None
    maker = heading_maker(ex, table)
    if maker and section and ex.lex.organization(M.plain_label(section)) and \
            ex.lex.organization(M.plain_label(section)).name == maker:
        section = None  # the maker's own heading is no section (as for its entries)
    if layout.lists == "unknown":  # a table of a known family's releases (ingest/releases.py)
        from llmkg.ingest.releases import family_release_rows

        family_release_rows(ex, table)
    for row in table.rows:
        if len(row.cells) <= name_col or not C.clean(row.cells[name_col].text).strip():
            continue
        cells = [C.clean(c.text).strip() for c in row.cells]
        # every arXiv link is a Paper, in a table of datasets too
        ex._papers(" ".join(cells), tuple(lk for c in row.cells for lk in c.links), None, row.line)
        arch = ex.lex.architecture(cells[0])
        if arch and layout.lists != "other":
            ex._record("architecture", arch.name, row.line, aliases=[cells[0]])
            continue
        if layout.lists != "models":
            continue
        _model_row(ex, layout, row, cells, name_col, section, maker)


def heading_maker(ex, table) -> str | None:
    """The maker the innermost maker heading over the table names ('#### **Anthropic**'),
    unless a maker's group of entries stands between that heading and the table (the
    table may be that group's: it says nothing then)."""
    heading = next((h for h in reversed(table.headings)
                    if h.line in ex.heading_maker and ex.heading_maker[h.line].known), None)
    if heading is None:
        return None
    if ex.org_group_lines is None:  # once per chunk, searched by bisection: many tables stay linear
        ex.org_group_lines = sorted(ex.cat.items[i].line for i, (kind, _) in ex.group_of.items() if kind == "org")
    at = bisect.bisect_right(ex.org_group_lines, heading.line)
    if at < len(ex.org_group_lines) and ex.org_group_lines[at] < table.line:
        return None
    return ex.heading_maker[heading.line].name


def _model_row(ex, layout: C.Layout, row, cells: list[str], name_col: int, section,
               maker: str | None = None) -> None:
    """The models a row names, each with the facts of the row's columns."""
    def cell(kind):
        i = layout.index(kind)
        return cells[i] if i is not None and i < len(cells) else ""

    active_col = layout.index("active")
    others = " ".join(c for i, c in enumerate(cells) if i not in (name_col, active_col))
    linked = C.maker_from_links([*C.cell_links(row, layout, ("checkpoints", "name", "paper")),
                                 *row.cells[name_col].links], ex.lex)
    for name, sizes, org in _row_models(ex.lex, cells[name_col], cell("params"), layout.unit("params")):
        record = ex._record("model", name.label, row.line, aliases=list(name.aliases))
        if section:
            record.add("inSection", _section(section), row.line)
        for value in [*sizes, *(f.value for f in F.find_sizes(name.label))]:
            record.add("parameterCount", value, row.line)
        for value in C.cell_sizes(cell("active"), layout.unit("active")):
            record.add("activeParameterCount", value, row.line)
        moe_text = cell("moe")
        if moe_text.lower().startswith("yes") or re.search(r"\d+\s*experts", moe_text, re.I):
            record.add("hasArchitecture", _arch("Mixture of Experts"), row.line)
        active, total = F.find_active_and_total(others)
        for f in active:
            record.add("activeParameterCount", f.value, row.line)
        for f in total:
            record.add("parameterCount", f.value, row.line)
        for value in C.cell_contexts(cell("context"), layout.unit("context"), layout.binary_k):
            record.add("contextLength", value, row.line)
        date = C.cell_date(cell("date")) if cell("date") else None
        if date:
            record.add("releaseDate", date, row.line)
        i = layout.index("license")
        if i is not None and i < len(row.cells):
            for value in cell_licenses(cells[i], row.cells[i].links):
                record.add("license", value, row.line)
        org_name = cell("organization") or org or linked or maker
        if org_name:
            known = ex.lex.organization(org_name)
            record.add("developedBy", _org(known.name if known else org_name), row.line)
        for a in ex.lex.architectures:
            if a.pattern.search(cell("architecture")):
                record.add("hasArchitecture", _arch(a.name), row.line)
        for link in C.own_links(row, layout):
            arxiv, repo = F.arxiv_id(link.url), F.repository(link.url)
            if arxiv:
                record.add("describedIn", Ref("paper", arxiv), row.line)
            elif repo:
                record.add("repository", _iri(repo), row.line)


# A cell names a few models ('Aa (32B), Bb (7M)'); each takes the row's facts and links,
# so a cell naming thousands would make facts by the million (quadratic in the line).
MAX_CELL_MODELS = 32


def _row_models(lex, name_cell: str, size_cell: str, unit: int | None = None) -> list[tuple[N.Name, list[int], str | None]]:
    """(name, sizes, organisation) of each model a row names.

    'Aa (32B), Bb (7M)' pairs each name with its size; 'Gemma 3 / 3n' with
    '27B / 4B' pairs in order; otherwise every name takes every size.
    """
    sized = _SIZED_NAME.findall(name_cell)
    if len(sized) > 1:
        out = []
        for raw, size in sized[:MAX_CELL_MODELS]:
            names, org = N.clean_title(raw.strip(), lex)
            out.append((names[0], [f.value for f in F.find_sizes(size)], org))
        return out
    names, org = N.clean_title(name_cell, lex)
    sizes = _cell_sizes(size_cell, unit)
    parts = [p for p in re.split(r"\s*/\s*", size_cell) if p.strip()]
    names = names[:MAX_CELL_MODELS]
    if len(names) > 1 and len(parts) == len(names):
        return [(name, _cell_sizes(part, unit), org) for name, part in zip(names, parts)]
    return [(name, sizes, org) for name in names]


def _transposed(ex, table) -> bool:
    """'| Feature | GPT-2 | GPT-OSS |': the header names models, the first column features."""
    header = table.header
    if len(header) < 2 or header[0].strip().lower() not in _FEATURE_HEADERS:
        return False
    names = header[1:]
    return all(N.looks_like_name(h, strict=True) for h in names) and \
        2 * sum(bool(re.search(r"\d", h)) for h in names) >= len(names)


def _columns(ex, table) -> None:
    """A model per column of a transposed table: its sizes, architectures and SPDX licences."""
    section = table.headings[-1].text if table.headings else None
    for j, heading in enumerate(table.header[1:], start=1):
        names, _ = N.clean_title(heading, ex.lex)
        record = ex._record("model", names[0].label, table.line, aliases=list(names[0].aliases))
        if section:
            record.add("inSection", _section(section), table.line)
        for row in table.rows:
            text = row.cells[j].text if j < len(row.cells) else ""
            for f in F.find_sizes(text):
                record.add("parameterCount", f.value, row.line)
            for a in ex.lex.architectures:
                if a.pattern.search(text):
                    record.add("hasArchitecture", _arch(a.name), row.line)
            if row.cells and C.header_kind(row.cells[0].text)[0] == "license":
                for value in spdx_licenses(text):  # '| Deployment & License | MIT license |'
                    record.add("license", value, row.line)


def _cell_sizes(text: str, unit: int | None) -> list[int]:
    """A size cell's sizes: as written where the cell writes units ('671B', '0.6-32B'),
    else its bare numbers in the header's unit ('Params (B)': '7, 13, 70')."""
    written = _ranged_sizes(text)
    return written if written or unit is None else C.cell_sizes(text, unit)


def _ranged_sizes(text: str) -> list[int]:
    """'671B' -> [671e9]; '0.6-32B', '0.135-270M' and '30B-235B' -> both ends (F.range_ends);
    '7B, 70B' -> both."""
    return [f.value for f in F.find_sizes(text)]
