"""Stage 2: parsed catalog -> typed records, each fact with its source line.

An entry is a list item (or a table row). Bullets that head nested entries
are groups: a maker's ("- Meta" + numbered models) or a topic ("- Gemma
series"); headings of any level can name a maker too. Every entry that names
something becomes a candidate; a candidate is a Model only when its evidence
says so (llmkg.ingest.evidence), and the ingester abstains, reporting why,
when it is unsure. Every arXiv link anywhere becomes a Paper record.
"""

from __future__ import annotations

import bisect
import re

from llmkg.ingest import evidence as E
from llmkg.ingest import facts as F
from llmkg.ingest import makers as M
from llmkg.ingest import names as N
from llmkg.ingest.lexicon import Lexicon, load_lexicon
from llmkg.ingest.parse import Catalog, Chunk, Item, Link, parse_text
from llmkg.ingest.candidates import Candidate, Context, decide, read_candidates
from llmkg.ingest.records import Extraction, Problem, Record, Ref
from llmkg.keys import key


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


# the title a generic arXiv link ("[ref](...): Title [date]") gives its paper, read from
# at most TITLE_AFTER_MAX characters: looked for to the end of the text, many links were quadratic
_TITLE_AFTER = re.compile(r"\s*:\s*([^\[]+?)(?:\s*\[|$)")
TITLE_AFTER_MAX = 1000


