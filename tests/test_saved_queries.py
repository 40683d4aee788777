"""The saved queries in queries/*.rq: header, syntax, and answers on a fixture.

tests/fixtures/mini.trig is a small hand-written graph in the layout of
docs/vocabulary.md; its header comment lists what the imaginary catalog says.
The expected rows below are read off that description, not copied from a run.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

pyoxigraph = pytest.importorskip("pyoxigraph")

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
FIXTURE = ROOT / "tests" / "fixtures" / "mini.trig"
QUERY_FILES = sorted(QUERIES.glob("*.rq"))

XSD = "http://www.w3.org/2001/XMLSchema#"
ID = "https://w3id.org/llmkg/id/"
LLMKG = "https://w3id.org/llmkg/ontology#"
PROV = "http://www.w3.org/ns/prov#"

# The header, the typing of parameter values and the VALUES injection for
# remote endpoints are the library's (llmkg.query.saved, llmkg.query.endpoint): these
# tests hold the saved queries to the contract the CLI applies.


def parse_header(path: Path) -> tuple[str, list[dict]]:
    """Summary and parameters of a saved query, as llmkg.query.saved reads them."""
    from llmkg.query.saved import parse_saved

    saved = parse_saved(path)
    params = [{"name": p.name, "type": p.type, "default": p.default, "description": p.description}
              for p in saved.params]
    return saved.summary, params


def term(type_: str, text: str):
    """The RDF term llmkg binds a parameter value of `type_` to."""
    from llmkg.query.saved import Param, to_term

    return to_term(Param("p", type_, None, ""), text, where="test")


def body(text: str) -> str:
    """The query without its comment lines."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def projected_keys(code: str) -> set[str]:
    """Plain variables of the outermost SELECT clause (not aggregate aliases)."""
    select = re.search(r"SELECT\s+(?:DISTINCT\s+)?(.*?)\bWHERE\b", code, flags=re.S | re.I).group(1)
    return set(re.findall(r"\?(\w+)", re.sub(r"\([^()]*(\([^()]*\))*[^()]*\)", " ", select)))


def inject_values(text: str, bindings: dict) -> str:
    """What llmkg does for remote endpoints: VALUES at the start of the outermost WHERE group."""
    from llmkg.query.bindings import bind_values

    return bind_values(text, bindings)


# -- running ------------------------------------------------------------------


@pytest.fixture(scope="module")
def store():
    s = pyoxigraph.Store()
    s.load(path=str(FIXTURE), format=pyoxigraph.RdfFormat.TRIG)
    return s


def plain(value):
    if value is None:
        return None
    if isinstance(value, pyoxigraph.NamedNode):
        return value.value.removeprefix(ID)
    if isinstance(value, pyoxigraph.Literal):
        datatype = value.datatype.value
        if datatype in (XSD + "integer", XSD + "long", XSD + "int"):
            return int(value.value)
        if datatype == XSD + "decimal":
            return Decimal(value.value)
        return value.value
    return str(value)


def run(store, name: str, **values) -> list[dict]:
    """Rows of queries/<name>.rq with defaults, overridden by `values` (as typed
    by a user), through llmkg's own query path (parameters bound by VALUES)."""
    from llmkg.query.saved import run as run_query

    result = run_query(str(QUERIES / f"{name}.rq"), store=store,
                       params={k: str(v) for k, v in values.items()})
    return [{n: plain(t) for n, t in zip(result.variables, row)} for row in result.rows]


def column(rows, *names):
    if len(names) == 1:
        return [row[names[0]] for row in rows]
    return [tuple(row[n] for n in names) for row in rows]


# -- every saved query ----------------------------------------------------------


