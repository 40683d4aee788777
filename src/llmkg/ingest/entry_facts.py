"""The facts of one catalog entry (or table row), attributed to its models.

An entry segment names one or more models (the title) and may name variants
inside its text ("Llama 4 Scout (activated 17b / total 109b)"). Sizes and
context lengths written inside a variant's clause belong to the variant; the
rest of the segment's facts belong to the titled models.
"""

from __future__ import annotations

import re

from llmkg.ingest import evidence as E
from llmkg.ingest import facts as F
from llmkg.ingest import makers as M
from llmkg.ingest import names as N
from llmkg.keys import key
from llmkg.ingest.licenses import stated_licenses
from llmkg.ingest.records import Iri, Ref
from llmkg.ingest.spans import Spans, occurrences
from llmkg.ingest.entry_text import (LINEAGE_LOOKAHEAD, blanked, foreign, named_list,
                                     shared_clauses, stem_of_variant)

# ", Maverick" / " and Flash" / " / mini": one more word naming a sibling variant
_SIBLING = re.compile(r"(?:\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+|\s*/\s*)([A-Za-z]+)\b(?![\w\-]|\.\w|\s+(?:\d|[A-Z]))")
_ANY_DIGIT = re.compile(r"\d")
_OPENS_WITH_BASE = re.compile(r"\W*([A-Z][\w.\-]*(?:\s[\w.\-]+)?)\s+fine-?tuned\s+(?:with|on|for|using|to)\b")
_SENTENCE_END = re.compile(r"\.\s|;\s|\.$")


