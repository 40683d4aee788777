"""Rows of comparison tables: architectures, or models with their facts.

A table whose header names model facts (parameters, experts, context,
release, architecture) lists models in its first column; a cell may name
several ('DeepSeek V3 / R1', 'Qwen3 (MoE)').
"""

from __future__ import annotations

import re

from llmkg.ingest import facts as F
from llmkg.ingest import names as N
from llmkg.ingest.entry_facts import _arch, _iri, _org, _section
from llmkg.ingest.records import Ref


def table_rows(ex, table) -> None:
    """Rows of a comparison table: architectures, or models with their facts."""
    header = [h.lower() for h in table.header]

    def col(*words) -> int | None:
        return next((i for i, h in enumerate(header) if any(w in h for w in words)), None)

    params, moe, ctx_col, date_col = col("param", "size"), col("moe", "expert"), col("context"), \
        col("release", "date")
    org_col, arch_col = col("organi", "developer", "company", "lab", "vendor"), col("architecture")
    section = table.headings[-1].text if table.headings else None
    model_table = any(c is not None for c in (params, moe, ctx_col, date_col, arch_col))
    for row in table.rows:
        if not row.cells or not row.cells[0].text:
            continue
        cells = [c.text for c in row.cells]
        arch = ex.lex.architecture(cells[0])
        if arch:
            ex._record("architecture", arch.name, row.line, aliases=[cells[0]])
            continue
        if not model_table:
            continue
        names, org = N.clean_title(cells[0], ex.lex)
        record = ex._record("model", names[0].label, row.line, aliases=list(names[0].aliases))
        if section:
            record.add("inSection", _section(section), row.line)

        def cell(i):
            return cells[i] if i is not None and i < len(cells) else ""

        for f in _ranged_sizes(cell(params)):
            record.add("parameterCount", f, row.line)
        moe_text = cell(moe)
        if moe_text.lower().startswith("yes") or re.search(r"\d+\s*experts", moe_text, re.I):
            record.add("hasArchitecture", _arch("Mixture of Experts"), row.line)
        active, total = F.find_active_and_total(moe_text)
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


def _ranged_sizes(text: str) -> list[int]:
    """'671B' -> [671e9]; '0.6-32B' -> [0.6e9, 32e9]; '7B, 70B' -> both."""
    out = []
    for m in re.finditer(r"(\d+(?:\.\d+)?)\s*[-–~]\s*(\d+(?:\.\d+)?)\s*([BMT])\b", text, re.I):
        out += [F.amount(m.group(1), m.group(3)), F.amount(m.group(2), m.group(3))]
    text = re.sub(r"(\d+(?:\.\d+)?)\s*[-–~]\s*(\d+(?:\.\d+)?)\s*([BMT])\b", " ", text, flags=re.I)
    out += [f.value for f in F.find_sizes(text)]
    return out
