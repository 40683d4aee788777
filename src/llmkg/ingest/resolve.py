"""Stage 3: records -> one entity per real thing.

Records of the same kind whose names (or aliases) share an identity key are
one entity; organisations and architectures meet through the curated
lexicons; papers through their arXiv id. References by name (developedBy
"Databricks", fineTunedFrom "LLaMA") are resolved to entity keys here, and an
entity is created for a referenced thing the catalog names but never lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from llmkg.ingest import names as N
from llmkg.keys import key
from llmkg.ingest.lexicon import Lexicon, load_lexicon
from llmkg.ingest.records import Problem, Record, Ref

Source = tuple[str, int]  # (catalog file name, line)

# Predicates with one value per entity: when an entity is listed twice with
# different dates, the earliest is its release (or publication).
SINGLE_VALUED = ("releaseDate", "publicationDate")


@dataclass(frozen=True, order=True)
class Target:
    """A resolved reference: the kind and identity slug of an entity."""

    kind: str
    slug: str


@dataclass
class Entity:
    kind: str
    slug: str
    label: str
    alt_labels: set[str] = field(default_factory=set)
    sources: set[Source] = field(default_factory=set)
    facts: dict[tuple[str, object], set[Source]] = field(default_factory=dict)
    weak: set[tuple[str, object]] = field(default_factory=set)  # facts only tentative records state

    @property
    def target(self) -> Target:
        return Target(self.kind, self.slug)


class _Keys:
    """Union-find over identity keys, so aliases join their entities."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, k: str) -> str:
        self.parent.setdefault(k, k)
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the shorter (then smaller) key names the group: stable across catalog versions
            keep, drop = sorted((ra, rb), key=lambda x: (len(x), x))
            self.parent[drop] = keep


