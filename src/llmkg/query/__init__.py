"""Running SPARQL: saved queries, parameter binding, remote endpoints."""
