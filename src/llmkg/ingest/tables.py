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

import re

from llmkg.ingest import facts as F
from llmkg.ingest import names as N
from llmkg.ingest.entry_facts import _arch, _iri, _org, _section
from llmkg.ingest.records import Ref

_RANGE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*([BMT])?\s*[-~]\s*(\d+(?:\.\d+)?)\s*([BMT])\b", re.I)
# 'Aa (32B)': a name with its size in parentheses, in a list. The name starts after a
# separator (a lookbehind) and runs greedily to the '(' (its trailing spaces stripped
# after): tried from every character, or lazily across a run of spaces, a long cell
# was quadratic.
_SIZED_NAME = re.compile(r"(?<![^,;()])([^,;()]+)\(\s*(\d+(?:\.\d+)?\s*[BMT])\s*\)", re.I)
_FEATURE_HEADERS = {"feature", "features", "aspect", "attribute", "property", "criteria", "criterion",
                    "spec", "specs", "category", "dimension", ""}


def table_rows(ex, table) -> None:
    """Rows of a comparison table: architectures, or models with their facts."""
    header = [h.lower() for h in table.header]

    def col(*words) -> int | None:
        return next((i for i, h in enumerate(header) if any(w in h for w in words)), None)

    if _transposed(ex, table):
        _columns(ex, table)
        return
    params, moe, ctx_col, date_col = col("param", "size"), col("moe", "expert"), col("context"), \
        col("release", "date")
    org_col, arch_col = col("organi", "developer", "company", "lab", "vendor"), col("architecture")
    name_col = next((i for i, h in enumerate(header) if re.match(r"\W*(?:models?|llms?|name)\b", h)), 0)
    section = table.headings[-1].text if table.headings else None
    model_table = name_col != 0 or any(c is not None for c in (params, moe, ctx_col, date_col, arch_col)) \
        or (header and re.match(r"\W*(?:models?|llms?)\W*$", header[0]))
    if not model_table:  # a table of a known family's releases (ingest/releases.py)
        from llmkg.ingest.releases import family_release_rows

        family_release_rows(ex, table)
    for row in table.rows:
        if len(row.cells) <= name_col or not row.cells[name_col].text:
            continue
        cells = [c.text for c in row.cells]
        arch = ex.lex.architecture(cells[0])
        if arch:
            ex._record("architecture", arch.name, row.line, aliases=[cells[0]])
            continue
        if not model_table:
            continue

        def cell(i):
            return cells[i] if i is not None and i < len(cells) else ""

        others = " ".join(c for i, c in enumerate(cells) if i != name_col)
        for name, sizes, org in _row_models(ex.lex, cell(name_col), cell(params)):
            record = ex._record("model", name.label, row.line, aliases=list(name.aliases))
            if section:
                record.add("inSection", _section(section), row.line)
            for value in sizes:
                record.add("parameterCount", value, row.line)
            moe_text = cell(moe)
            if moe_text.lower().startswith("yes") or re.search(r"\d+\s*experts", moe_text, re.I):
                record.add("hasArchitecture", _arch("Mixture of Experts"), row.line)
            active, total = F.find_active_and_total(others)
            for f in active:
                record.add("activeParameterCount", f.value, row.line)
            for f in total:
                record.add("parameterCount", f.value, row.line)
            for f in F.find_context_lengths(cell(ctx_col) + " context" if cell(ctx_col) else ""):
                record.add("contextLength", f.value, row.line)
            for f in F.find_dates(f"[{cell(date_col)}]" if cell(date_col) else ""):
                record.add("releaseDate", f.value, row.line)
            org_name = cell(org_col) or org
            if org_name:
                known = ex.lex.organization(org_name)
                record.add("developedBy", _org(known.name if known else org_name), row.line)
            for a in ex.lex.architectures:
                if a.pattern.search(cell(arch_col)):
                    record.add("hasArchitecture", _arch(a.name), row.line)
            for cell_ in row.cells:
                for link in cell_.links:
                    arxiv, repo = F.arxiv_id(link.url), F.repository(link.url)
                    if arxiv:
                        record.add("describedIn", Ref("paper", arxiv), row.line)
                    elif repo:
                        record.add("repository", _iri(repo), row.line)
        ex._papers(" ".join(cells), tuple(lk for c in row.cells for lk in c.links), None, row.line)


# A cell names a few models ('Aa (32B), Bb (7M)'); each takes the row's facts and links,
# so a cell naming thousands would make facts by the million (quadratic in the line).
MAX_CELL_MODELS = 32


def _row_models(lex, name_cell: str, size_cell: str) -> list[tuple[N.Name, list[int], str | None]]:
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
    sizes = _ranged_sizes(size_cell)
    parts = [p for p in re.split(r"\s*/\s*", size_cell) if p.strip()]
    names = names[:MAX_CELL_MODELS]
    if len(names) > 1 and len(parts) == len(names):
        return [(name, _ranged_sizes(part), org) for name, part in zip(names, parts)]
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
    """A model per column of a transposed table: its sizes and architectures."""
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


def _ranged_sizes(text: str) -> list[int]:
    """'671B' -> [671e9]; '0.6-32B' and '30B-235B' -> both ends; '7B, 70B' -> both."""
    out = []
    for m in _RANGE.finditer(text):
        out += [F.amount(m.group(1), m.group(2) or m.group(4)), F.amount(m.group(3), m.group(4))]
    out += [f.value for f in F.find_sizes(_RANGE.sub(" ", text))]
    return out
