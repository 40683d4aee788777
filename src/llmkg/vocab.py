"""Names of the vocabulary contract (see docs/vocabulary.md).

Plain strings only: importing this module must stay free of rdflib and
pyoxigraph so that `llmkg --help` starts fast.
"""

LLMKG = "https://w3id.org/llmkg/ontology#"
ID = "https://w3id.org/llmkg/id/"
GRAPH = "https://w3id.org/llmkg/graph/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
FAIR4ML = "https://w3id.org/fair4ml#"
FABIO = "http://purl.org/spar/fabio/"
WD = "http://www.wikidata.org/entity/"
SH = "http://www.w3.org/ns/shacl#"

# Named graphs of the store: asserted facts, their provenance, and what the
# reasoner inferred are kept apart so that each can be loaded or dropped alone.
DATA_GRAPH = GRAPH + "data"
PROVENANCE_GRAPH = GRAPH + "provenance"
INFERRED_GRAPH = GRAPH + "inferred"
# `llmkg history`: the catalog's versions and when each fact was stated (docs/vocabulary.md)
HISTORY_GRAPH = GRAPH + "history"

# Kinds of resource IRI: https://w3id.org/llmkg/id/<kind>/<slug>
MODEL = "model"
ORGANIZATION = "organization"
PAPER = "paper"
ARCHITECTURE = "architecture"
SECTION = "section"
CATALOG = "catalog"
SOURCE = "source"
STATEMENT = "statement"
VERSION = "version"
INTERVAL = "interval"

PREFIXES = {
    "llmkg": LLMKG,
    "model": ID + "model/",
    "org": ID + "organization/",
    "paper": ID + "paper/",
    "arch": ID + "architecture/",
    "section": ID + "section/",
    "stmt": ID + "statement/",
    "id": ID,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "prov": PROV,
    "dcterms": DCTERMS,
    "schema": SCHEMA,
    "fair4ml": FAIR4ML,
    "fabio": FABIO,
    "wd": WD,
}


def iri(kind: str, slug: str) -> str:
    """The resource IRI of an entity of `kind` whose identity slug is `slug`."""
    return f"{ID}{kind}/{slug}"
