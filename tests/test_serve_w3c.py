"""The W3C SPARQL 1.1 Protocol test suite (../shared/w3c/: the manifest and the
three graphs its dataset tests name) against a running `llmkg serve`.

Every query test and every bad-request test must pass as the manifest says;
the update tests must be refused with 403 and the read-only message (the
endpoint is read-only). Skips when ../shared/w3c is absent."""

from __future__ import annotations

from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

W3C = Path(__file__).resolve().parents[2] / "shared" / "w3c"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
HT = "http://www.w3.org/2011/http#"
CNT = "http://www.w3.org/2011/content#"
UT = "http://www.w3.org/2009/sparql/tests/test-update#"
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
RESULTS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
           "application/sparql-results+xml": ox.QueryResultsFormat.XML,
           "text/csv": ox.QueryResultsFormat.CSV, "text/tab-separated-values": ox.QueryResultsFormat.TSV}


def manifest_tests() -> list[dict]:
    """Each test of the manifest, in its order: name, requests (method, path, headers, body, expected)."""
    import rdflib
    from rdflib.collection import Collection

    if not (W3C / "sparql11-protocol-manifest.ttl").is_file():
        return []
    g = rdflib.Graph()
    g.parse(W3C / "sparql11-protocol-manifest.ttl", format="turtle")
    N = lambda ns, name: rdflib.URIRef(ns + name)  # noqa: E731
    manifest = next(g.subjects(rdflib.RDF.type, N(MF, "Manifest")))
    tests = []
    for test in Collection(g, g.value(manifest, N(MF, "entries"))):
        action = g.value(test, N(MF, "action"))
        requests = []
        for request in Collection(g, g.value(action, N(HT, "requests"))):
            headers = {}
            if (listed := g.value(request, N(HT, "headers"))) is not None:
                for header in Collection(g, listed):
                    headers[str(g.value(header, N(HT, "fieldName")))] = str(g.value(header, N(HT, "fieldValue")))
            body = g.value(request, N(HT, "body"))
            content = None
            if body is not None:
                encoding = str(g.value(body, N(CNT, "characterEncoding")) or "UTF-8")
                content = str(g.value(body, N(CNT, "chars"))).encode(encoding.lower())
            response = g.value(request, N(HT, "resp"))
            requests.append({
                "method": str(g.value(request, N(HT, "methodName"))),
                "path": str(g.value(request, N(HT, "absolutePath"))),
                "headers": headers, "content": content,
                "status": sorted(str(s).removeprefix(HTS) for s in g.objects(response, N(MF, "expectedStatus"))),
                "boolean": g.value(response, N(MF, "expectedBoolean")),
                "format": g.value(response, N(MF, "expectedFormat")),
            })
        name = str(test).rsplit("#", 1)[1]
        tests.append({"name": name, "requests": requests})
    return tests


TESTS = manifest_tests()


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory):
    """`llmkg serve` on a store holding data1-3 as the named graphs the tests name."""
    from servers import running_llmkg

    root = tmp_path_factory.mktemp("w3c")
    store = ox.Store(str(root / "store"))
    for n in (1, 2, 3):
        graph = ox.NamedNode(f"http://kasei.us/2009/09/sparql/data/data{n}.rdf")
        store.load(path=str(W3C / f"data{n}.nt"), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    store.flush()
    del store
    with running_llmkg(root / "store", root) as server:
        yield server


def check(server, request: dict) -> None:
    response = httpx.request(request["method"], server.url + request["path"], headers=request["headers"],
                             content=request["content"], timeout=30, trust_env=False)
    assert f"{response.status_code // 100}xx" in request["status"], (response.status_code, response.text[:300])
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if request["boolean"] is not None:
        assert media in ("application/sparql-results+json", "application/sparql-results+xml"), media
        parsed = ox.parse_query_results(response.content, format=RESULTS[media])
        assert bool(parsed) is request["boolean"].toPython()
    elif str(request["format"]) == "tabular":
        assert media in RESULTS, media
        assert list(ox.parse_query_results(response.content, format=RESULTS[media]).variables)
    elif str(request["format"]) == "RDF":
        fmt = ox.RdfFormat.from_media_type(media)
        assert fmt is not None, media
        list(ox.parse(response.content, format=fmt))


@pytest.mark.skipif(not TESTS, reason="../shared/w3c is absent")
@pytest.mark.parametrize("test", [t for t in TESTS if not t["name"].startswith("update_")], ids=lambda t: t["name"])
def test_w3c_protocol_query_tests_pass(w3c_server, test):
    for request in test["requests"]:
        check(w3c_server, request)


@pytest.mark.skipif(not TESTS, reason="../shared/w3c is absent")
@pytest.mark.parametrize("test", [t for t in TESTS if t["name"].startswith("update_")], ids=lambda t: t["name"])
def test_w3c_protocol_update_tests_are_refused_as_read_only(w3c_server, test):
    first = test["requests"][0]
    response = httpx.request(first["method"], w3c_server.url + first["path"], headers=first["headers"],
                             content=first["content"], timeout=30, trust_env=False)
    assert response.status_code == 403
    assert response.text.startswith("Error: updates are refused: this endpoint is read-only")


def test_the_manifest_is_read_whole():
    if not TESTS:
        pytest.skip("../shared/w3c is absent")
    assert len(TESTS) == 34 and sum(t["name"].startswith("update_") for t in TESTS) == 7
