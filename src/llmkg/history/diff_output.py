"""A diff as text (for people), JSON, or N-Quads (the added and the removed triples)."""

from __future__ import annotations

from llmkg.history.snapshot import ADDED_GRAPH, REMOVED_GRAPH, TYPE as _TYPE, Snapshot, Source, term_of

_MARK = {"added": "+", "removed": "-", "changed": "~"}
TEXT_WIDTH = 110  # catalog lines are clipped to this in text output


def _shown(term: str) -> str:
    """A term for people: prefixed IRIs (as query tables show them), plain values."""
    from llmkg.query.results import compact

    value = term_of(term)
    return compact(value.value) if type(value).__name__ == "NamedNode" else value.value


def _where(sources: list[Source]) -> str:
    return ", ".join(f"{file}:{line}" for file, line in sources) or "no line"


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_WIDTH else text[:TEXT_WIDTH - 1] + "…"


def _summary(diff) -> str:
    counts = diff.counts()
    return (f"{counts['entities added']} entities added, {counts['entities removed']} removed, "
            f"{counts['entities changed']} changed; {counts['facts added']} facts added, "
            f"{counts['facts removed']} removed, {counts['facts changed']} changed")


def _facts(snapshot: Snapshot) -> int:
    return sum(1 for (_, p, _) in snapshot.facts if not p.endswith(("nameKey>", "fromCatalog>")))


def text(diff) -> str:
    lines = [f"--- {diff.old.name} ({_facts(diff.old)} facts)",
             f"+++ {diff.new.name} ({_facts(diff.new)} facts)"]
    for entity in diff.entities:
        lines.append("")
        lines.append(f"{_MARK[entity.status]} {_shown(entity.iri)}  {_shown(entity.label)}  "
                     f"({_shown(entity.kind) if entity.kind else 'untyped'})")
        for side, snapshot, sources in (("-", diff.old, entity.old_sources), ("+", diff.new, entity.new_sources)):
            for source in sources[:3]:
                line_text = snapshot.texts.get(source)
                lines.append(f"    {side} {source[0]}:{source[1]}" + (f"  {_clip(line_text)}" if line_text else ""))
            if len(sources) > 3:
                lines.append(f"    {side} ... and {len(sources) - 3} more lines")
        for prop in entity.properties:
            name = _shown(prop.property)
            old = "; ".join(f"{_shown(v.value)} ({_where(v.sources)})" for v in prop.old)
            new = "; ".join(f"{_shown(v.value)} ({_where(v.sources)})" for v in prop.new)
            if prop.status == "changed":
                lines.append(f"    ~ {name}: {old} -> {new}")
            else:
                lines.append(f"    {_MARK[prop.status]} {name}: {old or new}")
    lines += ["", _summary(diff)]
    return "\n".join(lines) + "\n"


def _json_term(term: str) -> dict:
    from llmkg.query.results import _json_term as sparql_json

    return sparql_json(term_of(term))


def _json_sources(snapshot: Snapshot, sources: list[Source]) -> list[dict]:
    out = []
    for file, line in sources:
        item = {"file": file, "line": line}
        if (file, line) in snapshot.texts:
            item["text"] = snapshot.texts[(file, line)]
        out.append(item)
    return out


def json(diff) -> str:
    import json as json_module

    entities = []
    for entity in diff.entities:
        entities.append({
            "entity": term_of(entity.iri).value, "label": term_of(entity.label).value,
            "class": term_of(entity.kind).value if entity.kind else None, "status": entity.status,
            "old_lines": _json_sources(diff.old, entity.old_sources),
            "new_lines": _json_sources(diff.new, entity.new_sources),
            "properties": [{
                "property": term_of(prop.property).value, "status": prop.status,
                "old": [{"value": _json_term(v.value), "lines": _json_sources(diff.old, v.sources)} for v in prop.old],
                "new": [{"value": _json_term(v.value), "lines": _json_sources(diff.new, v.sources)} for v in prop.new],
            } for prop in entity.properties],
        })
    out = {"old": diff.old.name, "new": diff.new.name, "summary": diff.counts(), "entities": entities}
    return json_module.dumps(out, indent=1, ensure_ascii=False) + "\n"


def nquads(diff) -> str:

    types = {"added": _types(diff.new), "removed": _types(diff.old)}
    lines = set()
    for entity in diff.entities:
        if entity.status != "changed":  # its type went or came with it
            graph = ADDED_GRAPH if entity.status == "added" else REMOVED_GRAPH
            lines.update(f"{entity.iri} {_TYPE} {o} <{graph}> .\n" for o in types[entity.status].get(entity.iri, ()))
        for prop in entity.properties:
            lines.update(f"{entity.iri} {prop.property} {v.value} <{REMOVED_GRAPH}> .\n" for v in prop.old)
            lines.update(f"{entity.iri} {prop.property} {v.value} <{ADDED_GRAPH}> .\n" for v in prop.new)
    return "".join(sorted(lines))


def _types(snapshot: Snapshot) -> dict[str, list[str]]:

    out: dict[str, list[str]] = {}
    for s, p, o in snapshot.facts:
        if p == _TYPE:
            out.setdefault(s, []).append(o)
    return out
