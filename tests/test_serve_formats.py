"""`llmkg serve`'s content negotiation and formats over HTTP: Accept q-values
(q=0 excludes, the most specific range counts), HTML only when it is the
best match, the format/output parameter in short names, media types and
lists, every RDF and results format (parsed back and compared with the
store), the service description, the ontology."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CONSTRUCT = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "CONSTRUCT { ?m rdfs:label ?l } WHERE { ?m a <https://w3id.org/llmkg/ontology#Model> ; rdfs:label ?l }")
SELECT = "SELECT ?m WHERE { ?m a <https://w3id.org/llmkg/ontology#Model> } ORDER BY ?m"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
COMUNICA = ("application/n-quads,application/trig;q=0.95,application/ld+json;q=0.9,application/n-triples;q=0.8,"
            "text/turtle;q=0.6,application/rdf+xml;q=0.5,text/n3;q=0.35,application/xml;q=0.3,"
            "image/svg+xml;q=0.3,text/xml;q=0.3,text/html;q=0.2,application/xhtml+xml;q=0.18,"
            "application/json;q=0.135,text/shaclc;q=0.1,text/shaclc-ext;q=0.05")


def local(store, text):
    from llmkg.store import open_store

    return open_store(store).query(text, use_default_graph_as_union=True)


@pytest.mark.parametrize("accept, media", [
    (f"{JSON};q=0, */*", XML),                      # q=0 excludes, even with */* after it
    (f"{JSON};q=0, application/*", XML),
    ("text/*;q=0.5, application/sparql-results+xml;q=0.4", "text/csv"),
    ("text/tab-separated-values, text/*;q=0.1", "text/tab-separated-values"),
    ("application/json", JSON), ("application/xml", XML),
    (BROWSER, XML),                                 # no HTML for a query: its best data format
])
def test_accept_q_values_pick_the_best_results_format(llmkg_server, served_store, accept, media):
    response = llmkg_server.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media


def test_406_names_what_is_offered(llmkg_server):
    response = llmkg_server.get("/sparql", params={"query": SELECT}, headers={"Accept": f"{JSON};q=0, image/png"})
    assert response.status_code == 406
    assert "Ask for one of: application/sparql-results+json, application/sparql-results+xml, text/csv" in response.text
    graph = llmkg_server.get("/sparql", params={"query": CONSTRUCT, "format": "yaml"})
    assert graph.status_code == 406 and "text/turtle" in graph.text and "application/rdf+xml" in graph.text


@pytest.mark.parametrize("name, value, media", [
    ("format", "tsv", "text/tab-separated-values"), ("format", "text/tab-separated-values", "text/tab-separated-values"),
    ("output", "csv", "text/csv"), ("format", "xml", XML), ("output", "json", JSON),
    ("format", "unknown,application/sparql-results+xml", XML),
])
def test_format_parameter_takes_names_media_types_and_lists(llmkg_server, name, value, media):
    response = llmkg_server.get("/sparql", params={"query": SELECT, name: value})
    assert response.status_code == 200 and response.headers["content-type"].split(";")[0] == media


@pytest.mark.parametrize("format, media, parse", [
    ("turtle", "text/turtle", ox.RdfFormat.TURTLE), ("ntriples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("nquads", "application/n-quads", ox.RdfFormat.N_QUADS), ("trig", "application/trig", ox.RdfFormat.TRIG),
    ("rdfxml", "application/rdf+xml", ox.RdfFormat.RDF_XML), ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
    ("n3", "text/n3", ox.RdfFormat.N3),
    ("application/ld+json,application/x-json+ld", "application/ld+json", ox.RdfFormat.JSON_LD),  # SPARQLWrapper's
])
def test_every_graph_format_gives_the_store_triples(llmkg_server, served_store, format, media, parse):
    expected = set(local(served_store, CONSTRUCT))
    for how in ({"params": {"query": CONSTRUCT, "format": format}},
                {"params": {"query": CONSTRUCT}, "headers": {"Accept": media}}):
        response = llmkg_server.get("/sparql", **how)
        assert response.status_code == 200 and response.headers["content-type"].split(";")[0] == media
        got = {(q.subject, q.predicate, q.object) for q in ox.parse(response.content, format=parse)}
        assert got == {(t.subject, t.predicate, t.object) for t in expected}


@pytest.mark.parametrize("format, parse", [("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML),
                                           ("tsv", ox.QueryResultsFormat.TSV)])
def test_results_formats_give_the_store_rows_and_terms(llmkg_server, served_store, format, parse):
    text = "SELECT ?m ?label ?n WHERE { ?m <http://www.w3.org/2000/01/rdf-schema#label> ?label " \
           "OPTIONAL { ?m <https://w3id.org/llmkg/ontology#parameterCount> ?n } } ORDER BY ?m ?label ?n"
    response = llmkg_server.get("/sparql", params={"query": text, "format": format})
    assert [tuple(s) for s in ox.parse_query_results(response.content, format=parse)] == \
        [tuple(s) for s in local(served_store, text)]


def test_get_sparql_without_a_query_is_the_service_description(llmkg_server):
    for accept in (None, "text/turtle", COMUNICA, "*/*"):
        response = llmkg_server.get("/sparql", headers={"Accept": accept} if accept else {})
        assert response.status_code == 200, accept
        media = response.headers["content-type"].split(";")[0]
        triples = list(ox.parse(response.content, format=ox.RdfFormat.from_media_type(media)))
        sd = "http://www.w3.org/ns/sparql-service-description#"
        endpoint = [t.object.value for t in triples if t.predicate.value == sd + "endpoint"]
        assert endpoint == [llmkg_server.url + "/sparql"]
        names = {t.object.value for t in triples if t.predicate.value == sd + "name"}
        assert "https://w3id.org/llmkg/graph/data" in names


def test_a_browser_gets_the_editor_and_html_only_when_it_is_best(llmkg_server):
    editor = llmkg_server.get("/sparql", headers={"Accept": BROWSER})
    assert editor.status_code == 303 and editor.headers["location"].endswith("/")
    page = llmkg_server.get("/id/model/llama2", headers={"Accept": BROWSER})
    assert page.headers["content-type"].startswith("text/html")
    for accept in (COMUNICA, "*/*", "text/html;q=0.2, text/turtle"):
        data = llmkg_server.get("/id/model/llama2", headers={"Accept": accept})
        assert not data.headers["content-type"].startswith("text/html"), accept


def test_the_ontology_is_served(llmkg_server):
    turtle = llmkg_server.get("/ontology", headers={"Accept": "text/turtle"})
    triples = list(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))
    assert any(t.subject.value == "https://w3id.org/llmkg/ontology" and t.object.value.endswith("owl#Ontology")
               for t in triples)
    rdfxml = llmkg_server.get("/ontology", headers={"Accept": "application/rdf+xml"})
    assert len(list(ox.parse(rdfxml.content, format=ox.RdfFormat.RDF_XML))) == len(triples)