def test_there_are_enough_queries():
    assert len(QUERY_FILES) >= 17
    for path in QUERY_FILES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*\.rq", path.name), path.name


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_header_parses_and_params_are_well_used(path):
    text = path.read_text(encoding="utf-8")
    summary, params = parse_header(path)
    assert len(summary) > 20
    assert all(param["description"] for param in params), "every parameter says what it is"
    code = body(text)
    for param in params:
        name = param["name"]
        assert re.search(rf"\?{name}\b", code), f"parameter ?{name} unused"
        assert not re.search(rf"\bAS\s+\?{name}\b", code, flags=re.IGNORECASE), (
            f"parameter ?{name} is assigned in the query"
        )
        if param["default"] is not None:
            term(param["type"], param["default"])  # the default is a valid value
        # Parameters are bound by VALUES (llmkg/query/bindings.py): a row carries
        # results only, not the caller's own input again.
        assert name not in projected_keys(code), f"parameter ?{name} is projected"
    assert re.search(r"^PREFIX\s", code, flags=re.MULTILINE | re.IGNORECASE)
    assert not re.search(r"\bLIMIT\s+\?", code, flags=re.IGNORECASE)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_order_by_covers_every_projected_key(path):
    text = path.read_text(encoding="utf-8")
    code = body(text)
    order = code[code.upper().rindex("ORDER BY") :]
    missing = {v for v in projected_keys(code) if not re.search(rf"\?{v}\b", order)}
    assert not missing, f"projected but not ordered by: {sorted(missing)}"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_parses_and_runs_on_fixture(store, path):
    rows = run(store, path.stem)
    assert rows, f"{path.name} returns no rows on the fixture"


# -- answers on the fixture ---------------------------------------------------------


def test_lineage_is_the_chain_nearest_first(store):
    rows = run(store, "lineage", model="wizardcoder")
    assert column(rows, "ancestorName", "depth") == [("Code Llama", 1), ("Llama 2", 2), ("Llama", 3)]
    assert set(column(rows, "startName")) == {"WizardCoder"}
    assert column(run(store, "lineage"), "ancestorName", "depth") == [("Llama 2", 1), ("Llama", 2)]
    assert run(store, "lineage", model="Llama") == []  # the root has no ancestor


def test_descendants_of_llama_by_alternative_name(store):
    rows = run(store, "descendants", model="LLaMA")
    assert column(rows, "descendantName", "depth") == [
        ("Alpaca", 1),
        ("Llama 2", 1),
        ("vicuna", 1),
        ("Code Llama", 2),
        ("WizardCoder", 3),
    ]
    assert column(run(store, "descendants", model="DeepSeek-V3"), "descendantName") == ["DeepSeek-R1"]


def test_moe_models_with_total_and_active_parameters(store):
    rows = run(store, "moe-models")
    got = {r["modelName"]: (r["totalParameters"], r["activeParameters"]) for r in rows}
    assert got == {
        "DeepSeek-V3": (671_000_000_000, 37_000_000_000),
        "DeepSeek-R1": (671_000_000_000, 37_000_000_000),
        "Mixtral 8x22B": (141_000_000_000, 39_000_000_000),
        "Llama 4 Scout": (109_000_000_000, 17_000_000_000),
        "Mixtral 8x7B": (46_700_000_000, 12_900_000_000),
        "Llama 4": (None, None),
    }
    assert column(rows, "modelName")[:2] == ["DeepSeek-R1", "DeepSeek-V3"]  # tie broken by name
    assert column(rows, "modelName")[-1] == "Llama 4"  # no size: last


def test_models_with_paper_but_no_repository(store):
    rows = run(store, "models-with-paper-no-repo")
    assert column(rows, "modelName", "arxivId") == [("Llama 2", "2307.09288"), ("Mixtral 8x7B", "2401.04088")]


def test_where_from_lists_each_fact_with_its_line(store):
    rows = run(store, "where-from", entity="mixtral 8x7b")
    facts = {(r["property"].removeprefix(LLMKG), str(r["value"]), r["catalog"], r["line"]) for r in rows}
    # eleven facts on line 22 (two architectures), the size also on line 20,
    # and the two lines that mention the model
    assert len(rows) == len(facts) == 14
    assert ("wasDerivedFrom", "None", "mini.md", 20) in {(p.rsplit("#", 1)[-1], *rest) for p, *rest in facts}
    assert ("hasArchitecture", "architecture/moe", "mini.md", 22) in facts
    assert ("hasArchitecture", "architecture/transformer", "mini.md", 22) in facts
    assert ("parameterCount", "46700000000", "mini.md", 20) in facts
    assert ("parameterCount", "46700000000", "mini.md", 22) in facts
    assert ("releaseDate", "2023-12-11", "mini.md", 22) in facts
    assert ("developedBy", "organization/mistral", "mini.md", 22) in facts
    assert {line for *_, line in facts} == {20, 22}
    # WizardCoder comes from line 43 only: its facts without a statement of
    # their own (all but fineTunedFrom here) come from that line too
    lineage = column(run(store, "where-from", entity="WizardCoder"), "property", "value", "line")
    assert (PROV + "wasDerivedFrom", None, 43) in lineage
    assert (LLMKG + "fineTunedFrom", "model/codellama", 43) in lineage
    assert {line for *_, line in lineage} == {43} and len(lineage) > 2
    # an organisation has no reified facts (labels are not reified), only mentions
    assert column(run(store, "where-from", entity="stanford"), "subject", "property", "line") == [
        ("organization/stanford", PROV + "wasDerivedFrom", 41),
    ]


