"""The saved queries' '#+' headers are YAML that grlc reads, and queries/ is a grlc API.

llmkg reads headers with its own small parser (PyYAML would cost a quarter of
a cold `llmkg query`); these tests hold it to PyYAML, the parser grlc uses,
and to grlc itself: its decorator parser on every saved query, and its HTTP
API served from queries/ on 127.0.0.1 against a real Oxigraph server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from conftest import ROOT
from llmkg.errors import QueryError
from llmkg.query.header import header_lines, parse_header
from servers import free_port, oxigraph_server, stop  # noqa: F401

QUERY_FILES = sorted((ROOT / "queries").glob("*.rq"))


class _UniqueKeys(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a key given twice (PyYAML keeps the last silently)."""


def _no_duplicates(loader, node):
    keys = [loader.construct_object(k) for k, _ in node.value]
    assert len(keys) == len(set(keys)), f"duplicate keys in {keys}"
    return loader.construct_mapping(node)


_UniqueKeys.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def yaml_of(text: str):
    """The header as grlc hands it to PyYAML: '#+' lines, '#' and '+' stripped."""
    return yaml.load("\n".join(line for _, line in header_lines(text)), Loader=_UniqueKeys)


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_header_is_yaml_that_grlc_reads_as_llmkg_does(path):
    from grlc.gquery import get_yaml_decorators

    text = path.read_text(encoding="utf-8")
    ours = parse_header(text, where=str(path))
    decorators = get_yaml_decorators(text)  # grlc's own parser; {} (and a warning) when YAML fails
    assert decorators.get("summary") == ours.summary and len(ours.summary) > 20
    assert decorators.get("tags") == ours.tags and ours.tags
    assert decorators.get("description", "") == ours.description
    assert yaml_of(text) == ours.fields
    if ours.params:  # a grlc user learns that grlc leaves them unbound
        assert all(p.name in ours.description for p in ours.params)


def test_model_card_and_where_from_parse_and_params_is_one_key():
    """The reproducers: two summaries with ': ' in them were no YAML, and a query
    with two parameters repeated the `param` key."""
    for name in ("model-card", "where-from", "models-by-size-range"):
        text = (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
        assert "summary" in yaml_of(text)
    sizes = yaml_of((ROOT / "queries" / "models-by-size-range.rq").read_text(encoding="utf-8"))
    assert [p.split()[0] for p in sizes["params"]] == ["minMillions", "maxMillions"]


@pytest.mark.parametrize("header, message", [
    ("#+ summary: a: b\n", "not plain YAML text"),
    ("#+ summary: x\n#+ summary: y\n", "given twice"),
    ("#+ param: x string -- old form\n", "old header form"),
    ("#+ summary: x\n#+ params:\n#+   - x strin -- bad type\n", "bad parameter declaration"),
    ("#+ summary: x\n#+  tags: [a]\n", "indented unevenly"),
    ("#+ summary: 2024\n", "not plain YAML text"),
    ("#+ summary: x\n#+ colour: red\n", "unknown header field 'colour'"),
])
def test_bad_headers_fail_loudly_with_the_line(header, message):
    with pytest.raises(QueryError, match=message) as info:
        parse_header(header + "SELECT * WHERE { ?s ?p ?o }\n", where="q.rq")
    assert info.value.file == "q.rq" and info.value.line >= 1


# Generated headers: what llmkg accepts, PyYAML reads alike. The alphabet is
# chosen to hit YAML's traps: colons, hashes, quotes, dashes, brackets, numbers.
_WORDS = st.text(alphabet="ab -:#'\"[],{}01.&*!|>%@?eE+_~yn", min_size=1, max_size=12)
_VALUE = st.one_of(_WORDS, st.sampled_from(["yes", "No", "null", "1e3", "0x1F", "2024-01-02",
                                             "'it''s'", '"q"', "[a, b]", "[]", "C#", "a #b"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["summary", "description", "tags", "endpoint"]),
                          st.one_of(_VALUE, st.lists(_VALUE, min_size=1, max_size=3)),
                          st.sampled_from([" ", "  "])),
                min_size=1, max_size=4, unique_by=lambda kv: kv[0]))
def test_what_llmkg_accepts_pyyaml_reads_the_same(fields):
    lines = []
    for key, value, indent in fields:
        if isinstance(value, list):
            lines += [f"#+ {key}:"] + [f"#+{indent}- {v}" for v in value]
        else:
            lines.append(f"#+ {key}: {value}")
    text = "\n".join(lines) + "\nSELECT * WHERE { ?s ?p ?o }\n"
    try:
        ours = parse_header(text, where="gen.rq").fields
    except QueryError:
        return  # refusing more than YAML does is allowed
    assert yaml.safe_load("\n".join(line for _, line in header_lines(text))) == ours


# -- queries/ as a grlc API --------------------------------------------------------


@pytest.fixture(scope="module")
def loaded_oxigraph(oxigraph_server, bundled_store):
    from llmkg.publish.load import load

    load(bundled_store, endpoint=oxigraph_server.gsp_url, replace=True)
    return oxigraph_server


@pytest.fixture(scope="module")
def grlc_api(loaded_oxigraph, tmp_path_factory):
    """grlc's Flask app serving queries/ on 127.0.0.1, configured as grlc documents
    (config.ini: local_sparql_dir, sparql_endpoint); stopped by PID."""
    import httpx

    home = tmp_path_factory.mktemp("grlc")
    (home / "config.ini").write_text(
        f"[defaults]\nsparql_endpoint = {loaded_oxigraph.query_url}\n"
        f"[local]\nlocal_sparql_dir = {ROOT / 'queries'}\n", encoding="utf-8")
    port = free_port()
    log = (home / "grlc.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from grlc.server import app; "
                             "app.run(host='127.0.0.1', port=int(sys.argv[1]))", str(port)],
                            cwd=home, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (home / "grlc.log").read_text()
            try:
                if httpx.get(f"{base}/api-local/swagger", timeout=30, trust_env=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, (home / "grlc.log").read_text()
            time.sleep(0.3)
        yield base
    finally:
        stop(proc)
        log.close()


def _rows(results: dict) -> list[tuple]:
    names = results["head"]["vars"]
    return sorted(tuple(json.dumps(b.get(n), sort_keys=True) for n in names)
                  for b in results["results"]["bindings"])


def _llmkg_json(bundled_store, text: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "llmkg", "query", "-", "--store", str(bundled_store),
                           "--format", "json"], input=text, capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_grlc_serves_every_saved_query_with_llmkg_answers(grlc_api, bundled_store):
    import httpx

    from llmkg.query.saved import parse_saved

    spec = httpx.get(f"{grlc_api}/api-local/swagger", timeout=60, trust_env=False).json()
    for path in QUERY_FILES:
        saved = parse_saved(path)
        operation = spec["paths"][f"/{path.stem}"]["get"]
        assert (operation["summary"], operation["tags"]) == (saved.summary, saved.tags)
        answer = httpx.get(f"{grlc_api}/api-local/{path.stem}", timeout=120, trust_env=False,
                           headers={"Accept": "application/json"})
        assert answer.status_code == 200, (path.stem, answer.text[:300])
        # grlc runs the text as it is: with its parameters unbound, as documented
        text = path.read_text(encoding="utf-8")
        if saved.params:
            text = "\n".join(line for line in text.split("\n") if not line.startswith("#+"))
        assert _rows(answer.json()) == _rows(_llmkg_json(bundled_store, text)), path.stem