class EntryFacts:
    def __init__(self, ex, item, ctx, names, seg, offset, links, title_link, org_in_title,
                 *, tentative: bool = False, doubt=None):
        self.tentative, self.doubt = tentative, doubt
        self.ex, self.item, self.ctx = ex, item, ctx
        self.names, self.seg, self.offset = names, seg, offset
        self.links, self.title_link, self.org_in_title = links, title_link, org_in_title
        self.lex = ex.lex
        self.reimplements = False  # the entry reimplements the model it names (emit)
        # a list of names ("A, B (7b), C"): each name's facts lie in its own span
        self.list_mode = title_link is None and (len(names) > 1 or names[0].end > 0)
        # where the description starts: variants are named there, not in the title
        self.desc_at = title_link.end - offset if title_link else len(names[0].label)
        self.siblings: set[str] = set()  # keys of variants that are the title's siblings
        self.structural: list[tuple[str, int]] = []  # architectures the headings around it name

    def line(self, at: int) -> int:
        """Source line of a segment offset."""
        return self.item.line_at(self.offset + at)

    def emit(self) -> None:
        dates = F.find_dates(self.seg)
        date = dates[0] if dates else None
        if date and date.note:
            self.ex._problem(self.line(date.start), date.note, self.seg, partial=True)
        if date and date.value.lexical > F.today():
            self.ex._problem(self.line(date.start), f"date {date.value.lexical} lies in the future "
                             "(a typo?), left out", self.seg, partial=True)
            date = None
        # "[AlphaFold3](someone's repo): Open source implementation of AlphaFold3 [Nov 2023]":
        # the entry is a reimplementation of the model it names, so its date and repository
        # are the reimplementation's, never the model's own
        self.reimplements = not self.list_mode and self._reimplements_itself()
        if self.reimplements:
            date = None
        org = self.ctx.org or self.org_in_title or self._org_from_text() or self._org_from_links()
        orgs = [org] if org else []
        for name, at, known in self._stated_organizations():
            if key(name) not in {key(o) for o in orgs}:
                orgs.append(name)
                if not known:
                    self.ex._record("organization", name, self.line(at))
        section = self.ctx.topic or self.ctx.section
        architectures = self._architectures(self.seg)
        variants = [] if self.list_mode else self._variants()
        claimed = [(start, end) for _, start, end in variants]
        family = []
        for name in self.names:
            record = self._model(name.label, self.line(0), aliases=list(name.aliases))
            family.append(record)
            self._shared(record, date, orgs, section, architectures)
            if self.list_mode and name.end > name.start:
                self._sizes(record, self.seg, name.start, name.end, owner=name.label)
            elif self.list_mode:
                self._sizes(record, name.label, 0, len(name.label), owner=name.label)
            else:
                self._links(record)
                self._lineage(record, blanked(self.seg, claimed))
                for value, at in stated_licenses(self.seg):  # 'released under the Apache 2.0 license'
                    record.add("license", value, self.line(at))
        if not self.list_mode:
            # "GPT-4.1, GPT-4.1 mini, and GPT-4.1 nano can process ...": listed with its
            # variants, the family shares their clause
            listed = {end for _, start, end in variants
                      if re.search(rf"{re.escape(self.names[0].label)}[\s,]*$", self.seg[:start], re.I)}
            own = [(s, e) for s, e in claimed if e not in listed]
            for record in family:
                self._sizes(record, self.seg, 0, len(self.seg), owner=record.name, skip=own)
        for phrase, start, end in variants:
            record = self._model(phrase, self.line(start))
            if key(phrase) not in self.siblings:  # a sibling of the title is no variant of it
                record.add("variantOf", _ref(family[0]), self.line(start))
            # named in a remark after the date that closes the entry ("... [15 Mar 2022]
            # Estimate the size of gpt-3.5-turbo"): dated only by a date of the remark's own
            remark = date is not None and start >= date.end
            own_date = next((d for d in dates if d.start > start), None) if remark else date
            self._shared(record, own_date if own_date is None or own_date.value.lexical <= F.today() else None,
                         orgs, section, architectures)
            others = [(s, s + len(p)) for p, s, _ in variants if s != start and start <= s < end]
            self._sizes(record, self.seg, start, end, owner=phrase, skip=others)
            self._lineage(record, blanked(self.seg, [(0, start), (end, len(self.seg))]))
            for link in self._owned_links():  # "[🤗](huggingface.co/Org/zephyr-7b-beta)": the variant's own repo
                repo = F.repository(link.url)
                if repo and key(repo.rstrip("/").rsplit("/", 1)[-1]) == key(phrase):
                    record.add("repository", _iri(repo), link.line)

    def _model(self, name: str, line: int, **kw):
        record = self.ex._record("model", name, line, tentative=self.tentative, **kw)
        if self.doubt is not None:
            record.doubt, self.doubt = self.doubt, None  # reported once, with the entry's first name
        return record

    # -- facts every model of the segment shares -----------------------------------
    def _shared(self, record, date, orgs, section, architectures) -> None:
        line = record.line
        if section:
            record.add("inSection", _section(section), line)
        for org in orgs:
            record.add("developedBy", _org(org), line)
        if date:
            record.add("releaseDate", date.value, self.line(date.start))
        for arch, at in architectures:
            record.add("hasArchitecture", _arch(arch), self.line(at))
        for arch, heading_line in self.structural:
            record.add("hasArchitecture", _arch(arch), heading_line)

    def _architectures(self, text: str) -> list[tuple[str, int]]:
        """(name, offset) of the architectures the text names, the head phrase of its
        description ('a tiny recursive model') and the headings or groups around it."""
        found = [(arch.name, at) for arch, at in self.lex.architectures_in(text)]
        head = E.head_phrase(E.first_clause(text[self.desc_at:]), self.lex)
        found += [(arch.name, self.desc_at + at) for arch, at in self.lex.architectures_named(head)
                  if not arch.in_text]
        self.structural = [(name, line) for name, line in self.ctx.architectures
                           if name not in {n for n, _ in found}]
        return found

    # -- organisations -----------------------------------------------------------------
    def _org_from_text(self) -> str | None:
        desc = self.seg[self.title_link.end - self.offset:] if self.title_link else self.seg
        return M.org_from_text(desc, self.lex)

    def _stated_organizations(self) -> list[tuple[str, int, bool]]:
        """Developers the text states besides the group: known names after "from"/"by", partners."""
        desc_at = self.title_link.end - self.offset if self.title_link else 0
        own = {key(n.label) for n in self.names}
        return [(name, desc_at + at, known) for name, at, known
                in M.stated_organizations(self.seg[desc_at:], own, self.lex)]

    def _org_from_links(self) -> str | None:
        for link in self._owned_links():
            owner = F.repository_owner(link.url)
            org = self.lex.organization_of_owner(owner) if owner else None
            if org:
                return org.name
        if self.title_link:
            org = self.lex.organization_of_host(F.host(self.title_link.url))
            if org:
                return org.name
        return None

    # -- links: repository, paper, web page -------------------------------------------------
    def _owned_links(self):
        return owned_links(self.lex, self.links, self.title_link)

    def _links(self, record) -> None:
        dates = F.find_dates(self.seg)
        first_date = dates[0].start + self.offset if dates else None
        for link in self._owned_links():
            line = link.line
            arxiv = F.arxiv_id(link.url)
            repo = F.repository(link.url)
            if arxiv:
                if first_date is None or link.start < first_date:
                    record.add("describedIn", Ref("paper", arxiv), line)
            elif repo:
                if not self.reimplements:  # a reimplementation's repository is not the model's
                    record.add("repository", _iri(repo), line)
            elif link is self.title_link and F.is_web_url(link.url):
                record.add("webPage", _iri(link.url), line)
        own = key(record.name)
        for link in self.links:  # "[Gemini 2.5: Pushing the Frontier ...](arxiv)": a paper titled with its name
            arxiv = F.arxiv_id(link.url)
            if not arxiv:
                continue
            title = re.sub(r"^(?:the|a|an)\s+", "", N.strip_symbols(link.text), flags=re.I)
            head = re.split(r"[:(]|\s(?:family|series|technical|model card)\b", title, maxsplit=1, flags=re.I)[0]
            if arxiv and link is not self.title_link and own and key(head) == own:
                record.add("describedIn", Ref("paper", arxiv), link.line)

    # -- sizes and context lengths ------------------------------------------------------------
    def _sizes(self, record, text: str, start: int, end: int, *, owner: str, skip=()) -> None:
        """Sizes, active sizes and context lengths in text[start:end], outside `skip` spans."""
        own = set(N.name_tokens(owner))
        window = text[start:end]

        skipped = Spans(skip)

        def free(at: int) -> bool:
            return start + at not in skipped

        active, total = F.find_active_and_total(window)
        taken = Spans((f.start, f.end) for f in active + total)
        for f in active:
            if free(f.start):
                record.add("activeParameterCount", f.value, self.line(start + f.start))
        for f in total:
            if free(f.start):
                record.add("parameterCount", f.value, self.line(start + f.start))
        named = occurrences(window, owner)  # a size in the model's own name is never its window
        for f in F.find_sizes(window):
            if f.note == F.LOW_END and f.start in named:
                continue  # 'Name 1.1-47B': the name's version, not a size
            # "Zephyr-7B-β": a size inside the model's own name is its own, whatever follows it
            if free(f.start) and f.start not in taken and (f.start in named or not foreign(window, f.start, own)):
                record.add("parameterCount", f.value, self.line(start + f.start))
        for f in F.find_context_lengths(window):
            if free(f.start) and f.start not in named and not foreign(window, f.start, own):
                record.add("contextLength", f.value, self.line(start + f.start))

    # -- variants ------------------------------------------------------------------------------------
    def _variants(self) -> list[tuple[str, int, int]]:
        """(name, start, end of its clause) of variants the segment names."""
        family = self.names[0].label
        first = N.name_tokens(family)[:1]
        found: dict[str, tuple[str, int, int]] = {}
        if first:
            for phrase, start, end in N.name_phrases(self.seg, re.split(r"[\s\-]", family)[0]):
                if start >= self.desc_at and N.is_size_variant(phrase, family):
                    # "Qwen2-0.5B, Qwen2-57B-A14B": the entry's name joined to a size
                    found.setdefault(key(phrase), (phrase, start, end))
                    continue
                if start < self.desc_at or not N.is_variant_of(phrase, family):
                    continue
                if any(N.is_variant_of(phrase, other.label) or key(phrase) == key(other.label)
                       for other in self.names[1:]):
                    continue
                name = N.drop_size_suffix(phrase)
                found.setdefault(key(name), (name, start, end))
                # "Llama 4 Scout and Maverick": the family is implied for the next word
                stem = name[:len(name) - len(N.words(name)[-1])].rstrip()
                at = start + len(phrase)
                while key(stem) == key(family) and (m := _SIBLING.match(self.seg, at)):
                    word = m.group(1)
                    if self.lex.organization(word) or not (word[:1].isupper() or word.lower() in N.NAME_MODIFIERS):
                        break
                    sibling = f"{stem} {word}"
                    found.setdefault(key(sibling), (sibling, m.start(1), m.end(1)))
                    at = m.end(1)
        m = re.search(r"\bvariants?\s*:\s*([^.\[]+)", self.seg, re.I)
        if m:  # "Three variants: Opus, Sonnet, and Haiku."
            parts = [p for p in N.split_list(m.group(1)) if N.looks_like_name(p, strict=True) and len(N.words(p)) <= 2]
            # "[Claude 3 Opus](...) ... Three variants: Opus, Sonnet, and Haiku": the title is
            # itself one of the variants, so they share the title's stem, not the whole title
            stem = stem_of_variant(family, parts)
            for part in parts:
                name = f"{stem or family} {part}"
                if key(name) == key(family):
                    continue
                if stem:
                    self.siblings.add(key(name))
                at = m.start(1) + m.group(1).find(part)
                found.setdefault(key(name), (name, at, at + len(part)))
        spans = sorted(found.values(), key=lambda v: v[1])
        out = []
        for i, (name, start, _) in enumerate(spans):
            stop = spans[i + 1][1] if i + 1 < len(spans) else len(self.seg)
            m = _SENTENCE_END.search(self.seg, start)
            out.append((name, start, min(stop, m.start() if m else len(self.seg))))
        return shared_clauses(self.seg, out)

    # -- lineage ---------------------------------------------------------------------------------------
    def _reimplements_itself(self) -> bool:
        own = key(self.names[0].label)
        for m in self.lex.lineage_re.finditer(self.seg, self.desc_at):
            if self.lex.lineage[m.group(0).lower()] == "reproductionOf":
                targets = named_list(self.seg[m.end():m.end() + LINEAGE_LOOKAHEAD])
                return bool(targets) and key(targets[0]) == own
        return False

    def _lineage(self, record, text: str) -> None:
        own = key(record.name)
        # "ChatGPT: GPT-3 fine-tuned with RLHF": the base model opens the description
        m = _OPENS_WITH_BASE.match(text, self.desc_at)
        if m and key(m.group(1)) != own and E.versioned(m.group(1)):
            record.add("fineTunedFrom", Ref("model", N.drop_size_suffix(m.group(1))), self.line(m.start(1)))
        for m in self.lex.lineage_re.finditer(text):
            prop = self.lex.lineage[m.group(0).lower()]
            # the names follow the phrase closely: a bounded look-ahead keeps many phrases linear
            rest = re.sub(r"^\s+(?:the|a|an)\s+", " ", text[m.end():m.end() + LINEAGE_LOOKAHEAD])
            for target in named_list(rest):
                if key(target) and key(target) != own:
                    record.add(prop, Ref("model", target), self.line(m.start()))
                    _size_in_name(self.ex, target, self.line(m.start()))
            maker = M.maker_in_apposition(rest, self.lex)  # "of Qwen3, the series developed by ..."
            if maker and named_list(rest):
                base = self.ex._record("model", named_list(rest)[0], self.line(m.start()))
                base.add("developedBy", _org(maker), self.line(m.start()))