def test_where_from_agrees_with_the_provenance_graph(store):
    """Every reified statement about Llama 2 shows up once per source line."""
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    subject = pyoxigraph.NamedNode(ID + "model/llama2")
    expected = set()
    for quad in store.quads_for_pattern(None, pyoxigraph.NamedNode(rdf + "subject"), subject):
        statement = quad.subject
        predicate = next(store.quads_for_pattern(statement, pyoxigraph.NamedNode(rdf + "predicate"), None)).object
        for source in store.quads_for_pattern(statement, pyoxigraph.NamedNode(PROV + "wasDerivedFrom"), None):
            line = next(store.quads_for_pattern(source.object, pyoxigraph.NamedNode(LLMKG + "lineNumber"), None)).object
            expected.add((predicate.value, int(line.value)))
    for mention in store.quads_for_pattern(subject, pyoxigraph.NamedNode(PROV + "wasDerivedFrom"), None):
        line = next(store.quads_for_pattern(mention.object, pyoxigraph.NamedNode(LLMKG + "lineNumber"), None)).object
        expected.add((PROV + "wasDerivedFrom", int(line.value)))
    rows = run(store, "where-from", entity="Llama-2")
    assert expected and {(r["property"], r["line"]) for r in rows} == expected


def test_models_per_organization(store):
    rows = run(store, "models-per-organization")
    assert column(rows, "organizationName", "models") == [
        ("Meta", 5),
        ("Mistral", 3),
        ("Deepseek", 2),
        ("Stanford", 1),
    ]


def test_models_by_license_names_spdx_licences_by_id_and_others_by_name(store):
    rows = run(store, "models-by-license")
    assert column(rows, "license", "spdx", "modelName", "organizationName") == [
        ("Apache-2.0", "http://spdx.org/licenses/Apache-2.0", "Mistral 7B", "Mistral"),
        ("Llama 2 Community License", None, "Code Llama", "Meta"),
    ]


def test_models_by_architecture_matches_alternative_names(store):
    moe = column(run(store, "models-by-architecture", arch="mixture of experts"), "modelName")
    assert moe == ["DeepSeek-R1", "DeepSeek-V3", "Llama 4", "Llama 4 Scout", "Mixtral 8x22B", "Mixtral 8x7B"]
    transformer = column(run(store, "models-by-architecture"), "modelName")
    assert transformer == ["Code Llama", "Llama", "Llama 2", "Mistral 7B", "Mixtral 8x7B"]
    assert column(run(store, "models-per-architecture"), "architectureName", "models") == [
        ("MoE", 6),
        ("Transformer", 5),
    ]


def test_releases_per_year_and_organization(store):
    rows = run(store, "releases-per-year-and-organization")
    assert column(rows, "year", "organizationName", "models") == [
        (2023, "Meta", 3),
        (2023, "Mistral", 2),
        (2023, "Stanford", 1),
        (2024, "Deepseek", 1),
        (2024, "Mistral", 1),
        (2025, "Deepseek", 1),
        (2025, "Meta", 1),
    ]
    # WizardCoder (2023, year precision) has no organisation but is a 2023 release.
    assert column(run(store, "releases-per-year"), "year", "models") == [(2023, 7), (2024, 2), (2025, 2)]


