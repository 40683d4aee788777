"""`llmkg serve`'s pages over HTTP (a real server on 127.0.0.1): Linked Data
by content negotiation, name search, hostile catalog text, security headers,
static files, picture specifications, history."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest

from conftest import XSS_NAME


# --- Linked Data ---------------------------------------------------------------------

def test_entity_page_shows_label_facts_and_catalog_lines(llmkg_server):
    page = llmkg_server.get("/id/model/llama2", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    assert '<h1 id="label">Llama 2</h1>' in text
    assert "llm-landscape.md:80" in text           # the catalog file and line of its facts
    assert 'href="/id/organization/meta"' in text  # its organisation
    assert "Code Llama" in text                    # what links to it (built on it)
    assert "Lineage" in text


@pytest.mark.parametrize("accept, fmt", [("text/turtle", ox.RdfFormat.TURTLE),
                                         ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                                         ("application/ld+json", ox.RdfFormat.JSON_LD)])
def test_entity_by_content_negotiation(llmkg_server, accept, fmt):
    response = llmkg_server.get("/id/model/llama2", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    triples = list(ox.parse(response.content, format=fmt))
    iri = "https://w3id.org/llmkg/id/model/llama2"
    assert any(t.subject.value == iri and t.object == ox.Literal("Llama 2") for t in triples)
    # provenance comes along: the reified statements about it and their source lines
    assert any(t.predicate.value == "http://www.w3.org/ns/prov#wasDerivedFrom" for t in triples)


def test_unknown_entity_is_404(llmkg_server):
    assert llmkg_server.get("/id/model/no-such-model", headers={"Accept": "text/html"}).status_code == 404
    assert llmkg_server.get("/id/model/no-such-model", headers={"Accept": "text/turtle"}).status_code == 404


@pytest.mark.parametrize("name", ["llama-2", "LLAMA 2", "Llama 2", "lláma 2"])
def test_search_finds_by_name_key(llmkg_server, name):
    response = llmkg_server.get("/search", params={"q": name})
    assert response.status_code == 303 and response.headers["location"] == "/id/model/llama2"


def test_search_falls_back_to_part_of_a_name(llmkg_server):
    response = llmkg_server.get("/search", params={"q": "img src x"})
    assert response.status_code == 303 and response.headers["location"] == "/id/model/imgsrcxonerroralert1"
    several = llmkg_server.get("/search", params={"q": "LAMA"})
    assert several.status_code == 200
    assert all(f'href="/id/model/{m}"' in several.text for m in ("llama", "llama2", "llama3", "codellama"))


def test_search_without_hit_is_404(llmkg_server):
    response = llmkg_server.get("/search", params={"q": "no such model anywhere"})
    assert response.status_code == 404 and "Nothing is named" in response.text


# --- untrusted text, headers, static files ------------------------------------------

def test_hostile_name_is_text_on_every_page(llmkg_server):
    from html import escape

    escaped = escape(XSS_NAME, quote=False)
    pages = ["/id/model/imgsrcxonerroralert1", "/id/organization/evilcorp", "/id/model/llama2",
             "/queries/models-by-organization?organization=Evil+Corp", "/search?q=img+src+x",
             "/pictures/timeline", "/pictures/lineage?model=Llama+2"]
    for path in pages:
        response = llmkg_server.get(path, headers={"Accept": "text/html"}, follow_redirects=True)
        assert response.status_code == 200, path
        assert XSS_NAME not in response.text, path
        assert "onerror=alert(1)" in response.text, path  # it is there, escaped
        assert escaped in response.text or "\\u003cimg" in response.text, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("raw_path", [
    "/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/%2e%2e%2fapp.py",
    "/static/vendor/../../app.py", "/static/vendor/%2e%2e%2f%2e%2e%2fapp.py", "/static/..%5capp.py",
    "/static/%252e%252e/app.py", "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/....//app.py",
])
def test_static_files_cannot_be_read_outside_their_folder(llmkg_server, raw_path):
    """Raw request lines (httpx would normalise the dots away)."""
    host, port = urlsplit(llmkg_server.url).hostname, urlsplit(llmkg_server.url).port
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(f"GET {raw_path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    status = int(reply.split(b" ", 2)[1])
    assert status in (400, 404), (raw_path, reply[:200])
    assert b"create_app" not in reply and b"root:" not in reply


def test_static_file_inside_is_served(llmkg_server):
    response = llmkg_server.get("/static/vendor/yasgui/yasgui.min.js")
    assert response.status_code == 200 and len(response.content) > 100_000


# --- pictures -------------------------------------------------------------------------

def test_picture_specs_as_json(llmkg_server):
    timeline = llmkg_server.get("/pictures/timeline", params={"format": "json"}).json()
    models = {p["model"] for p in timeline["data"]["values"]}
    assert {"Llama 2", XSS_NAME} <= models
    lineage = llmkg_server.get("/pictures/lineage", params={"model": "Llama 2", "format": "json"}).json()
    names = {n["name"] for layer in lineage["layer"][1:] for n in layer["data"]["values"]}
    assert {"Llama 2", "Code Llama", XSS_NAME} <= names


# --- history ---------------------------------------------------------------------------

def test_entity_page_shows_first_and_last_seen_from_a_history_store(tmp_path, served_store, llmkg_server):
    """A history store (vocabulary of `llmkg history`, issue 13) made by hand:
    three catalog versions; Llama 2 typed in all three, Code Llama in the first two."""
    import shutil

    from servers import running_llmkg

    L, ID = "https://w3id.org/llmkg/ontology#", "https://w3id.org/llmkg/id/"
    graph = ox.NamedNode("https://w3id.org/llmkg/graph/history")
    store_dir = tmp_path / "store"
    shutil.copytree(served_store, store_dir)
    store = ox.Store(str(store_dir))
    quads = []

    def add(s, p, o):
        quads.append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, graph))

    for n, day in ((1, "2024-11-05"), (2, "2025-01-14"), (3, "2025-06-03")):
        add(f"{ID}version/v{n}", L + "versionNumber", ox.Literal(str(n), datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer")))
        add(f"{ID}version/v{n}", "http://purl.org/dc/terms/date",
            ox.Literal(day, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")))
    for model, last in (("llama2", 3), ("codellama", 2)):
        interval = f"{ID}interval/{model}"
        add(interval, L + "factSubject", ox.NamedNode(f"{ID}model/{model}"))
        add(interval, L + "factPredicate", ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"))
        add(interval, L + "factObject", ox.NamedNode(L + "Model"))
        add(interval, L + "firstVersion", ox.NamedNode(f"{ID}version/v1"))
        add(interval, L + "lastVersion", ox.NamedNode(f"{ID}version/v{last}"))
    store.extend(quads)
    store.flush()
    del store
    with running_llmkg(store_dir, tmp_path) as server:
        llama2 = server.get("/id/model/llama2", headers={"Accept": "text/html"}).text
        codellama = server.get("/id/model/codellama", headers={"Accept": "text/html"}).text
    assert ("First stated by the catalog in its version of 2024-11-05; still stated by the newest "
            "version (2025-06-03)") in llama2
    assert "last stated in its version of 2025-01-14" in codellama
    plain = llmkg_server.get("/id/model/llama2", headers={"Accept": "text/html"}).text
    assert 'id="history"' not in plain


@pytest.mark.parametrize("request_kwargs, status, message", [
    ({"data": {"query": "ASK {}", **{f"f{i}": "x" for i in range(80)}}}, 400, "Error: too many form fields"),
    ({"content": b"x" * (2 << 20), "headers": {"Content-Type": "application/sparql-query"}}, 413,
     "Error: request body over"),
    ({"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415, "Error: cannot read a query sent as"),
    ({"data": {"query": ["ASK {}", "ASK {}"]}}, 400, "Error: give exactly one query"),
    ({"data": {"query": "ASK {}", "default-graph-uri": "not an IRI"}}, 400,
     "Error: default-graph-uri 'not an IRI' is not an IRI"),
])
def test_bad_protocol_requests_are_one_line_4xx(llmkg_server, request_kwargs, status, message):
    response = llmkg_server.post("/sparql", **request_kwargs)
    assert response.status_code == status
    assert response.text.startswith(message) and response.text.count("\n") == 1


# --- what a person reads (issue 20) ------------------------------------------------------

def test_entity_page_values_are_readable(llmkg_server):
    text = llmkg_server.get("/id/model/llama2", headers={"Accept": "text/html"}).text
    assert 'title="70,000,000,000 (xsd:integer)">70B</span>' in text      # size, exact value on hover
    assert 'title="2023-07-18 (xsd:date)">18 Jul 2023</span>' in text
    assert ">context length</th>" in text and ">parameter count</th>" in text  # ontology labels
    assert "xsd:integer</span>" not in text and "llmkg:contextLength</td>" not in text
    assert ">read from</th>" not in text      # provenance is the sources column, not a row
    assert '<a href="/id/organization/meta" title="https://w3id.org/llmkg/id/organization/meta">Meta</a>' in text


def test_index_pages_list_every_entity_of_their_kind(llmkg_server, served_store):
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(served_store))
    L = "https://w3id.org/llmkg/ontology#"
    for path, kind in (("/models", "Model"), ("/organizations", "Organization"), ("/papers", "Paper"),
                       ("/architectures", "Architecture")):
        count = len(list(store.query(f"SELECT DISTINCT ?e {{ ?e a <{L}{kind}> }}", use_default_graph_as_union=True)))
        page = llmkg_server.get(path, headers={"Accept": "text/html"})
        assert page.status_code == 200
        assert page.text.count('<tr><td data-sort=') >= count > 0, path
    meta = llmkg_server.get("/id/organization/meta", headers={"Accept": "text/html"}).text
    models = meta.split('id="models"')[1].split("</section>")[0]
    assert '<a href="/id/model/llama2">Llama 2</a>' in models and "70B" in models


def test_suggestions_as_json_and_did_you_mean(llmkg_server):
    hits = llmkg_server.get("/search", params={"q": "lla", "format": "json"}).json()
    assert hits[0]["label"].lower().startswith("lla") and {"label", "href"} <= set(hits[0])
    missing = llmkg_server.get("/pictures/lineage", params={"model": "Lamma 2"}, headers={"Accept": "text/html"})
    assert missing.status_code == 404 and 'href="/pictures/lineage?model=Llama+2">Llama 2</a>' in missing.text


def test_pictures_say_what_they_count(llmkg_server):
    timeline = llmkg_server.get("/pictures/timeline", params={"format": "json"}).json()
    assert all(p["row"].endswith(" dated)") for p in timeline["data"]["values"])
    assert "dated" in timeline["description"]
    lineage = llmkg_server.get("/pictures/lineage", params={"model": "Llama 2", "format": "json"}).json()
    shape = lineage["layer"][1]["encoding"]["shape"]
    assert shape["title"] == "model"
    assert {n["role"] for n in lineage["layer"][1]["data"]["values"]} == {"this model", "related model"}


def test_home_page_puts_what_the_store_answers_first(llmkg_server):
    text = llmkg_server.get("/", headers={"Accept": "text/html"}).text
    cards = text.split('<div class="cards">')[1]
    history = cards.index('id="q-first-seen"')
    assert cards.index('id="q-models-per-organization"') < history
    assert "needs a history store" in cards[history:history + 2000]
    assert 'data-tag="history"' in text
    default = text.split('id="default-query">')[1].split("</script>")[0]
    assert "#+" not in default and "SELECT" in default


def test_provenance_shows_the_catalog_line(llmkg_server):
    """The source page holds the line's text; each fact's source link shows it on hover."""
    import html

    from llmkg.build import bundled_catalog

    line = bundled_catalog().read_text(encoding="utf-8").split("\n")[79].strip()
    source = llmkg_server.get("/id/source/llm-landscape.md/80", headers={"Accept": "text/html"}).text
    assert '<h1 id="label">llm-landscape.md line 80</h1>' in source
    assert f'<blockquote class="catalog-line" id="line-text"><code>{html.escape(line)}</code></blockquote>' in source
    llama2 = llmkg_server.get("/id/model/llama2", headers={"Accept": "text/html"}).text
    assert f'<a href="/id/source/llm-landscape.md/80" title="{html.escape(line)}">llm-landscape.md:80</a>' in llama2
    turtle = llmkg_server.get("/id/source/llm-landscape.md/80", headers={"Accept": "text/turtle"}).text
    assert "llmkg:lineText" in turtle
