"""The catalog's history: every committed version as one graph.

versions.py reads the versions from git; units.py cuts a version into the
units whose extraction is cached; cache.py keeps that cache in the store;
timeline.py runs the job (`llmkg history`); temporal.py writes the RDF model
(docs/vocabulary.md, "History"); snapshot.py and diff.py compare two
versions, catalogs or stores (`llmkg diff`).
"""
