"""`llmkg reason` on a store: asserted data in, inferences out to their own graph.

Two reasoners give the same inferences on llmkg's ontology (tests/test_reason_rules.py):
HermiT (full OWL 2 DL, through owlready2 and Java) and the OWL 2 RL rules compiled
to SPARQL on Oxigraph (llmkg.validation.rules), which scale. `auto` runs HermiT on
small graphs when Java is installed, the rules otherwise.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from llmkg import vocab as V

REASONERS = ("auto", "rules", "hermit")
# Up to this many asserted triples `auto` runs HermiT (seconds at this size; minutes at 100K entries).
HERMIT_MAX_TRIPLES = 50_000


def reason_store(store: Path | None = None, *, reasoner: str = "auto"):
    """Reason over the store's data graph; on success replace its inferred graph.

    Returns llmkg.validation.reason.ReasonReport (its `reasoner` says which ran). The
    asserted data is never touched: the store is rewritten beside the old one (its
    graphs, the new inferred graph in place of the old) and swapped in like a
    build, which also leaves no write-ahead log for every later query to replay.
    The store's lock is held from the read to the swap, so no build comes between them.
    """
    import pyoxigraph

    from llmkg.staging import writing
    from llmkg.store import default_store, open_store

    path = Path(store) if store else default_store()
    open_store(path)  # no store here: say so before taking a lock beside it
    with writing(path):
        db = open_store(path)
        data = pyoxigraph.NamedNode(V.DATA_GRAPH)
        if reasoner == "auto":
            small = sum(1 for _ in _first(db.quads_for_pattern(None, None, None, data), HERMIT_MAX_TRIPLES + 1))
            reasoner = "hermit" if small <= HERMIT_MAX_TRIPLES and shutil.which("java") else "rules"
        if reasoner == "rules":
            from llmkg.validation.rules import reason_rules

            report = reason_rules(db)
        else:
            from llmkg.validation.reason import reason

            triples = [pyoxigraph.Triple(q.subject, q.predicate, q.object)
                       for q in db.quads_for_pattern(None, None, None, data)]
            report = reason(pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES).decode("utf-8"))
        if report.consistent:
            _store_inferences(path, db, report)
    return report


def _store_inferences(path: Path, db, report) -> None:
    """The store with `report`'s inferred graph in place of the old one, swapped in."""
    import pyoxigraph

    from llmkg.staging import staged_store

    inferred = pyoxigraph.NamedNode(V.INFERRED_GRAPH)
    nt = pyoxigraph.RdfFormat.N_TRIPLES
    if inferred not in db.named_graphs():  # a checkpoint of the store (hard links) plus the new graph
        # of the store on disk: `db` may be its snapshot, read into memory
        with staged_store(path, copy_of=pyoxigraph.Store.read_only(str(path))) as new:
            new.bulk_load(report.ntriples().encode("utf-8"), format=nt, to_graph=inferred)
        return
    # removing a graph in place is slow and leaves a write-ahead log: copy the others, graph
    # by graph in Oxigraph's own format (no Python object per quad)
    graphs = [g for g in db.named_graphs() if g != inferred] + [pyoxigraph.DefaultGraph()]
    with staged_store(path) as new:
        for graph in graphs:
            new.bulk_load(db.dump(format=nt, from_graph=graph), format=nt, to_graph=graph)
        new.bulk_load(report.ntriples().encode("utf-8"), format=nt, to_graph=inferred)


def _first(items, n: int):
    import itertools

    return itertools.islice(items, n)
