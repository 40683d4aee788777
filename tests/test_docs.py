"""The HTML documentation of the ontology (pyLODE, offline)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from llmkg import vocab
from llmkg.publish.docs import DocsError, write_docs

CONTRACT = ["Model", "Organization", "Paper", "Architecture", "developedBy", "describedIn",
            "hasArchitecture", "basedOn", "parameterCount", "activeParameterCount",
            "contextLength", "releaseDate", "arxivId", "repository"]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_docs(tmp_path_factory.mktemp("docs") / "site")


@pytest.fixture(scope="module")
def html(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def test_page_is_written_where_asked(page: Path) -> None:
    assert page.name == "index.html" and page.parent.name == "site"
    assert page.stat().st_size > 10_000


@pytest.mark.parametrize("name", CONTRACT)
def test_page_documents_every_contract_term(html: str, name: str) -> None:
    assert f"<code>{vocab.LLMKG}{name}</code>" in html
    assert re.search(rf'id="{name}"', html, re.IGNORECASE)


def test_page_shows_title_axioms_and_alignments(html: str) -> None:
    assert "<title>llmkg ontology</title>" in html
    assert "Close match: wd:Q115305900" in html
    assert "Inverse of: llmkg:developedBy" in html
    assert "Transitive property" in html
    assert "Disjoint with: llmkg:Architecture" in html
    assert "the union of xsd:date, xsd:gYearMonth, xsd:gYear" in html


def test_external_terms_are_linked_not_documented_as_ours(html: str) -> None:
    documented = set(re.findall(r"<code>(https?://[^<]+)</code>", html))
    assert f"{vocab.LLMKG}Model" in documented
    external = {iri for iri in documented  # the Namespaces table lists bare namespaces
                if iri.startswith(("https://schema.org/", vocab.PROV, vocab.FAIR4ML))
                and not iri.endswith(("/", "#"))}
    assert external == set()
    assert "https://schema.org/Organization" in html  # still linked as a superclass


def test_page_needs_no_network(html: str) -> None:
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?://', html)


def test_page_is_deterministic(html: str, tmp_path: Path) -> None:
    assert write_docs(tmp_path).read_text(encoding="utf-8") == html


def test_missing_ontology_is_a_docs_error(tmp_path: Path) -> None:
    missing = tmp_path / "none.ttl"
    with pytest.raises(DocsError) as caught:
        write_docs(tmp_path / "out", ontology=missing)
    assert caught.value.file == str(missing)
    assert not (tmp_path / "out").exists()


def test_broken_ontology_is_a_docs_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b \n", encoding="utf-8")
    with pytest.raises(DocsError, match="cannot be parsed") as caught:
        write_docs(tmp_path / "out", ontology=bad)
    assert caught.value.file == str(bad)


def test_docs_never_replace_a_page_llmkg_did_not_write(tmp_path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "index.html").write_text("<p>my own page</p>\n", encoding="utf-8")
    with pytest.raises(DocsError, match="did not write"):
        write_docs(folder)
    assert (folder / "index.html").read_text(encoding="utf-8") == "<p>my own page</p>\n"
    ours = tmp_path / "ours"
    first = write_docs(ours).read_text(encoding="utf-8")
    assert write_docs(ours).read_text(encoding="utf-8") == first  # its own page it may write again
