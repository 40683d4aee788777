"""Checking the graph: SHACL validation (compiled to SPARQL, or pySHACL) and OWL reasoning."""