def test_largest_context_windows_keeps_ties_at_the_cut(store):
    top = run(store, "largest-context-windows", limit=2)
    assert column(top, "rank", "modelName", "contextLength") == [
        (1, "Llama 4 Scout", 10_000_000),
        (2, "DeepSeek-R1", 131_072),
        (2, "DeepSeek-V3", 131_072),
    ]
    same = run(store, "largest-context-windows", limit=3)
    assert column(same, "rank", "model") == column(top, "rank", "model")  # rank 3 is empty: a tie
    everything = run(store, "largest-context-windows")
    assert len(everything) == 11  # every model that gives a context length
    assert column(everything, "modelName")[-2:] == ["Llama", "vicuna"]
    assert set(column(everything, "rank")[-2:]) == {10}


def test_papers_by_date_and_papers_without_model(store):
    rows = run(store, "papers-by-date")
    assert column(rows, "publicationDate")[:2] == ["2023-02-27", "2023-03-31"]
    assert column(rows, "arxivId")[-1] == "2501.12948"
    assert "2304.13712" not in column(rows, "arxivId")  # no date
    assert ("2303.18223", None) in column(rows, "arxivId", "modelName")
    orphans = run(store, "papers-without-model")
    assert column(orphans, "arxivId", "publicationDate") == [("2303.18223", "2023-03-31"), ("2304.13712", None)]


def test_organization_first_and_latest_release(store):
    rows = run(store, "organization-first-latest-release")
    assert column(rows, "organizationName", "firstRelease", "firstModel", "latestRelease", "latestModel", "releases") == [
        ("Meta", "2023-02-24", "Llama", "2025-04-05", "Llama 4", 4),
        ("Stanford", "2023-03", "Alpaca", "2023-03", "Alpaca", 1),
        ("Mistral", "2023-09-27", "Mistral 7B", "2024-04", "Mixtral 8x22B", 3),
        ("Deepseek", "2024-12-26", "DeepSeek-V3", "2025-01-20", "DeepSeek-R1", 2),
    ]


def test_models_without_release_date(store):
    rows = run(store, "models-without-release-date")
    assert column(rows, "modelName", "organizationName") == [("Llama 4 Scout", "Meta"), ("vicuna", None)]


def test_context_length_over_time(store):
    rows = run(store, "context-length-over-time")
    assert column(rows, "year", "maxContextLength", "models") == [(2023, 32768, 6), (2024, 131072, 2), (2025, 131072, 1)]


def test_moe_organizations_by_year(store):
    assert column(run(store, "moe-organizations-by-year"), "organizationName", "moeModels") == [
        ("Deepseek", 1),
        ("Mistral", 1),
    ]
    assert column(run(store, "moe-organizations-by-year", year=2025), "organizationName") == ["Deepseek", "Meta"]
    assert column(run(store, "moe-organizations-by-year", year=2023), "organizationName") == ["Mistral"]
    assert run(store, "moe-organizations-by-year", year=2022) == []


def test_models_by_size_range(store):
    small = run(store, "models-by-size-range")
    assert column(small, "modelName", "parameters") == [
        ("Alpaca", 7_000_000_000),
        ("Code Llama", 7_000_000_000),
        ("Llama", 7_000_000_000),
        ("Llama 2", 7_000_000_000),
        ("Mistral 7B", 7_300_000_000),
    ]
    middle = run(store, "models-by-size-range", minMillions=13000, maxMillions=34000)
    assert column(middle, "modelName", "parameters") == [
        ("Code Llama", 13_000_000_000),
        ("Llama", 13_000_000_000),
        ("Llama 2", 13_000_000_000),
        ("vicuna", 13_000_000_000),
        ("WizardCoder", 15_000_000_000),
        ("Llama", 33_000_000_000),
        ("Code Llama", 34_000_000_000),
        ("WizardCoder", 34_000_000_000),
    ]
    fractional = run(store, "models-by-size-range", minMillions=7200, maxMillions=7300)
    assert column(fractional, "modelName") == ["Mistral 7B"]


def test_model_card(store):
    rows = run(store, "model-card")  # Llama 2
    facts = {(r["property"].removeprefix(LLMKG), r["value"], r["valueName"]) for r in rows}
    assert ("basedOn", "model/llama", "Llama") in facts
    assert ("parameterCount", 70_000_000_000, None) in facts
    assert ("releaseDate", "2023-07-18", None) in facts
    assert ("developedBy", "organization/meta", "Meta") in facts
    assert len([f for f in facts if f[0] == "parameterCount"]) == 3
    assert set(column(rows, "entity")) == {"model/llama2"}
    # a name given in another case matches; label and altLabel do not duplicate rows
    vicuna = run(store, "model-card", model="VICUNA")
    assert len(vicuna) == len({(r["property"], str(r["value"])) for r in vicuna})