class _Extractor:
    def __init__(self, catalog: Catalog, lexicon: Lexicon) -> None:
        self.cat = catalog
        self.lex = lexicon
        self.out = Extraction(catalog.name, [], [])
        self.group_of: dict[int, tuple[str, str]] = {}  # item index -> ("org"|"topic", name)
        self.maybe_org: dict[int, M.Maker] = {}  # groups whose maker status waits for their entries
        self.heading_maker: dict[int, M.Maker] = {}  # heading line -> maker it names
        self.families: set[str] | None = None  # first words of sure models' names (ingest/releases.py)
        self.org_group_lines: list[int] | None = None  # lines of makers' groups (ingest/tables.py)

    # -- driver ---------------------------------------------------------------
    def run(self) -> Extraction:
        self._sections()
        candidates: list[Candidate] = []
        for index, item in enumerate(self.cat.items):
            if _table_of_contents(item):
                continue  # in-page anchor links: never entities
            self._papers(item.text, item.links, item)
            if item.kind != "item":
                self._architectures_named(item)
                self._prose_models(item)
                continue
            if self._group(index, item):
                continue
            candidates.extend(self._candidates(index, item))
        self._settle_makers(candidates)
        self._decide(candidates)
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

    # -- sections, groups and makers -----------------------------------------------
    def _sections(self) -> None:
        stack = list(self.cat.context)
        for heading in [*self.cat.context, *self.cat.headings]:
            maker = M.maker_of(heading.text, self.lex)
            if maker:
                self.heading_maker[heading.line] = maker
        for heading in self.cat.headings:
            while stack and stack[-1].level >= heading.level:
                stack.pop()
            for arch, _ in self.lex.architectures_named(M.plain_label(heading.text)):
                self._record("architecture", arch.name, heading.line)  # "### Mixture of Experts"
            if heading.line not in self.heading_maker or not self.heading_maker[heading.line].known:
                section = self._record("section", heading.text, heading.line)
                if stack:
                    section.add("broader", Ref("section", stack[-1].text), heading.line)
            stack.append(heading)

    def _context(self, item: Item) -> Context:
        section = item.headings[-1].text if item.headings else None
        org = topic = None
        products = model_list = False
        parent = item.parent
        groups = []  # the labels around the entry that may name its architecture, with their lines
        while parent is not None:
            kind, name = self.group_of.get(parent, (None, None))
            if kind == "topic":
                groups.append((name, self.cat.items[parent].line))
            if kind == "org" and org is None:
                org = name
            if kind == "topic" and topic is None:
                topic = name
                model_list = model_list or bool(E.lists_models(name, self.lex))
            parent = self.cat.items[parent].parent
        for heading in reversed(item.headings):
            maker = self.heading_maker.get(heading.line)
            if maker and maker.known and org is None:
                org, products = maker.name, maker.products
                break
        if not model_list:  # the innermost heading, or its parent when it says nothing ("OSS")
            for heading in list(reversed(item.headings))[:2]:
                says = E.lists_models(M.plain_label(heading.text), self.lex)
                if says is not None:
                    model_list = says
                    break
        if section and org and section == org:
            section = None  # the maker's own heading is no section
        org_list = bool(item.headings) and item.parent is None and E.lists_organizations(
            M.plain_label(item.headings[-1].text), self.lex)
        groups += [(M.plain_label(h.text), h.line) for h in item.headings]
        return Context(section, org, topic, products, model_list, org_list, self._structural_architectures(groups))

    def _structural_architectures(self, labels: list[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
        """'### Mixture of Experts', '- Diffusion language models' over a list of entries: the
        architecture each model under it has (the innermost label that names one first)."""
        found: dict[str, int] = {}
        for label, line in labels:
            for arch, _ in self.lex.architectures_named(label):
                found.setdefault(arch.name, line)
        return tuple(found.items())

    def _group(self, index: int, item: Item) -> bool:
        """A bullet that heads nested entries and names no model itself."""
        if not item.children or F.find_dates(item.text):
            return False
        if any(not self.lex.is_generic_link(link.text) for link in item.links):
            return False
        label = M.plain_label(item.text)
        if not label:
            return False
        maker = M.maker_of(label, self.lex) if not item.links else None
        if maker and maker.known:
            self._org_group(index, item, label, maker.name)
        elif maker:
            self.maybe_org[index] = maker  # settled once its entries are judged
            self.group_of[index] = ("topic", label)
        else:
            self._topic_group(index, item, label)
        return True

    def _org_group(self, index: int, item: Item, label: str, name: str) -> None:
        record = self._record("organization", name, item.line)
        record.aliases.extend(M.aliases_of(label, name))
        self.group_of[index] = ("org", name)

    def _topic_group(self, index: int, item: Item, label: str) -> None:
        record = self._record("section", label, item.line)
        for arch, _ in self.lex.architectures_named(label):
            self._record("architecture", arch.name, item.line)  # "- Diffusion language models"
        ctx = self._context(item)
        if ctx.topic or ctx.section:
            record.add("broader", Ref("section", ctx.topic or ctx.section), item.line)
        self.group_of[index] = ("topic", label)

    def _settle_makers(self, candidates: list[Candidate]) -> None:
        """A group or heading that could name a maker does when its entries are models
        (and none of them is called by its name: then it only heads that entry)."""
        under_group: dict[int, list[Candidate]] = {}
        under_heading: dict[int, list[Candidate]] = {}
        for c in candidates:
            if c.item.parent in self.maybe_org:
                under_group.setdefault(c.item.parent, []).append(c)
            elif c.item.headings:
                under_heading.setdefault(c.item.headings[-1].line, []).append(c)
        for index, maker in self.maybe_org.items():
            item = self.cat.items[index]
            if _entries_are_models(maker.name, under_group.get(index, [])):
                self._org_group(index, item, M.plain_label(item.text), maker.name)
            else:
                self._topic_group(index, item, M.plain_label(item.text))
        for line, maker in list(self.heading_maker.items()):
            if not maker.known:
                if _entries_are_models(maker.name, under_heading.get(line, [])):
                    self.heading_maker[line] = M.Maker(maker.name, True, maker.products)
                else:
                    del self.heading_maker[line]
        texts = {h.line: h.text for h in [*self.cat.context, *self.cat.headings]}
        for line, maker in self.heading_maker.items():  # "**KII** (Kestrel Intelligence Institute)"
            self._record("organization", maker.name, line, aliases=M.parenthesised_aliases(texts.get(line, "")) if maker.products
                         else M.aliases_of(texts.get(line, ""), maker.name))

    # -- papers -----------------------------------------------------------------
    def _papers(self, text: str, links: tuple[Link, ...], item: Item | None, line: int = 0) -> None:
        """Every arXiv link is a Paper; it takes a date only where it is what the entry is about."""
        today = F.today()
        dates = [d for d in F.find_dates(text) if d.value.lexical <= today]  # in text order
        date_starts = [d.start for d in dates]
        spans = self._segments(item) if item is not None else [(0, len(text))]
        span_starts = [a for a, _ in spans]
        # starts of links that name something: looked up by bisection, so many links stay linear
        named = sorted(o.start for o in links if not self.lex.is_generic_link(o.text))
        for link in links:
            arxiv = F.arxiv_id(link.url)
            if not arxiv:
                continue
            title = N.without_owner(N.strip_symbols(link.text), self.lex)
            generic = self.lex.is_generic_link(title)
            if generic:
                after = _TITLE_AFTER.match(text, link.end, link.end + TITLE_AFTER_MAX)
                title = after.group(1).strip().rstrip(".") if after else f"arXiv:{arxiv}"
            paper = self._record("paper", title, link.line or line, identity=arxiv)
            paper.add("arxivId", arxiv, link.line or line)
            at = bisect.bisect_right(span_starts, link.start) - 1
            start, end = spans[at] if at >= 0 and link.start < spans[at][1] else (0, len(text))
            first_named = bisect.bisect_left(named, start)
            named_before = first_named < len(named) and named[first_named] < link.start
            if not generic and named_before:
                continue  # "GroundingDINO + [SAM](arxiv)" inside another entry: not dated by it
            lo, hi = bisect.bisect_left(date_starts, start), bisect.bisect_left(date_starts, end)
            after_link = bisect.bisect_left(date_starts, link.end, lo, hi)
            date = dates[after_link] if after_link < hi else (dates[lo] if lo < hi else None)
            if date:
                paper.add("publicationDate", date.value, item.line_at(date.start) if item else line)

    def _prose_models(self, item: Item) -> None:
        """A paragraph of prose or history ('In 2025 Acme Labs released Aa 2 and Bb 3 ...'):
        the models it introduces, each with the facts of its own sentence."""
        from llmkg.ingest.entry_facts import EntryFacts
        from llmkg.ingest.mentions import models_named

        mentions = models_named(item.text, self.lex)
        if not mentions:
            return
        ctx = self._context(item)
        for mention in mentions:
            # its sentence, from the name on; a maker acting before it ("Acme released ...")
            opening = item.text[_sentence_start(item.text, mention.start):mention.start]
            acting = M.acting_makers(opening, self.lex, suffixed=True)
            stop = _SENTENCE_END.search(item.text, mention.end)
            end = stop.start() + 1 if stop else len(item.text)
            links = [lk for lk in item.links if mention.start <= lk.start < end]
            # one of a list ("Aa 2 (7B) and Bb-3 (3B) from ..."): its sizes are in its own words
            name = N.Name(mention.name, end=mention.own_end - mention.start) if mention.own_end else \
                N.Name(mention.name)
            EntryFacts(self, item, ctx, [name], item.text[mention.start:end], mention.start,
                       links, None, mention.maker or (acting[-1][0] if acting else None)).emit()

    def _architectures_named(self, item: Item, start: int = 0, end: int | None = None) -> None:
        """An architecture the catalog names anywhere is an Architecture ("Drag Your GAN"),
        also where no model of it is (a model's entry says it with hasArchitecture)."""
        for arch, at in self.lex.architectures_in(item.text[start:end]):
            self._record("architecture", arch.name, item.line_at(start + at))

    # -- candidates ------------------------------------------------------------------
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

    def _candidates(self, index: int, item: Item) -> list[Candidate]:
        return read_candidates(self, index, item)

    def _decide(self, candidates: list[Candidate]) -> None:
        decide(self, candidates)

    def _table(self, table) -> None:
        from llmkg.ingest.tables import table_rows

        table_rows(self, table)


_SENTENCE_END = re.compile(r"(?<![\d.])[.;!?]\s")


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence holding offset `at` starts (a bounded look back)."""
    window = max(0, at - 400)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, window, at)]
    return ends[-1] if ends else window


def _table_of_contents(item: Item) -> bool:
    """An item whose links all point inside the page ('[Finetuning](#finetuning)'), with no words besides."""
    return bool(item.links) and all(link.url.startswith("#") for link in item.links) and \
        not re.sub(r"[\W_]+", "", _without_links(item))


def _without_links(item: Item) -> str:
    text, at = [], 0
    for link in item.links:
        text.append(item.text[at:link.start])
        at = link.end
    text.append(item.text[at:])
    return "".join(text)


def _entries_are_models(name: str, entries: list[Candidate]) -> bool:
    """Most entries under a possible maker are models by their own evidence, and none is it;
    or, when one entry is called by its name, at least two others are models: the name is
    both a lab's and its family's ('#### Voxel' over 'Voxel', 'Voxel 4', 'Voxel 4 Flash')."""
    others = [c for c in entries if key(c.names[0].label) != key(name)]
    models = sum(1 for c in others if c.own.score >= E.MODEL)
    if len(others) < len(entries):
        return models >= 2 and models * 2 >= len(others)
    return models >= 1 and models * 2 >= len(entries)
