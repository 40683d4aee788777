"""Write expected.ttl (the data graph) for every golden case from the current ingester.

Run it only after a deliberate change of behaviour, then read the diff of
every expected.ttl line by line before committing: the files are the spec.

    python tests/cases/regenerate.py
"""

from pathlib import Path

import pyoxigraph

from llmkg import vocab as V
from llmkg.build import graph_quads

for case in sorted(Path(__file__).parent.iterdir()):
    if (case / "catalog.md").is_file():
        quads, _ = graph_quads([case / "catalog.md"])
        triples = sorted({pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads
                          if q.graph_name.value == V.DATA_GRAPH}, key=str)
        (case / "expected.ttl").write_bytes(
            pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=V.PREFIXES))
        print(f"wrote {case / 'expected.ttl'} ({len(triples)} triples)")
