"""Release tables of a known family: '| Version | Highlights |' with rows such as
'Orca Grand 4.6 | ...'. Such a table says nothing of models in its header, yet a
versioned name whose family the catalog already lists as models (its first word
is a sure model's first word) is a model too: a table of a family's releases.

The families are those of the models extracted before the table (tables are read
after a chunk's entries), so a family and its release table read alike whole or
in chunks as long as they share a section.
"""

from __future__ import annotations

import re

from llmkg.ingest import evidence as E
from llmkg.ingest import facts as F
from llmkg.ingest import names as N
from llmkg.ingest.entry_facts import _org, _section

# a cell is a name, not a sentence: a few words
MAX_RELEASE_NAME_WORDS = 4


def known_families(ex) -> set[str]:
    """First name tokens of the sure models extracted so far ('orca' for 'Orca 4')."""
    return {N.name_tokens(r.name)[0] for r in ex.out.records
            if r.kind == "model" and not r.tentative and N.name_tokens(r.name) and E.versioned(r.name)}


def family_release_rows(ex, table) -> None:
    """Each row's cells that hold a versioned name of a known family become models,
    with the row's date and the maker of the heading above the table."""
    if ex.families is None:  # once per chunk: a catalog of many tables stays linear
        ex.families = known_families(ex)
    families = ex.families
    if not families:
        return
    section = table.headings[-1].text if table.headings else None
    maker = next((ex.heading_maker[h.line].name for h in reversed(table.headings)
                  if h.line in ex.heading_maker and ex.heading_maker[h.line].known), None)
    for row in table.rows:
        cells = [re.sub(r"[*_`]+", "", N.strip_symbols(c.text)).strip() for c in row.cells]
        names = [c for c in cells if _release_name(c, families, ex.lex)]
        if not names:
            continue
        # "Feb 2026: longer agentic tasks": a date may share its cell with words
        dates = [d for c in cells if c not in names for piece in re.split(r"[:;,]", c)
                 for d in F.find_dates(f"[{piece.strip()}]")]
        for name in names:
            record = ex._record("model", name, row.line)
            if section:
                record.add("inSection", _section(section), row.line)
            if maker:
                record.add("developedBy", _org(maker), row.line)
            if dates and dates[0].value.lexical <= F.today():
                record.add("releaseDate", dates[0].value, row.line)


def _release_name(cell: str, families: set[str], lex) -> bool:
    tokens = N.name_tokens(cell)
    return bool(tokens) and tokens[0] in families and E.versioned(cell) \
        and len(N.words(cell)) <= MAX_RELEASE_NAME_WORDS and N.looks_like_name(cell, strict=True) \
        and not E.reads_as_title(cell, lex) and not F.find_dates(f"[{cell}]")
