"""The facts of one catalog entry (or table row), attributed to its models.

An entry segment names one or more models (the title) and may name variants
inside its text ("Llama 4 Scout (activated 17b / total 109b)"). Sizes and
context lengths written inside a variant's clause belong to the variant; the
rest of the segment's facts belong to the titled models.
"""

from __future__ import annotations

import re

from llmkg.ingest import facts as F
from llmkg.ingest import names as N
from llmkg.keys import key
from llmkg.ingest.records import Iri, Ref

# ", Maverick" / " and Flash" / " / mini": one more word naming a sibling variant
_SIBLING = re.compile(r"(?:\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+|\s*/\s*)([A-Za-z]+)\b(?![\w\-]|\.\w|\s+(?:\d|[A-Z]))")
_SENTENCE_END = re.compile(r"\.\s|;\s|\.$")
_ORG_NAME = r"[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3}"
# Stated developers beside the group's: "LLM from Google DeepMind", "developed by X".
_STATED_ORG = re.compile(rf"\b(?:developed|created|built|trained)\s+by\s+(?:the\s+)?({_ORG_NAME})"
                         rf"|\b(?:LLMs?|models?)\s+from\s+({_ORG_NAME})")
# Organisations named in prose: "In collaboration with NASA", "Upstage's 70B Language Model".
_PROSE_ORG = re.compile(rf"\b(?i:in collaboration with|in partnership with|jointly with)\s+(?:the\s+)?({_ORG_NAME})"
                        r"|(?<![\w.\-])([A-Z][A-Za-z&\-]+(?:\s+[A-Z][A-Za-z&\-]+)?)'s\s+"
                        r"(?:[\w.\-]+\s+){0,3}?(?i:language\s+|foundation\s+)?(?i:model|LLM)s?\b")


def prose_organizations(text: str) -> list[tuple[str, int]]:
    """(name, offset) of organisations the prose names as makers or partners."""
    out = []
    for m in _PROSE_ORG.finditer(text):
        name = (m.group(1) or m.group(2)).strip()
        name = re.split(r"\s+(?:and|is|are|has|to)\b", name)[0].strip(" ,.")
        if name[:1].isupper() and not re.search(r"\d", name):
            out.append((name, m.start(1) if m.group(1) else m.start(2)))
    return out


_ORG_VERBS = re.compile(r"\b(?:developed|created|released|built|trained|made|published|from)\s+by\s+"
                        r"([A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3})"
                        r"|\b(?:LLM|model|models)\s+from\s+([A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3})"
                        r"|([A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,2})\s+(?:is releasing|released|releases)\b")


