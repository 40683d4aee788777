"""Stage 2: parsed catalog -> typed records, each fact with its source line.

An entry is a list item (or a table row). Groups of entries under a short
heading bullet are organisations ("- Meta" + numbered models) or topics
("- Gemma series"). Within an entry, the names, sizes, dates, links and
lineage phrases become facts of a Model record; every arXiv link anywhere
becomes a Paper record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from llmkg.ingest import facts as F
from llmkg.ingest import names as N
from llmkg.keys import key
from llmkg.ingest.lexicon import Lexicon, load_lexicon
from llmkg.ingest.parse import Catalog, Chunk, Item, Link, parse_text
from llmkg.ingest.records import Extraction, Problem, Record, Ref


def extract(catalog: Catalog, lexicon: Lexicon | None = None) -> Extraction:
    return _Extractor(catalog, lexicon or load_lexicon()).run()


def extract_chunk(chunk: Chunk) -> Extraction:
    """Parse and extract one chunk of a catalog (runs in a worker process)."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()  # millions of acyclic objects: see build._without_gc
    try:
        catalog = parse_text(chunk.text, path=chunk.path, first_line=chunk.first_line,
                             headings=chunk.headings)
        return extract(catalog)
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class _Context:
    section: str | None  # innermost heading text
    org: str | None
    topic: str | None
    model_section: bool