def test_organizations_overview(store):
    rows = run(store, "organizations-overview")
    assert column(rows, "organizationName", "models", "papers", "firstRelease", "latestRelease") == [
        ("Meta", 5, 3, "2023-02-24", "2025-04-05"),
        ("Mistral", 3, 2, "2023-09-27", "2024-04"),
        ("Deepseek", 2, 2, "2024-12-26", "2025-01-20"),
        ("Stanford", 1, 0, "2023-03", "2023-03"),
    ]


def test_models_by_organization_by_alternative_name(store):
    rows = run(store, "models-by-organization", organization="mistral ai")
    assert column(rows, "modelName", "releaseDate", "largestSize", "contextLength") == [
        ("Mistral 7B", "2023-09-27", 7_300_000_000, 8192),
        ("Mixtral 8x7B", "2023-12-11", 46_700_000_000, 32768),
        ("Mixtral 8x22B", "2024-04", 141_000_000_000, 65536),
    ]
    meta = column(run(store, "models-by-organization"), "modelName")
    assert meta == ["Llama 4 Scout", "Llama", "Llama 2", "Code Llama", "Llama 4"]  # undated first


def test_section_contents(store):
    """Papers: those listed in the section and those its models are described in
    (a catalog's papers are links in model entries: none has inSection of its own)."""
    rows = run(store, "section-contents")
    assert column(rows, "sectionName", "parentName", "models", "papers") == [
        ("Evolutionary Tree of Large Language Models", None, 0, 2),
        ("LLM for Domain Specific", None, 2, 1),
        ("Deepseek", "Large Language Model Collection", 2, 2),
        ("Llama variants emerged in 2023", "Large Language Model Collection", 2, 0),
        ("Meta", "Large Language Model Collection", 4, 2),
        ("Mistral", "Large Language Model Collection", 3, 2),
    ]


# -- history (the fixture's three versions; see its header) -------------------------------


def test_first_seen_of_a_model_still_listed_and_of_one_removed(store):
    assert column(run(store, "first-seen"), "name", "firstSeen", "firstCommit", "lastSeen", "stillStated") == [
        ("Llama 2", "2024-11-05", "1" * 40, "2025-06-03", "yes")]
    assert column(run(store, "first-seen", model="FALCON"), "entity", "lastSeen", "lastCommit", "stillStated") == [
        ("model/falcon", "2024-11-05", "1" * 40, "no")]
    assert run(store, "first-seen", model="Meta") == []  # an organisation, not a model


def test_catalog_growth_counts_each_version(store):
    assert column(run(store, "catalog-growth"), "number", "date", "models", "organizations", "papers") == [
        (1, "2024-11-05", 4, 2, 1), (2, "2025-01-14", 4, 2, 1), (3, "2025-06-03", 7, 3, 2)]


def test_added_between_two_days(store):
    assert column(run(store, "added-between"), "name", "added") == [
        ("Mixtral 8x7B", "2025-01-14"), ("DeepSeek-R1", "2025-06-03"), ("DeepSeek-V3", "2025-06-03"),
        ("Llama 4", "2025-06-03"), ("Deepseek", "2025-06-03"), ("DeepSeek-R1", "2025-06-03")]
    # the version in force on a day is the last one committed on or before it
    assert column(run(store, "added-between", **{"from": "2025-01-14", "to": "2025-06-02"}), "name") == []
    assert column(run(store, "added-between", **{"from": "2024-11-04", "to": "2024-11-05"}), "name") == [
        "Falcon", "Llama", "Llama 2", "Mistral 7B", "Meta", "Mistral", "Llama 2: Open Foundation and Fine-Tuned Chat Models"]


def test_removed_between_two_days(store):
    assert column(run(store, "removed-between"), "entity", "lastSeen", "removed", "commit") == [
        ("model/falcon", "2024-11-05", "2025-01-14", "2" * 40)]
    assert run(store, "removed-between", **{"from": "2025-01-14", "to": "2025-12-31"}) == []
    assert run(store, "removed-between", **{"from": "2024-11-05", "to": "2025-01-13"}) == []


