"""Score a built graph against a hand-labelled gold standard.

The gold standard is a TSV file (format in tests/gold/README.md): entity rows,
alias rows and fact rows, each `sure` or `ambiguous`. `evaluate(gold, store)`
reads it and the graph in a pyoxigraph store and computes precision, recall
and F1 per entity type and per predicate, lists false positives and false
negatives with the catalog lines they come from, and counts duplicates.

Matching is by name, blind to case, accents and punctuation: a predicted
entity matches a gold entity of the same type when any of its rdfs:label /
skos:altLabel keys equals any of the gold entity's names (name + aliases).
Papers match by arXiv id. Ambiguous gold rows count neither way.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from llmkg.errors import FormatError
from llmkg.evaluation.gold import (KINDS, PREDICATE_IRIS, PREDICATES, Gold, GoldError, GoldFact, arxiv_key, load_gold,
                        name_key, value_key)
from llmkg.vocab import LLMKG, PROV, RDF, RDFS, SKOS

__all__ = ["EvalReport", "GoldError", "Miss", "Score", "evaluate", "read_graph", "score"]

# sub-properties the vocabulary defines; the store's own rdfs:subPropertyOf
# statements are followed too, when the ontology is loaded into it.
SUBPROPERTIES = {"basedOn": ("fineTunedFrom", "builtOn", "reproductionOf")}


# ---------------------------------------------------------------- the graph
@dataclass
class PredEntity:
    iri: str
    kind: str
    label: str
    keys: set[str]
    lines: list[int]


@dataclass
class PredFact:
    subject: str      # IRI
    predicate: str    # local name of the gold predicate it counts for
    object: str       # IRI or literal lexical form
    is_iri: bool
    lines: list[int]


def _select(store, query: str):
    prefixes = {"llmkg": LLMKG, "rdf": RDF, "rdfs": RDFS, "skos": SKOS, "prov": PROV}
    head = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items())
    return store.query(head + query, use_default_graph_as_union=True)


def read_graph(store) -> tuple[list[PredEntity], list[PredFact]]:
    entities: dict[tuple[str, str], PredEntity] = {}
    paper_ids: dict[str, str] = {}
    for kind in KINDS:
        rows = _select(store, f"""
            SELECT ?e ?label ?alt ?id WHERE {{
              ?e rdf:type/rdfs:subClassOf* llmkg:{kind} .
              OPTIONAL {{ ?e rdfs:label ?label }} OPTIONAL {{ ?e skos:altLabel ?alt }}
              OPTIONAL {{ ?e llmkg:arxivId ?id }} }}""")
        for row in rows:
            iri = row["e"].value
            entity = entities.setdefault((kind, iri), PredEntity(iri, kind, "", set(), []))
            for var in ("label", "alt", "id"):
                term = row[var]
                if term is None:
                    continue
                if var == "label" and (not entity.label or term.value < entity.label):
                    entity.label = term.value
                if kind == "Paper":
                    if var == "id":
                        entity.keys.add(arxiv_key(term.value))
                        paper_ids[iri] = term.value
                else:
                    entity.keys.add(name_key(term.value))
    for entity in entities.values():
        if entity.kind == "Paper" and entity.iri in paper_ids:
            entity.label = paper_ids[entity.iri]  # reports show papers by arXiv id
        if not entity.label:
            entity.label = entity.iri.rsplit("/", 1)[-1]
        if entity.kind == "Paper" and not entity.keys:
            entity.keys.add(arxiv_key(entity.label))
    for row in _select(store, """SELECT DISTINCT ?e ?n WHERE {
            ?e prov:wasDerivedFrom ?src . ?src llmkg:lineNumber ?n }"""):
        for kind in KINDS:
            if (kind, row["e"].value) in entities:
                entities[(kind, row["e"].value)].lines.append(int(row["n"].value))
    # a fact without a statement of its own comes from its subject's only line
    entity_lines = {iri: e.lines for (_, iri), e in entities.items()}
    statement_lines: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for row in _select(store, """SELECT DISTINCT ?s ?p ?o ?n WHERE {
            ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                prov:wasDerivedFrom ?src . ?src llmkg:lineNumber ?n }"""):
        statement_lines[(row["s"].value, row["p"].value, str(row["o"]))].append(
            int(row["n"].value))
    facts: dict[tuple[str, str, str], PredFact] = {}
    for name in PREDICATES:
        iri = PREDICATE_IRIS.get(name, LLMKG + name)
        iris = {iri} | {LLMKG + sub for sub in SUBPROPERTIES.get(name, ())}
        for row in _select(store, f"SELECT ?q WHERE {{ ?q rdfs:subPropertyOf+ <{iri}> }}"):
            iris.add(row["q"].value)
        for iri in sorted(iris):
            for row in _select(store, f"SELECT ?s ?o WHERE {{ ?s <{iri}> ?o }}"):
                s, o = row["s"], row["o"]
                is_iri = type(o).__name__ == "NamedNode"
                key = (s.value, name, o.value)
                fact = facts.setdefault(key, PredFact(s.value, name, o.value, is_iri, []))
                fact.lines.extend(statement_lines.get((s.value, iri, str(o)), [])
                                  or entity_lines.get(s.value, []))
    for fact in facts.values():
        fact.lines = sorted(set(fact.lines))
    for entity in entities.values():
        entity.lines = sorted(set(entity.lines))
    return sorted(entities.values(), key=lambda e: (e.kind, e.iri)), sorted(
        facts.values(), key=lambda f: (f.predicate, f.subject, f.object))


# ---------------------------------------------------------------- scoring
@dataclass
class Score:
    name: str
    gold: int = 0
    predicted: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    ignored: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {**asdict(self), "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Miss:
    category: str     # "Model", "developedBy", ...
    subject: str
    object: str
    lines: list[int]
    cause: str


@dataclass
class EvalReport:
    scores: list[Score]
    false_positives: list[Miss]
    false_negatives: list[Miss]
    duplicates: list[tuple[str, list[str]]]   # (kind, labels of entities that collide)
    splits: list[tuple[str, str, list[str]]]  # (kind, gold name, labels of predicted entities)
    ignored: list[Miss] = field(default_factory=list)  # predictions ambiguous in gold

    @property
    def duplicate_count(self) -> int:
        return sum(len(labels) - 1 for _kind, labels in self.duplicates)

    def score(self, name: str) -> Score:
        return next(s for s in self.scores if s.name == name)

    def render(self, fmt: str = "text") -> str:
        if fmt == "text":
            return _render_text(self)
        if fmt == "json":
            return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
        raise FormatError(f"unknown report format {fmt!r}", hint="Use text or json")

    def to_dict(self) -> dict:
        return {
            "scores": [s.as_dict() for s in self.scores],
            "duplicates": {"count": self.duplicate_count,
                           "groups": [{"kind": k, "labels": v} for k, v in self.duplicates]},
            "splits": [{"kind": k, "gold": g, "predicted": v} for k, g, v in self.splits],
            "false_negatives": [asdict(m) for m in self.false_negatives],
            "false_positives": [asdict(m) for m in self.false_positives],
            "ignored": [asdict(m) for m in self.ignored],
        }


def evaluate(gold: Path, store: Path) -> EvalReport:
    """Score the graph in the pyoxigraph store at `store` against the gold TSV `gold`."""
    from llmkg.store import open_store

    labelled = load_gold(Path(gold))
    entities, facts = read_graph(open_store(Path(store)))
    return score(labelled, entities, facts)


def _entity_label(by_iri: dict[str, list[PredEntity]], iri: str) -> str:
    found = by_iri.get(iri)
    return found[0].label if found else iri


def score(gold: Gold, entities: list[PredEntity], facts: list[PredFact]) -> EvalReport:
    """Compare labelled gold with predicted entities and facts (pure function)."""
    scores, fps, fns, ign = [], [], [], []
    by_iri: dict[str, list[PredEntity]] = defaultdict(list)
    for entity in entities:
        by_iri[entity.iri].append(entity)
    any_gold = gold.by_key()
    splits = []
    for kind in KINDS:
        row = Score(kind)
        index = gold.by_key(kind)
        mine = [e for e in entities if e.kind == kind]
        row.predicted = len(mine)
        found: dict[int, list[str]] = defaultdict(list)
        for entity in mine:
            hits = {id(g): g for key in entity.keys for g in index.get(key, [])}
            sure = [g for g in hits.values() if g.sure]
            for g in sure:
                found[id(g)].append(entity.label)
            if not sure and hits:
                row.ignored += 1
                ign.append(Miss(kind, entity.label, "", entity.lines, "ambiguous in gold"))
            elif not sure:
                row.fp += 1
                other = sorted({g.kind for key in entity.keys for g in any_gold.get(key, [])})
                cause = (f"gold types it {'/'.join(other)}" if other
                         else "not in gold")
                fps.append(Miss(kind, entity.label, "", entity.lines, cause))
        for g in gold.entities:
            if g.kind != kind or not g.sure:
                continue
            row.gold += 1
            if id(g) in found:
                row.tp += 1
                if len(found[id(g)]) > 1:
                    splits.append((kind, g.name, sorted(found[id(g)])))
            else:
                row.fn += 1
                fns.append(Miss(kind, g.name, "", [g.line], "not extracted"))
        scores.append(row)
    duplicates = _duplicates(entities)
    scores.append(_total("all entities", scores))
    fact_rows = _score_facts(gold, entities, facts, by_iri, fps, fns, ign)
    scores.extend(fact_rows)
    scores.append(_total("all facts", fact_rows))
    fps.sort(key=lambda m: (m.category, m.subject.lower(), m.object))
    fns.sort(key=lambda m: (m.category, m.lines, m.subject.lower(), m.object))
    ign.sort(key=lambda m: (m.category, m.subject.lower(), m.object))
    return EvalReport(scores, fps, fns, duplicates, sorted(splits), ign)


def _total(name: str, rows: list[Score]) -> Score:
    total = Score(name)
    for row in rows:
        for attr in ("gold", "predicted", "tp", "fp", "fn", "ignored"):
            setattr(total, attr, getattr(total, attr) + getattr(row, attr))
    return total


def _duplicates(entities: list[PredEntity]) -> list[tuple[str, list[str]]]:
    groups = []
    for kind in KINDS:
        mine = [e for e in entities if e.kind == kind]
        parent = list(range(len(mine)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i
        owner: dict[str, int] = {}
        for i, entity in enumerate(mine):
            for key in entity.keys:
                if key in owner:
                    parent[root(i)] = root(owner[key])
                else:
                    owner[key] = i
        members: dict[int, list[str]] = defaultdict(list)
        for i, entity in enumerate(mine):
            members[root(i)].append(entity.label)
        groups += [(kind, sorted(m)) for m in members.values() if len(m) > 1]
    return sorted(groups)


def _score_facts(gold, entities, facts, by_iri, fps, fns, ign) -> list[Score]:
    keys_of = {e.iri: set() for e in entities}
    for entity in entities:
        keys_of[entity.iri] |= entity.keys
    any_gold = gold.by_key()
    rows = []
    for predicate in PREDICATES:
        row = Score(predicate)
        gold_facts = [f for f in gold.facts if f.predicate == predicate]
        index: dict[str, list[GoldFact]] = defaultdict(list)
        for fact in gold_facts:
            for key in fact.subject_keys:
                index[key].append(fact)
        predicted = [f for f in facts if f.predicate == predicate]
        row.predicted = len(predicted)
        matched: set[int] = set()
        seen_values: dict[int, list[str]] = defaultdict(list)
        for fact in predicted:
            s_keys = keys_of.get(fact.subject) or {name_key(fact.subject.rsplit("/", 1)[-1])}
            if PREDICATES[predicate] in KINDS and fact.is_iri:
                slug = fact.object.rstrip("/").rsplit("/", 1)[-1]
                o_keys = keys_of.get(fact.object) or {value_key(predicate, slug)}
                shown = _entity_label(by_iri, fact.object)
            else:
                o_keys = {value_key(predicate, fact.object)}
                shown = fact.object
            hits = {id(g): g for key in s_keys for g in index.get(key, [])
                    if g.object_keys & o_keys}
            subject = _entity_label(by_iri, fact.subject)
            for key in s_keys:
                for g in index.get(key, []):
                    seen_values[id(g)].append(shown)
            if any(g.sure for g in hits.values()):
                matched.update(id(g) for g in hits.values() if g.sure)
                continue
            subject_gold = [g for key in s_keys for g in any_gold.get(key, [])]
            if hits or (subject_gold and not any(g.sure for g in subject_gold)):
                row.ignored += 1
                ign.append(Miss(predicate, subject, shown, fact.lines,
                                "ambiguous in gold" if hits else "subject ambiguous in gold"))
                continue
            row.fp += 1
            expected = sorted({g.object for g in gold_facts
                               if g.subject_keys & s_keys and g.sure})
            cause = ("subject not a gold entity" if not subject_gold
                     else f"gold: {', '.join(expected)}" if expected else "no such gold fact")
            fps.append(Miss(predicate, subject, shown, fact.lines, cause))
        for g in gold_facts:
            if not g.sure:
                continue
            row.gold += 1
            if id(g) in matched:
                row.tp += 1
                continue
            row.fn += 1
            got = sorted(set(seen_values.get(id(g), [])))
            subject_found = any(keys_of[e.iri] & g.subject_keys for e in entities)
            cause = ("subject entity missing" if not subject_found
                     else f"predicted: {', '.join(got)}" if got else "not extracted")
            fns.append(Miss(predicate, g.subject, g.object, [g.line], cause))
        rows.append(row)
    return rows


# ---------------------------------------------------------------- rendering
def _render_text(report: EvalReport) -> str:
    out = [f"{'predicate':<22}{'gold':>6}{'predicted':>10}{'TP':>6}{'FP':>6}{'FN':>6}"
           f"{'ign':>6}{'P':>7}{'R':>7}{'F1':>7}"]
    for s in report.scores:
        if s.name in ("all entities", "all facts") or s.name == "developedBy":
            out.append("-" * len(out[0]))
        out.append(f"{s.name:<22}{s.gold:>6}{s.predicted:>10}{s.tp:>6}{s.fp:>6}{s.fn:>6}"
                   f"{s.ignored:>6}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}")
    out.append(f"duplicate entities: {report.duplicate_count} "
               f"(in {len(report.duplicates)} groups); gold entities split over several "
               f"predicted ones: {len(report.splits)}")
    for title, misses in (("False negatives", report.false_negatives),
                          ("False positives", report.false_positives)):
        out.append(f"\n{title} ({len(misses)})")
        for m in misses:
            what = f"{m.subject} -> {m.object}" if m.object else m.subject
            where = ",".join(map(str, m.lines)) or "?"
            out.append(f"  {m.category:<20} {what}  [line {where}]  ({m.cause})")
    if report.ignored:
        out.append(f"\nIgnored: predictions that gold marks ambiguous ({len(report.ignored)})")
        out += [f"  {m.category:<20} {m.subject}" + (f" -> {m.object}" if m.object else "")
                for m in report.ignored]
    if report.duplicates:
        out.append(f"\nDuplicate groups ({len(report.duplicates)})")
        out += [f"  {kind:<20} {' | '.join(labels)}" for kind, labels in report.duplicates]
    if report.splits:
        out.append(f"\nGold entities matched by several predicted entities ({len(report.splits)})")
        out += [f"  {kind:<20} {name}: {' | '.join(labels)}"
                for kind, name, labels in report.splits]
    return "\n".join(out) + "\n"