class EntryFacts:
    def __init__(self, ex, item, ctx, names, seg, offset, links, title_link, org_in_title):
        self.ex, self.item, self.ctx = ex, item, ctx
        self.names, self.seg, self.offset = names, seg, offset
        self.links, self.title_link, self.org_in_title = links, title_link, org_in_title
        self.lex = ex.lex
        # a list of names ("A, B (7b), C"): each name's facts lie in its own span
        self.list_mode = title_link is None and (len(names) > 1 or names[0].end > 0)
        # where the description starts: variants are named there, not in the title
        self.desc_at = title_link.end - offset if title_link else len(names[0].label)

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
        org = self.ctx.org or self.org_in_title or self._org_from_text() or self._org_from_links()
        orgs = [org] if org else []
        for name, at in self._stated_organizations():
            if key(name) not in {key(o) for o in orgs}:
                orgs.append(name)
                if not self.lex.organization(name):
                    self.ex._record("organization", name, self.line(at))
        section = self.ctx.topic or self.ctx.section
        architectures = self._architectures(self.seg)
        variants = [] if self.list_mode else self._variants()
        claimed = [(start, end) for _, start, end in variants]
        family = []
        for name in self.names:
            record = self.ex._record("model", name.label, self.line(0), aliases=list(name.aliases))
            family.append(record)
            self._shared(record, date, orgs, section, architectures)
            if self.list_mode and name.end > name.start:
                self._sizes(record, self.seg, name.start, name.end, owner=name.label)
            elif self.list_mode:
                self._sizes(record, name.label, 0, len(name.label), owner=name.label)
            else:
                self._links(record)
                self._lineage(record, self.seg)
        if not self.list_mode:
            for record in family:
                self._sizes(record, self.seg, 0, len(self.seg), owner=record.name, skip=claimed)
        for phrase, start, end in variants:
            record = self.ex._record("model", phrase, self.line(start))
            record.add("variantOf", _ref(family[0]), self.line(start))
            self._shared(record, date, orgs, section, architectures)
            self._sizes(record, self.seg, start, end, owner=phrase)

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

    def _architectures(self, text: str) -> list[tuple[str, int]]:
        out = []
        for arch in self.lex.architectures:
            m = arch.pattern.search(text)
            if m:
                out.append((arch.name, m.start()))
        return out

    # -- organisations -----------------------------------------------------------------
    def _org_from_text(self) -> str | None:
        desc = self.seg
        if self.title_link:
            desc = self.seg[self.title_link.end - self.offset:]
        desc = desc.lstrip(" :-")
        m = re.match(r"([A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*)?)'s\b", desc)  # "AI21's SSM-Transformer"
        candidates = [m.group(1)] if m else []
        first = re.match(r"([A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,2})\s*(?:[,.]|$)", desc)
        if first:  # "dolly: Databricks", "BLIP-2: Salesforce Research, ..."
            candidates.append(first.group(1))
        lead = N.words(desc)[:1]
        if lead:
            candidates.append(lead[0])  # "Microsoft TaskMatrix"
        for m in _ORG_VERBS.finditer(desc):
            candidates.append(next(g for g in m.groups() if g))
        for candidate in candidates:
            ws = N.words(candidate)
            for n in range(len(ws), 0, -1):
                org = self.lex.organization(" ".join(ws[:n]))
                if org:
                    return org.name
        return None

    def _stated_organizations(self) -> list[tuple[str, int]]:
        """Developers the text states besides the group: known names after "from"/"by", partners."""
        desc_at = self.title_link.end - self.offset if self.title_link else 0
        desc = self.seg[desc_at:]
        own = {key(n.label) for n in self.names}
        out = []
        for m in _STATED_ORG.finditer(desc):
            candidate = next(g for g in m.groups() if g)
            ws = N.words(candidate)
            for n in range(len(ws), 0, -1):
                org = self.lex.organization(" ".join(ws[:n]))
                if org:
                    out.append((org.name, desc_at + m.start()))
                    break
        for name, at in prose_organizations(desc):
            known = self.lex.organization(name)
            if key(name) not in own:
                out.append((known.name if known else name, desc_at + at))
        return out

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
        """Links about the titled model: the title link and generic links up to another name."""
        owned = []
        for link in self.links:
            if link is self.title_link:
                owned.append(link)
            elif self.lex.is_generic_link(link.text):
                if not any(o for o in self.links if o.start < link.start and o is not self.title_link
                           and not self.lex.is_generic_link(o.text)):
                    owned.append(link)
        return owned

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
                record.add("repository", _iri(repo), line)
            elif link is self.title_link and F.is_web_url(link.url):
                record.add("webPage", _iri(link.url), line)

    # -- sizes and context lengths ------------------------------------------------------------
    def _sizes(self, record, text: str, start: int, end: int, *, owner: str, skip=()) -> None:
        """Sizes, active sizes and context lengths in text[start:end], outside `skip` spans."""
        own = set(N.name_tokens(owner))
        window = text[start:end]

        def free(at: int) -> bool:
            return not any(s <= start + at < e for s, e in skip)

        active, total = F.find_active_and_total(window)
        taken = [(f.start, f.end) for f in active + total]
        for f in active:
            if free(f.start):
                record.add("activeParameterCount", f.value, self.line(start + f.start))
        for f in total:
            if free(f.start):
                record.add("parameterCount", f.value, self.line(start + f.start))
        for f in F.find_sizes(window):
            if free(f.start) and not any(s <= f.start < e for s, e in taken) \
                    and not _foreign(window, f.start, own):
                record.add("parameterCount", f.value, self.line(start + f.start))
        for f in F.find_context_lengths(window):
            if free(f.start) and not _foreign(window, f.start, own):
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
            for part in N.split_list(m.group(1)):
                if N.looks_like_name(part, strict=True) and len(N.words(part)) <= 2:
                    name = f"{family} {part}"
                    at = m.start(1) + m.group(1).find(part)
                    found.setdefault(key(name), (name, at, at + len(part)))
        spans = sorted(found.values(), key=lambda v: v[1])
        out = []
        for i, (name, start, _) in enumerate(spans):
            stop = spans[i + 1][1] if i + 1 < len(spans) else len(self.seg)
            m = _SENTENCE_END.search(self.seg, start)
            out.append((name, start, min(stop, m.start() if m else len(self.seg))))
        return out

    # -- lineage ---------------------------------------------------------------------------------------
    def _lineage(self, record, text: str) -> None:
        own = key(record.name)
        for m in self.lex.lineage_re.finditer(text):
            prop = self.lex.lineage[m.group(0).lower()]
            rest = re.sub(r"^\s+(?:the|a|an)\s+", " ", text[m.end():])
            for target in _named_list(rest):
                if key(target) and key(target) != own:
                    record.add(prop, Ref("model", target), self.line(m.start()))