def _acronym_of(short: str, name: str) -> bool:
    """'KII' of 'Kestrel Intelligence Institute': the capitals of its words, in order."""
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z][\w'-]*", name) if w[0].isupper())
    return len(short) >= 2 and short.isupper() and short.isalpha() and short == initials


def catalog_slug(name: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-").lower() or "catalog"


def resolve(records: list[Record], lexicon: Lexicon | None = None, *,
            doubts: list[Problem] | None = None) -> list[Entity]:
    """One entity per real thing. Tentative model records join only a model that
    a sure record names; the doubts of the others go to `doubts`."""
    return _Resolver(lexicon or load_lexicon()).run(_settled(_release_stages(records), doubts))


# "o3 preview", "Orbit-5 (Preview)": a release stage written apart from the name is the model
# itself, whether or not this version also lists it bare ("MAI-1-preview", joined, is a name)
_STAGE = re.compile(r"^(.*?\S)\s+\(?preview\)?$", re.I)


def _release_stages(records: list[Record]) -> list[Record]:
    for record in records:
        stage = _STAGE.match(record.name) if record.kind == "model" else None
        if stage and re.search(r"\d", stage.group(1)):
            record.aliases.append(record.name)
            record.name = stage.group(1)
    return records


def _settled(records: list[Record], doubts: list[Problem] | None) -> list[Record]:
    """The sure records and the tentative ones whose model a sure record names."""
    if not any(r.tentative for r in records):
        return records
    keys = _Keys()
    sure: set[str] = set()
    for record in records:
        if record.kind == "model" and not record.tentative:
            own = key(record.name)
            for alias in record.aliases:
                if key(alias):
                    keys.union(own, key(alias))
            sure.add(own)
    roots = {keys.find(k) for k in sure if k}
    kept = []
    for record in records:
        first = re.fullmatch(r"(.+?)[\s-]*(?:1|v1|I)", record.name)
        if not record.tentative:
            kept.append(record)
        elif key(record.name) and keys.find(key(record.name)) in roots:
            kept.append(record)
        elif first and key(first.group(1)) in sure:
            # "Llama 1" is the first Llama, which the catalog lists as "Llama"
            record.aliases.append(record.name)
            record.name = first.group(1)
            kept.append(record)
        elif record.doubt is not None and doubts is not None:
            doubts.append(record.doubt)
    return kept


class _Resolver:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.keys = {kind: _Keys() for kind in ("model", "organization", "paper", "architecture",
                                                 "section", "catalog")}
        self.entities: dict[Target, Entity] = {}

    def identity(self, kind: str, name: str, explicit: str | None = None) -> str:
        if explicit:
            return explicit
        if kind == "organization":
            org = self.lex.organization(name)
            return key(org.name) if org else key(N.strip_parens(name))
        if kind == "architecture":
            arch = self.lex.architecture(name)
            return key(arch.name) if arch else key(name)
        if kind == "catalog":
            return catalog_slug(name)
        return key(name)

    def canonical_name(self, kind: str, name: str) -> str:
        if kind == "organization":
            org = self.lex.organization(name)
            return org.name if org else N.strip_parens(name)
        if kind == "architecture":
            arch = self.lex.architecture(name)
            return arch.name if arch else name
        return name

    def run(self, records: list[Record]) -> list[Entity]:
        # 1. identities: every name and alias of a record joins one group
        for record in records:
            keys = self.keys[record.kind]
            own = self.identity(record.kind, record.name, record.identity)
            keys.find(own)
            if record.kind == "model":
                for alias in record.aliases:
                    if key(alias):
                        keys.union(own, key(alias))
            elif record.kind == "organization":
                for alias in record.aliases:  # "Kestrel Intelligence Institute (KII)": its acronym
                    if _acronym_of(alias, record.name) or _acronym_of(record.name, alias):
                        keys.union(own, key(alias))
        self._join_suffixed_organizations()
        # 2. entities, in catalog order so labels are the first spelling seen
        for record in records:
            entity = self._entity(record.kind, record.name, record.identity)
            source = (record.catalog, record.line)
            entity.sources.add(source)
            for alias in [record.name, *record.aliases]:
                if alias and alias != entity.label:
                    entity.alt_labels.add(alias)
            entity.sources.add((record.catalog, record.line))
            catalog = self._entity("catalog", record.catalog, None)
            entity.facts.setdefault(("fromCatalog", catalog.target), set()).add(source)
        # 3. facts, resolving references (which may create entities)
        for record in records:
            entity = self._entity(record.kind, record.name, record.identity)
            for fact in record.facts:
                value = fact.value
                if isinstance(value, Ref):
                    target = self._entity(value.kind, value.name, None, created_by=(record.catalog, fact.line))
                    if target is entity:
                        continue  # "Llama ... built on the Llama": no self-lineage
                    value = target.target
                fact_key = (fact.predicate, value)
                # a preview's date yields to the release's ("o3 preview [Dec 2024]", "o3 [Apr 2025]")
                weak = record.tentative or (fact.predicate == "releaseDate" and _STAGE.match(record.aliases[-1])
                                            if record.aliases and record.kind == "model" else False)
                if weak and fact_key not in entity.facts:
                    entity.weak.add(fact_key)
                elif not weak:
                    entity.weak.discard(fact_key)
                entity.facts.setdefault(fact_key, set()).add((record.catalog, fact.line))
        _papers_titled_with_models(self.entities.values())
        self._makers_from_repositories()
        for entity in self.entities.values():
            if entity.kind == "organization":
                label, entity.label = entity.label, self._fullest_name(entity)
                entity.alt_labels.add(label)
            _keep_earliest(entity)
            entity.alt_labels.discard(entity.label)
            entity.alt_labels = {a for a in entity.alt_labels if a.strip()}
        return sorted(self.entities.values(), key=lambda e: (e.kind, e.slug))

    def _makers_from_repositories(self) -> None:
        """A model no entry gives a maker is made by the owner of its repository when the
        catalog names that owner as an organisation elsewhere ('github.com/acme-labs/...'
        beside an 'Acme Labs' heading). Only here does every record's maker show, whole
        or in chunks; any other owner may be a person's account and names no one."""
        from llmkg.ingest.facts import repository_owner

        orgs = self.keys["organization"]
        for entity in list(self.entities.values()):
            if entity.kind != "model" or any(p == "developedBy" for p, _ in entity.facts):
                continue
            for (predicate, value), sources in sorted(entity.facts.items(), key=lambda f: min(f[1])):
                owner = repository_owner(value.value) if predicate == "repository" else None
                if owner and key(owner) in orgs.parent:
                    maker = Target("organization", orgs.find(key(owner)))
                    if maker in self.entities:
                        entity.facts[("developedBy", maker)] = set(sources)
                        break

    def _fullest_name(self, org: Entity) -> str:
        """An organisation is labelled by its full name, not by its acronym or by its name
        without 'AI' or 'Labs' (a spelling the lexicon gives wins)."""
        if self.lex.organization(org.label):
            return org.label
        for alt in sorted(org.alt_labels):
            if _acronym_of(org.label, alt) or any(
                    key(alt) == key(org.label) + key(s) for s in self.lex.organization_suffixes):
                return alt
        return org.label

    def _join_suffixed_organizations(self) -> None:
        """'Orbis' (a heading over Orbis models) and 'Orbis AI' (stated in an entry) in one
        catalog are one maker, named by its fuller name: an organisation word ends it."""
        keys = self.keys["organization"]
        short = {k for k in keys.parent}
        for k in list(keys.parent):
            for suffix in self.lex.organization_suffixes:
                base = k.removesuffix(key(suffix))
                if base != k and base in short and keys.find(base) != keys.find(k):
                    keys.parent[keys.find(base)] = keys.find(k)
                    break

    def _entity(self, kind: str, name: str, explicit: str | None, created_by: Source | None = None) -> Entity:
        if kind == "model" and not explicit:
            k = key(name)
            # a reference such as "LLaMA 7B" means the model LLaMA
            if k not in self.keys["model"].parent and key(N.drop_size_suffix(name)) in self.keys["model"].parent:
                name = N.drop_size_suffix(name)
        slug = self.keys[kind].find(self.identity(kind, name, explicit))
        target = Target(kind, slug)
        entity = self.entities.get(target)
        if entity is None:
            entity = Entity(kind, slug, self.canonical_name(kind, name))
            self.entities[target] = entity
            arch = self.lex.architecture(name) if kind == "architecture" else None
            if arch:  # "MoE", "SSM": the names people query architectures by
                entity.alt_labels.update(arch.aliases)
            if created_by:
                entity.sources.add(created_by)
                if kind != "catalog":
                    catalog = self._entity("catalog", created_by[0], None)
                    entity.facts.setdefault(("fromCatalog", catalog.target), set()).add(created_by)
        elif kind in ("organization", "architecture") and name != entity.label:
            entity.alt_labels.add(name)
        return entity


_TITLE_AFTER_NAME = re.compile(r"\s*(?::|(?:family|series|technical report|model card|system card)\b)", re.I)


def _papers_titled_with_models(entities) -> None:
    """'Gemini 2.5: Pushing the Frontier ...', 'The Amazon Nova Family of Models: Technical
    Report': a paper whose title opens with a model's name describes that model."""
    entities = list(entities)
    models = {}
    for entity in entities:
        if entity.kind == "model":
            for name in (entity.label, *entity.alt_labels):
                models.setdefault(key(name), entity)
    for paper in entities:
        if paper.kind != "paper":
            continue
        title = re.sub(r"^(?:the|a|an)\s+", "", paper.label, flags=re.I)
        words = title.split()
        for n in range(min(4, len(words)), 0, -1):
            head = " ".join(words[:n])
            model = models.get(key(head.rstrip(":")))
            if model and (head.endswith(":") or _TITLE_AFTER_NAME.match(title, len(head))):
                sources = set().union(*(s for (p, _), s in paper.facts.items() if p == "arxivId"))
                model.facts.setdefault(("describedIn", paper.target), set()).update(sources)
                break


def _keep_earliest(entity: Entity) -> None:
    for predicate in SINGLE_VALUED:
        values = [value for (p, value) in entity.facts if p == predicate]
        sure = [v for v in values if (predicate, v) not in entity.weak]
        if sure and len(sure) < len(values):  # a passing mention's date yields to the entry's own
            for value in set(values) - set(sure):
                del entity.facts[(predicate, value)]
            values = sure
        if len(values) > 1:
            # the earliest date; at equal start the most precise ("2024-03-28" over "2024-03")
            keep = min(values, key=lambda d: (d.lexical[:len(min(v.lexical for v in values))],
                                              -len(d.lexical)))
            for value in values:
                if value != keep:
                    del entity.facts[(predicate, value)]