def _size_in_name(ex, name: str, line: int) -> None:
    """'fine-tuned from Mistral-7B-v0.1': a size inside a lineage target's name (not a
    trailing size, which names the base model: 'LLaMA 7B') is that model's own."""
    sizes = F.find_sizes(name)
    if len(sizes) == 1 and N.drop_size_suffix(name) == name and E.versioned(name[sizes[0].end:]):
        ex._record("model", name, line).add("parameterCount", sizes[0].value, line)


def _ref(record) -> Ref:
    return Ref(record.kind, record.name)


def _org(name: str) -> Ref:
    return Ref("organization", name)


def _arch(name: str) -> Ref:
    return Ref("architecture", name)


def _section(name: str) -> Ref:
    return Ref("section", name)


def _iri(value: str) -> Iri:
    return Iri(value)


def owned_links(lex, links, title_link) -> list:
    """Links about the titled model: the title link and generic links up to another name."""
    generic = [link is not title_link and lex.is_generic_link(link.text) for link in links]
    # a generic link is owned up to the first link that names something else (one pass, not one per link)
    other = min((link.start for link, g in zip(links, generic) if link is not title_link and not g), default=None)
    return [link for link, g in zip(links, generic)
            if link is title_link or (g and (other is None or link.start <= other))]


def attached_sizes(text: str, own: set[str]) -> bool:
    """Does the text give sizes of its own model (not of a model it names)?"""
    if not _ANY_DIGIT.search(text):
        return False
    active, total = F.find_active_and_total(text)
    if active or total:
        return True
    return any(not foreign(text, f.start, own) for f in F.find_sizes(text))
