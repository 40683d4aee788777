"""The class and property hierarchy of an ontology, as the reasoner and its explanations use it."""

from __future__ import annotations

from collections.abc import Iterable

from llmkg import vocab

_TYPE = vocab.RDF + "type"
_SUBCLASS = vocab.RDFS + "subClassOf"
_SUBPROP = vocab.RDFS + "subPropertyOf"
_EQ_CLASS = vocab.OWL + "equivalentClass"
_EQ_PROP = vocab.OWL + "equivalentProperty"
_INVERSE = vocab.OWL + "inverseOf"
_OBJECT_PROPERTY = vocab.OWL + "ObjectProperty"
_DATA_PROPERTY = vocab.OWL + "DatatypeProperty"
_TRANSITIVE = vocab.OWL + "TransitiveProperty"


class Schema:
    """Class and property hierarchy (reflexive-transitive) of a set of triples."""

    def __init__(self, triples: Iterable[tuple[str, str, str]]) -> None:
        up: dict[str, set[str]] = {}
        pup: dict[str, set[str]] = {}
        self.inverse: dict[str, set[str]] = {}
        self.object_props: set[str] = set()
        self.data_props: set[str] = set()
        self.transitive: set[str] = set()
        for s, p, o in triples:
            if p == _SUBCLASS:
                up.setdefault(s, set()).add(o)
            elif p == _EQ_CLASS:
                up.setdefault(s, set()).add(o)
                up.setdefault(o, set()).add(s)
            elif p == _SUBPROP:
                pup.setdefault(s, set()).add(o)
            elif p == _EQ_PROP:
                pup.setdefault(s, set()).add(o)
                pup.setdefault(o, set()).add(s)
            elif p == _INVERSE:
                self.inverse.setdefault(s, set()).add(o)
                self.inverse.setdefault(o, set()).add(s)
            elif p == _TYPE:
                if o == _OBJECT_PROPERTY:
                    self.object_props.add(s)
                elif o == _DATA_PROPERTY:
                    self.data_props.add(s)
                elif o == _TRANSITIVE:
                    self.transitive.add(s)
        self._up, self._pup = up, pup
        self._closure_cache: dict[tuple[int, str], frozenset[str]] = {}

    def superclasses(self, cls: str) -> frozenset[str]:
        return self._closure(0, self._up, cls)

    def superproperties(self, prop: str) -> frozenset[str]:
        return self._closure(1, self._pup, prop)

    def _closure(self, kind: int, edges: dict[str, set[str]], start: str) -> frozenset[str]:
        key = (kind, start)
        if key not in self._closure_cache:
            seen, todo = {start}, [start]
            while todo:
                for nxt in edges.get(todo.pop(), ()):
                    if nxt not in seen and nxt.startswith("http"):
                        seen.add(nxt)
                        todo.append(nxt)
            self._closure_cache[key] = frozenset(seen)
        return self._closure_cache[key]