def test_changed_facts_has_the_corrected_date(store):
    assert column(run(store, "changed-facts"), "name", "property", "oldValue", "oldSince", "newValue", "changed") == [
        ("Llama 2", "https://w3id.org/llmkg/ontology#releaseDate", "2023-07", "2024-11-05", "2023-07-18", "2025-01-14")]


# -- the same answers from SPARQL servers (VALUES injected, as for remote endpoints) --
# Each server is started here on a free port with the fixture loaded, and
# skipped when its program is not installed.

ENGINE_VARIANTS = {
    "lineage": [{}, {"model": "wizardcoder"}, {"model": "Llama"}],
    "descendants": [{}, {"model": "LLaMA"}],
    "largest-context-windows": [{}, {"limit": 2}],
    "moe-organizations-by-year": [{}, {"year": 2025}],
    "models-by-size-range": [{}, {"minMillions": 13000, "maxMillions": 34000}, {"minMillions": 7200, "maxMillions": 7300}],
    "model-card": [{}, {"model": "VICUNA"}],
    "where-from": [{}, {"entity": "mixtral 8x7b"}],
    "models-by-architecture": [{}, {"arch": "mixture of experts"}],
    "models-by-organization": [{}, {"organization": "mistral ai"}],
    "first-seen": [{}, {"model": "falcon"}],
    "added-between": [{}, {"from": "2024-11-04", "to": "2024-11-05"}],
    "removed-between": [{}, {"from": "2024-11-05", "to": "2025-01-13"}],
}
ENGINE_CASES = [
    pytest.param(path.stem, values, id=f"{path.stem}{'-' if values else ''}{'-'.join(map(str, values.values()))}")
    for path in QUERY_FILES
    for values in ENGINE_VARIANTS.get(path.stem, [{}])
]


def _post_query(url: str, query: str, timeout: float = 60) -> dict:
    import json
    import urllib.parse
    import urllib.request

    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.load(response)


def _server_with_fixture(running, tmp_path_factory, store):
    """A server of its own (tests/servers.py) holding the fixture, loaded with `llmkg load`."""
    from llmkg.publish.load import load

    with running(tmp_path_factory.mktemp("server")) as server:
        load(store, endpoint=server.gsp_url, replace=True, user=server.user, password=server.password)
        yield server.query_url


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory, store):
    from servers import running_oxigraph

    yield from _server_with_fixture(running_oxigraph, tmp_path_factory, store)


@pytest.fixture(scope="module")
def virtuoso_server(tmp_path_factory, store):
    from servers import running_virtuoso

    yield from _server_with_fixture(running_virtuoso, tmp_path_factory, store)


def _remote_value(binding):
    if binding is None:
        return None
    if binding["type"] == "uri":
        return binding["value"].removeprefix(ID)
    datatype = binding.get("datatype", "").rsplit("#", 1)[-1]
    if datatype in ("integer", "int", "long", "short", "nonNegativeInteger"):
        return int(binding["value"])
    if datatype == "decimal":
        return Decimal(binding["value"])
    return binding["value"]


def _same_rows_remote(store, url: str, name: str, values: dict) -> None:
    path = QUERIES / f"{name}.rq"
    text = path.read_text(encoding="utf-8")
    _, params = parse_header(path)
    bindings = {p["name"]: term(p["type"], str(values.get(p["name"], p["default"]))) for p in params}
    result = _post_query(url, inject_values(text, bindings) if bindings else text)
    names = result["head"]["vars"]
    remote = [{n: _remote_value(b.get(n)) for n in names} for b in result["results"]["bindings"]]
    assert remote == run(store, name, **dict(values))


@pytest.mark.parametrize(("name", "values"), ENGINE_CASES)
def test_same_rows_on_oxigraph_server(store, oxigraph_server, name, values):
    _same_rows_remote(store, oxigraph_server, name, values)


@pytest.mark.parametrize(("name", "values"), ENGINE_CASES)
def test_same_rows_on_virtuoso(store, virtuoso_server, name, values):
    _same_rows_remote(store, virtuoso_server, name, values)