def _named_list(text: str) -> list[str]:
    """'Llama 2, free for ...' -> ['Llama 2']; 'SigLIP, Phi-1.5, LLaVA dataset' -> ['SigLIP', 'Phi-1.5']."""
    out = []
    for part in re.split(r",\s*|\s+and\s+", text.strip(), maxsplit=6):
        phrase = next((p for p, s, _ in N.name_phrases(part, part[:1]) if s == 0), None) if part else None
        if not phrase or not phrase[:1].isupper() and not re.search(r"\d", phrase[:4]):
            break
        after = part[len(phrase):].strip().lower()
        if after.startswith(("dataset", "data ", "data", "benchmark")):
            break
        phrase = N.drop_size_suffix(re.sub(r"\s+model$", "", phrase))
        out.append(phrase)
        if after and not after.startswith(("model",)):
            break
    return out


_SENTENCE_WORDS = {"a", "an", "the", "with", "of", "to", "and", "or", "from", "total", "up", "in", "on"}


def _foreign(text: str, at: int, own: set[str]) -> bool:
    """Is the value at `at` attached to another model's name ('Llama 7B' inside Alpaca's entry)?"""
    before = text[max(0, at - 60):at]  # a name stands right before its value: a bounded look-back keeps this linear
    if re.search(r"[,(:;/)]\s*$", before):
        return False  # a list of values: "(1B, 3B)", "2)7B"
    trailing = re.findall(r"[\w.+\-]+", before[-40:])[-2:]
    if not trailing:
        return False
    word = trailing[-1].strip("-")
    if re.fullmatch(r"\d+(?:\.\d+)?", word) and len(trailing) == 2:
        word = trailing[0] + " " + word  # "LLama 3 8B": the name is "LLama 3"
    if not word.strip():
        return False  # a lone dash: "Foo - 7B"
    first = word.split()[0]
    if first.lower() in _SENTENCE_WORDS or len(first) < 2:
        return False
    if not (first[:1].isupper() or re.search(r"\d", first)):
        return False
    if before.endswith("-"):  # "Qwen-7B" names a model of its own unless it is the owner
        return set(N.name_tokens(trailing[-1])) != {t for t in own if not N.is_size_token(t)}
    return not set(N.name_tokens(word)) <= own


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
