"""`llmkg reason` on a store: asserted data in, inferences out to their own graph."""

from __future__ import annotations

from pathlib import Path

from llmkg import vocab as V


def reason_store(store: Path | None = None):
    """Reason over the store's data graph; on success replace its inferred graph.

    Returns llmkg.validation.reason.ReasonReport. The asserted data is never touched: the
    store is rewritten beside the old one (its graphs, the new inferred graph
    in place of the old) and swapped in like a build, which also leaves no
    write-ahead log for every later query to replay. The store's lock is held
    from the read to the swap, so no build comes between them.
    """
    import pyoxigraph

    from llmkg.staging import staged_store, writing
    from llmkg.store import default_store, open_store
    from llmkg.validation.reason import reason

    path = Path(store) if store else default_store()
    open_store(path)  # no store here: say so before taking a lock beside it
    with writing(path):
        db = open_store(path)
        data = pyoxigraph.NamedNode(V.DATA_GRAPH)
        triples = [pyoxigraph.Triple(q.subject, q.predicate, q.object)
                   for q in db.quads_for_pattern(None, None, None, data)]
        text = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES).decode("utf-8")
        report = reason(text)
        if report.consistent:
            inferred = pyoxigraph.NamedNode(V.INFERRED_GRAPH)
            kept = [q for q in db.quads_for_pattern(None, None, None, None) if q.graph_name != inferred]
            del db
            with staged_store(path) as new:
                new.bulk_extend(kept)
                new.bulk_load(report.nquads().encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    return report