class _Extractor:
    def __init__(self, catalog: Catalog, lexicon: Lexicon) -> None:
        self.cat = catalog
        self.lex = lexicon
        self.out = Extraction(catalog.name, [], [])
        self.group_of: dict[int, tuple[str, str]] = {}  # item index -> ("org"|"topic", name)

    # -- driver ---------------------------------------------------------------
    def run(self) -> Extraction:
        self._sections()
        for index, item in enumerate(self.cat.items):
            self._papers(item.text, item.links, item)
            if item.kind != "item":
                continue
            ctx = self._context(item)
            if self._group(index, item, ctx):
                continue
            if ctx.model_section:
                self._entry(item, ctx)
        for table in self.cat.tables:
            self._table(table)
        # in line order, so that a catalog gives the same records whole or in chunks
        # (a label is the first spelling seen)
        self.out.records.sort(key=lambda r: r.line)
        return self.out

    def _record(self, kind: str, name: str, line: int, **kw) -> Record:
        record = Record(kind, name, line, self.cat.name, **kw)
        self.out.records.append(record)
        return record

    def _problem(self, item_line: int, reason: str, text: str, partial: bool = False) -> None:
        self.out.problems.append(Problem(self.cat.name, item_line, reason, text.strip(), partial))

    # -- sections and groups ----------------------------------------------------
    def _sections(self) -> None:
        stack = list(self.cat.context)
        for heading in self.cat.headings:
            while stack and stack[-1].level >= heading.level:
                stack.pop()
            section = self._record("section", heading.text, heading.line)
            if stack:
                section.add("broader", Ref("section", stack[-1].text), heading.line)
            stack.append(heading)

    def _context(self, item: Item) -> _Context:
        section = item.headings[-1].text if item.headings else None
        model_section = not (section and self.lex.non_model_sections.search(section))
        org = topic = None
        parent = item.parent
        while parent is not None:
            kind, name = self.group_of.get(parent, (None, None))
            if kind == "org" and org is None:
                org = name
            if kind == "topic" and topic is None:
                topic = name
            parent = self.cat.items[parent].parent
        return _Context(section, org, topic, model_section)

    def _group(self, index: int, item: Item, ctx: _Context) -> bool:
        """A bullet that heads nested entries and names no model itself."""
        if not item.children or F.find_dates(item.text):
            return False
        if any(not self.lex.is_generic_link(link.text) for link in item.links):
            return False
        label = re.sub(r"\s+", " ", item.text).strip().rstrip(".:")
        if not label:
            return False
        bare = N.strip_parens(label)
        org = self.lex.organization(bare)
        looks_like_org = (len(N.words(bare)) <= 3 and bare[:1].isupper()
                          and not self.lex.topic_words.search(bare) and not item.links)
        if org or looks_like_org:
            name = org.name if org else bare
            record = self._record("organization", name, item.line)
            for alias in [bare, *re.findall(r"\((?:aka\.?\s*)?([^)]+)\)", label)]:
                if alias != name:
                    record.aliases.append(alias)
            self.group_of[index] = ("org", name)
        else:
            record = self._record("section", label, item.line)
            if ctx.topic or ctx.section:
                parent = ctx.topic or ctx.section
                record.add("broader", Ref("section", parent), item.line)
            self.group_of[index] = ("topic", label)
        return True

    # -- papers -----------------------------------------------------------------
    def _papers(self, text: str, links: tuple[Link, ...], item: Item | None, line: int = 0) -> None:
        """Every arXiv link is a Paper; it takes a date only where it is what the entry is about."""
        dates = F.find_dates(text)
        spans = self._segments(item) if item is not None else [(0, len(text))]
        for link in links:
            arxiv = F.arxiv_id(link.url)
            if not arxiv:
                continue
            title = link.text
            generic = self.lex.is_generic_link(title)
            if generic:
                after = re.match(r"\s*:\s*([^\[]+?)(?:\s*\[|$)", text[link.end:])
                title = after.group(1).strip().rstrip(".") if after else f"arXiv:{arxiv}"
            paper = self._record("paper", title, link.line or line, identity=arxiv)
            paper.add("arxivId", arxiv, link.line or line)
            start, end = next(((a, b) for a, b in spans if a <= link.start < b), (0, len(text)))
            named_before = any(o.start < link.start and start <= o.start and not self.lex.is_generic_link(o.text)
                               for o in links)
            if not generic and named_before:
                continue  # "GroundingDINO + [SAM](arxiv)" inside another entry: not dated by it
            seg_dates = [d for d in dates if start <= d.start < end and d.value.lexical <= F.today()]
            date = next((d for d in seg_dates if d.start >= link.end), None) or \
                (seg_dates[0] if seg_dates else None)
            if date:
                paper.add("publicationDate", date.value, item.line_at(date.start) if item else line)

    # -- model entries ------------------------------------------------------------
    def _entry(self, item: Item, ctx: _Context) -> None:
        text = item.text
        if not text.strip():
            return
        for start, end in self._segments(item):
            seg = text[start:end]
            links = [lk for lk in item.links if start <= lk.start < end]
            named = self._names(seg, start, links)
            if named is None:
                if any(F.is_web_url(lk.url) for lk in links) or F.find_dates(seg):
                    if any(F.arxiv_id(lk.url) for lk in links):
                        self.out.resources += 1  # a paper entry, recorded as a Paper
                    else:
                        self._problem(item.line_at(start), "no model name found", seg)
                    for org, at in prose_organizations(seg):  # "Upstage's 70B Language Model ..."
                        known = self.lex.organization(org)
                        self._record("organization", known.name if known else org, item.line_at(start + at))
                continue
            names, title_link, desc_at, org_in_title = named
            desc = seg[desc_at - start:]
            for link in links:  # "[[cnt](...)]: Benchmarking ...": skip citation links
                if self.lex.is_generic_link(link.text) and link.start >= desc_at:
                    desc = desc.replace(link.text, "", 1)
            if self._is_resource(names[0].label, desc.lstrip(" :-[]/"), title_link):
                listed = self._named_in_resource(names[0].label, seg, desc_at - start)
                if not listed:
                    self.out.resources += 1
                    continue
                names, title_link, org_in_title = listed, None, None
            self._models(item, ctx, names, seg, start, links, title_link, org_in_title)

    def _segments(self, item: Item) -> list[tuple[int, int]]:
        """Split 'A: ... [date] / B: ... [date]' into one span per entry."""
        cuts = [0]
        for link in item.links:
            if self.lex.is_generic_link(link.text) or link.start == 0:
                continue
            before = item.text[max(0, link.start - 3):link.start]
            if re.search(r"/\s*$", before) and "/" not in link.text:
                cuts.append(link.start)
        cuts.append(len(item.text))
        return [(a, b) for a, b in zip(cuts, cuts[1:]) if item.text[a:b].strip()]

    def _names(self, seg: str, offset: int, links: list[Link]):
        """(names, title link, offset where the description starts, org named in title) or None."""
        lead = seg[: links[0].start - offset] if links else seg
        first = links[0] if links else None
        # "[Qwen series](...) > [Qwen2](...)": the last crumb names the entry
        while first and len(links) > 1 and re.fullmatch(
                r"\s*>\s*", seg[first.end - offset: links[1].start - offset]):
            links = links[1:]
            first = links[0]
        if first and not lead.strip(" -*>") and not self.lex.is_generic_link(first.text):
            names, org = N.clean_title(first.text, self.lex)
            if N.looks_like_name(names[0].label, strict=False):
                return names, first, first.end, org
            # "[A Long Paper Title](arxiv): TemporalVLM, a video LLM ...": the name opens the text
            m = re.match(r"\s*:?\s*([A-Z][\w.\-]*\d?[\w.\-]*)(?:,\s+(?:a|an|the)\s|\s+is\s+(?:a|an|the)\s)",
                         seg[first.end - offset:])
            if m and N.looks_like_name(m.group(1), strict=True) and not self.lex.organization(m.group(1)):
                at = first.end + m.end(1)
                return [N.Name(m.group(1), aliases=[first.text])], first, at, org
            return None
        head = re.split(r"\[|:|\s-\s", lead, maxsplit=1)[0].strip()
        if N.looks_like_name(head, strict=True):
            names, org = N.clean_title(head, self.lex)
            return names, None, offset + len(head), org
        listed = re.search(r"models?\s*\(([^)]*,[^)]*)\)", seg)
        if listed:  # "open-weights models (Mistral 7B, Mixtral 8x7B, NeMo)"
            groups = re.findall(r"models?\s*\(([^)]*,[^)]*)\)", seg)
            parts = [p for g in groups for p in N.split_list(g)]
            if parts and all(N.looks_like_name(p, strict=True) for p in parts):
                return [N.Name(p) for p in parts], None, offset + listed.start(), None
        parts = N.split_list(head) if "," in head else []
        if len(parts) > 1 and all(N.looks_like_name(N.strip_parens(p), strict=True)
                                  and len(N.words(N.strip_parens(p))) <= 3 for p in parts):
            out, at = [], 0
            for part in parts:  # each name with its span: "phi-3 (7b)" keeps its size
                at = head.find(part, at)
                out.append(N.Name(N.strip_parens(part), start=at, end=at + len(part)))
                at += len(part)
            return out, None, offset, None
        for link in links:
            if not self.lex.is_generic_link(link.text):
                names, org = N.clean_title(link.text, self.lex)
                if N.looks_like_name(names[0].label, strict=False):
                    return names, link, link.end, org
                break
        return None

    def _is_resource(self, name: str, desc: str, link: Link | None) -> bool:
        if self.lex.resource_words.search(name):
            return True
        if desc.lstrip(" :-").lower().startswith(self.lex.resource_starts):
            return True
        if link and re.search(r"/(?:library|leaderboard|spaces)(?:/|\?|$)", link.url):
            return True
        rest = [w for w in N.name_tokens(re.sub(r"'s\b", "", name))
                if w not in self.lex.generic_name_words and not self.lex.organization(w)]
        return not rest

    def _named_in_resource(self, title: str, seg: str, desc_at: int) -> list[N.Name]:
        """Models a resource entry names in its text: "ERNIE Bot's website: ERNIE X1 (...) and ERNIE 4.5 (...)".

        Only `Name (description)` items whose first word is the title's first word.
        """
        first = N.words(title)[:1]
        if not first:
            return []
        stem = re.sub(r"'s$", "", first[0]).lower()
        out = []
        for m in re.finditer(r"(?:^|[:,;]\s*|\band\s+)([A-Z][\w.\-]*(?:\s+[\w.\-]+){0,3}?)\s*\(", seg[desc_at:]):
            name = m.group(1).strip()
            if N.words(name)[0].lower() == stem and N.looks_like_name(name, strict=True) \
                    and key(name) != key(title):
                at = desc_at + m.start(1)
                out.append(N.Name(name, start=at, end=at + len(name)))
        return out

    def _models(self, item, ctx, names, seg, offset, links, title_link, org_in_title) -> None:
        EntryFacts(self, item, ctx, names, seg, offset, links, title_link, org_in_title).emit()

    def _table(self, table) -> None:
        table_rows(self, table)


from llmkg.ingest.entry_facts import EntryFacts, prose_organizations, table_rows  # noqa: E402  (they call back into _Extractor)
