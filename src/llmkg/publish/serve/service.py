"""What the endpoint says about itself and the minted namespace it serves:
the SPARQL service description (GET /sparql without a query, `sd:`
vocabulary), the ontology (/ontology, the IRI https://w3id.org/llmkg/ontology),
and the named graphs (/graph/NAME, the IRIs https://w3id.org/llmkg/graph/NAME).
"""

from __future__ import annotations

from functools import lru_cache

from starlette.requests import Request
from starlette.responses import Response

from llmkg import vocab as V
from llmkg.publish.serve import results as R

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
# the W3C format IRIs of what the endpoint writes
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "N-Quads", "TriG", "RDF_XML", "JSON-LD", "N3")


def service_triples(endpoint: str, graphs: list[str]) -> list:
    import pyoxigraph as ox

    rdf_type = ox.NamedNode(V.RDF + "type")
    service, sd = ox.NamedNode(endpoint), (lambda name: ox.NamedNode(SD + name))
    dataset, default = ox.BlankNode("dataset"), ox.BlankNode("default")
    triples = [(service, rdf_type, sd("Service")), (service, sd("endpoint"), service),
               (service, sd("supportedLanguage"), sd("SPARQL11Query")),
               (service, sd("feature"), sd("UnionDefaultGraph")),
               (service, sd("defaultDataset"), dataset), (dataset, rdf_type, sd("Dataset")),
               (dataset, sd("defaultGraph"), default), (default, rdf_type, sd("Graph"))]
    triples += [(service, sd("resultFormat"), ox.NamedNode(FORMATS + f)) for f in RESULT_FORMATS]
    for n, graph in enumerate(graphs):
        named = ox.BlankNode(f"graph{n}")
        triples += [(dataset, sd("namedGraph"), named), (named, rdf_type, sd("NamedGraph")),
                    (named, sd("name"), ox.NamedNode(graph))]
    return [ox.Triple(*t) for t in triples]


async def description(request: Request, wanted: str | None) -> Response:
    """The service description, in the RDF format the client asked for (Turtle by default)."""
    from llmkg.publish.serve.worker import graph_names

    offer = R.negotiate(request.headers.get("accept"), R.GRAPH_OFFERS, wanted=wanted)
    graphs = await request.app.state.engine.call(graph_names)
    body = R.graph_body(service_triples(endpoint_url(request), graphs), offer.name)
    return Response(body, media_type=R.media_type(offer), headers={"Vary": "Accept"})


@lru_cache(maxsize=16)
def _ontology(name: str) -> bytes:
    import pyoxigraph

    from llmkg.paths import shipped

    triples = list(pyoxigraph.parse(path=str(shipped("ontology") / "llmkg.ttl"), format=pyoxigraph.RdfFormat.TURTLE))
    return R.graph_body(triples, name)


async def ontology(request: Request) -> Response:
    """GET /ontology: the OWL ontology (ontology/llmkg.ttl) in the format asked for."""
    offer = R.negotiate(request.headers.get("accept"), R.GRAPH_OFFERS, wanted=request.query_params.get("format"))
    return Response(_ontology(offer.name), media_type=R.media_type(offer), headers={"Vary": "Accept"})


def endpoint_url(request: Request) -> str:
    """The endpoint's public URL (--base-url's, else the request's): the base of relative IRIs."""
    base = request.app.state.base_url
    return (base + "sparql") if base else str(request.url_for("sparql"))
