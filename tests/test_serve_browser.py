"""`llmkg serve` in a real browser: Playwright driving Debian's Chromium
(/usr/bin/chromium, installed by scripts/test.sh; Playwright downloads no
browser). Every test fails on a console error, an uncaught page error, a
dialog (a script a hostile name smuggled in) or a request to another host."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest

from conftest import XSS_NAME

CHROMIUM = os.environ.get("LLMKG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
WAIT = 20_000  # ms, for pages and pictures on a busy machine

# skipped where there is no Chromium, except in CI (CI=true), where a missing
# browser must fail rather than hide the tests
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                reason=f"no Chromium at {CHROMIUM} (scripts/test.sh installs Debian's)")


@pytest.fixture(scope="module")
def browser_context():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        # an empty profile of its own: a persistent context is how Playwright takes one
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=ARGS, viewport={"width": 1280, "height": 900})
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context, llmkg_server):
    """A fresh tab that records every console error, page error, dialog and foreign request."""
    tab = browser_context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    tab.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    tab.on("request", lambda r: None if r.url.startswith((llmkg_server.url, "data:"))
           else problems.append(f"request to another host: {r.url}"))
    tab.problems = problems
    tab.base = llmkg_server.url
    yield tab
    tab.close()
    assert problems == []


def test_ui_editor_runs_sparql_and_shows_a_table(page):
    page.goto(page.base + "/")
    page.wait_for_selector("#yasgui[data-ready=true] .CodeMirror", timeout=WAIT)
    page.click(".yasqe_queryButton")
    table = page.locator(".yasr table tbody tr")
    table.first.wait_for(timeout=WAIT)
    assert table.count() > 20
    assert "Microsoft" in page.locator(".yasr table").inner_text()
    # an organisation's IRI links to its page on this server
    page.locator(".yasr table a", has_text="organization/meta").first.click()
    page.wait_for_url(page.base + "/id/organization/meta", timeout=WAIT)


def test_saved_query_form_shows_its_rows(page):
    page.goto(page.base + "/")
    form = page.locator("form[data-query=lineage]")
    form.locator("input[name=model]").fill("code-llama")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/queries/lineage\?"), timeout=WAIT)
    rows = page.locator("table.results tbody tr")
    rows.first.wait_for(timeout=WAIT)
    assert rows.count() == int(page.locator("#row-count").inner_text()) >= 1
    assert "Llama 2" in rows.first.inner_text()
    csv = page.locator("a", has_text="CSV").get_attribute("href")
    assert "format=csv" in csv and "model=code-llama" in csv


def test_result_link_opens_the_entity_page_with_its_lineage(page):
    page.goto(page.base + "/queries/models-by-organization?organization=Meta&run=1")
    page.locator("table.results a", has_text="model:llama2").first.click()
    page.wait_for_url(page.base + "/id/model/llama2", timeout=WAIT)
    assert page.locator("h1#label").inner_text() == "Llama 2"
    assert "llm-landscape.md:80" in page.locator("table.facts").inner_text()
    picture = page.locator("[data-vega=spec-lineage]")
    picture.and_(page.locator("[data-rendered=true]")).wait_for(timeout=WAIT)
    drawn = picture.locator("svg.marks").inner_html()
    assert "Code Llama" in drawn and "Llama 2" in drawn


def test_timeline_picture_draws_every_release(page, served_store):
    from llmkg.query.saved import run

    releases = len(run("model-releases", store=served_store).rows)
    page.goto(page.base + "/pictures/timeline")
    page.locator("[data-vega=spec-timeline][data-rendered=true]").wait_for(timeout=WAIT)
    points = page.locator("[data-vega=spec-timeline] svg.marks .mark-symbol path")
    assert points.count() == releases > 100


def test_lineage_picture_page(page):
    page.goto(page.base + "/pictures/lineage")
    page.locator("input[name=model]").fill("Llama 2")
    page.locator("button", has_text="Draw").click()
    page.locator("[data-vega=spec-lineage][data-rendered=true]").wait_for(timeout=WAIT)
    texts = page.locator("[data-vega=spec-lineage] svg.marks .mark-text text").all_text_contents()
    assert {"Llama 2", "Code Llama", XSS_NAME} <= set(texts)


@pytest.mark.parametrize("path", [
    "/id/model/imgsrcxonerroralert1", "/id/organization/evilcorp", "/id/model/llama2",
    "/queries/models-by-organization?organization=Evil+Corp&run=1", "/search?q=onerror",
    "/pictures/timeline", "/pictures/lineage?model=Llama+2", "/id/source/xss.md/6",
])
def test_hostile_name_shows_as_text_and_runs_nothing(page, path):
    page.goto(page.base + path)
    page.wait_for_load_state("load")
    if page.locator("[data-vega]").count():
        page.locator("[data-vega][data-rendered=true]").first.wait_for(timeout=WAIT)
    assert page.locator("img[src=x]").count() == 0      # no element was made of it
    # shown as text: in the page, or in the picture's marks (their aria labels)
    shown = page.get_by_text(XSS_NAME).count() + page.locator(f'[aria-label*="{XSS_NAME}"]').count()
    assert shown >= 1


def test_hostile_name_in_editor_results_is_text(page):
    """YASGUI's table draws the endpoint's results: the name must stay text there too."""
    page.goto(page.base + "/")
    page.wait_for_selector("#yasgui[data-ready=true] .CodeMirror", timeout=WAIT)
    query = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "SELECT ?m ?name WHERE { ?m rdfs:label ?name FILTER(CONTAINS(?name, \"onerror\")) }")
    page.evaluate("q => document.querySelector('.CodeMirror').CodeMirror.setValue(q)", query)
    page.click(".yasqe_queryButton")
    page.locator(".yasr table tbody tr").first.wait_for(timeout=WAIT)
    assert page.locator("img[src=x]").count() == 0
    assert XSS_NAME in page.locator(".yasr table").inner_text()


def test_editor_states_the_row_cap(page):
    page.goto(page.base + "/")
    page.wait_for_selector("#yasgui[data-ready=true] .CodeMirror", timeout=WAIT)
    query = "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c } LIMIT 10001"  # one row over the server's cap
    page.evaluate("q => document.querySelector('.CodeMirror').CodeMirror.setValue(q)", query)
    page.click(".yasqe_queryButton")
    notice = page.locator("#limit-notice")
    notice.wait_for(state="visible", timeout=WAIT)
    assert notice.inner_text() == "row cap of 10000 rows reached: results truncated"
    assert page.locator(".yasr table tbody tr").count() == 1000  # drawn; all 10,000 downloadable


# --- layout, navigation, completion (issue 20) ------------------------------------------

PAGES = ["/", "/id/model/llama2", "/id/organization/meta", "/models", "/organizations", "/papers",
         "/architectures", "/pictures/timeline", "/pictures/lineage?model=Llama+2",
         "/queries/models-by-organization?organization=Meta&run=1", "/id/source/llm-landscape.md/80",
         "/id/model/no-such-model", "/search?q=lamma"]


def _expected_404s(page, n: int) -> None:
    """Chromium logs a page answered 404 (a page of suggestions) as a console error: expected here."""
    expected = [p for p in page.problems if "status of 404" in p]
    assert len(expected) == n
    for problem in expected:
        page.problems.remove(problem)


@pytest.mark.parametrize("width", [360, 390, 1280])
def test_pages_fit_the_viewport(page, width):
    """No page is wider than the window, from a small phone up (pictures drawn first)."""
    page.set_viewport_size({"width": width, "height": 800})
    for path in PAGES:
        page.goto(page.base + path)
        page.wait_for_load_state("load")
        if page.locator("[data-vega]").count():
            page.locator("[data-vega][data-rendered=true]").first.wait_for(timeout=WAIT)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    _expected_404s(page, 2)
    # the lineage picture uses the width of a wide page, not a fixed 550 px
    if width == 1280:
        drawn = page.evaluate("document.querySelector('[data-vega=spec-lineage] svg') === null")
        page.goto(page.base + "/pictures/lineage?model=Llama+2")
        svg = page.locator("[data-vega=spec-lineage][data-rendered=true] svg").first
        svg.wait_for(timeout=WAIT)
        assert drawn and svg.bounding_box()["width"] > 1000


def test_index_page_sorts_and_filters(page):
    page.goto(page.base + "/models")
    rows = page.locator("table#listing tbody tr")
    total = rows.count()
    assert total > 100
    page.locator("th button.sort", has_text="released").click()
    first = page.locator("table#listing tbody tr").first.locator("td").nth(2).get_attribute("data-sort")
    dated = [d for d in page.locator("table#listing tbody td:nth-child(3)").evaluate_all(
        "cells => cells.map(c => c.dataset.sort)") if d]
    assert first == min(dated)
    page.locator("th button.sort", has_text="released").click()  # again: newest first
    assert page.locator("table#listing tbody tr").first.locator("td").nth(2).get_attribute("data-sort") == max(dated)
    page.locator("input[data-filter=listing]").fill("llama")
    visible = page.locator("table#listing tbody tr:not([hidden])")
    assert 3 <= visible.count() < total
    assert all("llama" in t.lower() for t in visible.all_inner_texts())
    assert page.locator("[data-shown=listing]").inner_text() == f"{visible.count()} rows"
    # the top bar links every index
    for name in ("Models", "Organisations", "Papers", "Architectures"):
        assert page.locator("header.bar nav a", has_text=name).count() == 1


def test_search_completes_as_one_types(page):
    page.goto(page.base + "/models")
    page.locator("form.search input[name=q]").press_sequentially("lla", delay=30)
    page.locator("#completions option").first.wait_for(state="attached", timeout=WAIT)
    options = page.locator("#completions option").evaluate_all("os => os.map(o => o.value)")
    assert "Llama 2" in options


def test_editor_declares_a_known_prefix_as_it_is_typed(page):
    page.goto(page.base + "/")
    page.wait_for_selector("#yasgui[data-ready=true] .CodeMirror", timeout=WAIT)
    page.evaluate("q => document.querySelector('.CodeMirror').CodeMirror.setValue(q)",
                  "SELECT ?n WHERE { model:llama2 schema:name ?n }")
    text = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert "PREFIX model: <https://w3id.org/llmkg/id/model/>" in text
    assert "PREFIX schema: <https://schema.org/>" in text
    # the default query is shown without its '#+' header and comments
    page.goto(page.base + "/")
    page.wait_for_selector("#yasgui[data-ready=true] .CodeMirror", timeout=WAIT)
    shown = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert "#" not in shown.replace("ontology#", "").replace("schema#", "")


def test_did_you_mean_links_to_the_close_name(page):
    page.goto(page.base + "/pictures/lineage?model=Lamma+2")
    page.locator("#did-you-mean a", has_text="Llama 2").first.click()
    page.locator("[data-vega=spec-lineage][data-rendered=true]").wait_for(timeout=WAIT)
    assert "model=Llama+2" in page.url
    page.goto(page.base + "/id/model/llama21")  # a slug near llama2
    assert "Llama 2" in page.locator("#did-you-mean").inner_text()
    page.goto(page.base + "/search?q=lamma+2")
    page.locator("#did-you-mean a", has_text="Llama 2").first.click()
    page.wait_for_url(page.base + "/id/model/llama2", timeout=WAIT)
    _expected_404s(page, 3)
