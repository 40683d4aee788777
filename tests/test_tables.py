"""Table columns read by what their headers mean (ingest/columns.py, data/table_headers.toml)
and licences (ingest/licenses.py)."""

from __future__ import annotations

import pytest

from llmkg.ingest import columns as C
from llmkg.ingest.licenses import SPDX, cell_licenses, spdx_id, stated_licenses
from llmkg.ingest.lexicon import load_lexicon
from llmkg.ingest.parse import Heading, Link, parse_text
from llmkg.ingest.records import Iri


@pytest.mark.parametrize("header,kind,unit", [
    ("Language Model", "name", None), ("Model", "name", None), ("Model Size", "params", None),
    ("Params (B)", "params", 10**9), ("Parameters [M]", "params", 10**6), ("Active Params (B)", "active", 10**9),
    ("Context Length", "context", None), ("Context (K)", "context", 1000), ("Release Date", "date", None),
    ("Licence", "license", None), ("Developer", "organization", None), ("Paper/Blog", "paper", None),
    ("Checkpoints", "checkpoints", None), ("Try it", "demo", None), ("MoE", "moe", None),
    ("Tokens (T)", None, None), ("Attention Type", None, None),
])
def test_header_words_name_the_column_kind_and_unit(header, kind, unit) -> None:
    assert C.header_kind(header) == (kind, unit)


def test_tables_of_other_things_list_no_models() -> None:
    models = ("Language Model", "Release Date", "Checkpoints", "Params (B)", "Context Length", "Licence")
    assert C.read_layout(models).lists == "models"
    datasets = ("Name", "Release Date", "Paper/Blog", "Dataset", "Tokens (T)", "License")
    assert C.read_layout(datasets).lists == "other"
    assert C.read_layout(("Benchmark", "Tasks", "Link")).lists == "other"
    # a date and a licence do not make a table of models under a heading that says tools
    assert C.read_layout(("Name", "Release Date", "License"), (Heading(2, "Tools", 1),)).lists == "other"
    assert C.read_layout(("Name", "Release Date", "License"), (Heading(2, "Open LLMs", 1),)).lists == "models"


def test_size_cells_take_the_header_unit_and_give_every_size() -> None:
    assert C.cell_sizes("7, 13, 70", 10**9) == [7 * 10**9, 13 * 10**9, 70 * 10**9]
    assert C.cell_sizes("0.06 - 11", 10**9) == [60 * 10**6, 11 * 10**9]
    assert C.cell_sizes("1.3B", 10**6) == [1_300_000_000]  # a unit in the cell wins
    assert C.cell_sizes("7, 13 and 70B", None) == [7 * 10**9, 13 * 10**9, 70 * 10**9]
    assert C.cell_sizes("8x7", 10**9) == []  # experts x size is no list of sizes
    assert C.cell_sizes("7", None) == []  # a bare number without any unit says nothing


def test_context_cells_are_tokens_and_32k_follows_the_documented_rule() -> None:
    assert C.cell_contexts("4096", None) == [4096]
    assert C.cell_contexts("32k", None) == [32_000]  # K is 1,000 ...
    assert C.cell_contexts("32k", None, binary_k=True) == [32_768]  # ... unless the header says 1k = 1024
    assert C.cell_contexts("32k (1k = 1024)", None) == [32_768]  # or the cell does
    assert C.cell_contexts("32k (32,768)", None) == [32_768]  # or gives the exact count
    assert C.cell_contexts("4096-16K with Sliding Windows", None) == [4096, 16_000]
    assert C.cell_contexts("8", 1000) == [8000]
    assert C.cell_contexts("infinity (RNN)", None) == []
    assert C.read_layout(("Model", "Context (tokens, 1k = 1024)")).binary_k


@pytest.mark.parametrize("text,lexical", [
    ("2023/06", "2023-06"), ("2023-06", "2023-06"), ("Jun 2023", "2023-06"), ("June 15, 2023", "2023-06-15"),
    ("15 Jun 2023", "2023-06-15"), ("2023", "2023"), ("2023/06 <!-- 2023/05 -->", "2023-06"),
    ("<!-- 2023/05 --> 2023/07", "2023-07"), ("2023/02/30", "2023"),
])
def test_date_cells_at_the_precision_written(text, lexical) -> None:
    assert C.cell_date(text).lexical == lexical


def test_html_comments_and_line_breaks_in_cells() -> None:
    catalog = parse_text("| Model | Context |\n| --- | --- |\n| Foo <!-- was Bar --> | 4096<br>128k |\n")
    name, context = catalog.tables[0].rows[0].cells
    assert name.text == "Foo" and C.cell_contexts(context.text, None) == [4096, 128_000]


def test_licences_spdx_by_iri_others_by_name() -> None:
    assert spdx_id("Apache 2.0") == "Apache-2.0" and spdx_id("CC BY-NC-SA 4.0") == "CC-BY-NC-SA-4.0"
    assert spdx_id("MIT License") == "MIT" and spdx_id("OpenRAIL-M v1") is None
    assert spdx_id("MIT OR Apache-2.0") is None  # an expression is not one licence
    assert cell_licenses("Apache 2.0, CC BY-SA-3.0") == [Iri(SPDX + "Apache-2.0"), Iri(SPDX + "CC-BY-SA-3.0")]
    link = Link("Custom", "https://example.org/LICENSE", 1, 0, 6)
    assert cell_licenses("Custom Free if you have under 700M users", (link,)) == ["Custom"]
    assert cell_licenses("Gemma Terms of Use Free with usage restriction") == ["Gemma Terms of Use"]
    assert [v for v, _ in stated_licenses("Released under the Apache 2.0 license. Not")] == [Iri(SPDX + "Apache-2.0")]
    assert stated_licenses("the license is restrictive") == []


def test_makers_from_link_owners_known_or_named_elsewhere() -> None:
    lex = load_lexicon()
    link = lambda url: Link("x", url, 1, 0, 1)  # noqa: E731
    assert C.maker_from_links([link("https://huggingface.co/meta-llama/Llama-2-7b")], lex) == "Meta"
    assert C.maker_from_links([link("https://huggingface.co/upstage/SOLAR")], lex) == "Upstage"
    # an owner named as a maker elsewhere is found at resolve: test_other_header_words_and_units_read_alike
    assert C.maker_from_links([link("https://huggingface.co/acme-labs/m")], lex) is None
    assert C.maker_from_links([link("https://huggingface.co/teknium/OpenHermes-7B")], lex) is None


def _records(text: str):
    from llmkg.ingest.extract import extract

    return extract(parse_text(text))


def test_a_reimplementation_gives_the_model_it_names_no_date_or_repository() -> None:
    out = _records("# Domain models\n\n- [AlphaFold3](https://github.com/someone/AlphaFold3): Open source "
                   "implementation of AlphaFold3 [Nov 2023] / [OpenFold](https://github.com/lab/openfold): "
                   "PyTorch reproduction of AlphaFold 2 [Sep 2021]\n")
    facts = {(r.name, f.predicate, str(f.value)) for r in out.records if r.kind == "model" for f in r.facts}
    assert not {p for n, p, _ in facts if n == "AlphaFold3"} & {"releaseDate", "repository"}
    assert ("OpenFold", "releaseDate", "Date(lexical='2021-09')") in facts  # a reproduction named otherwise keeps its own
    assert ("OpenFold", "repository", "Iri(value='https://github.com/lab/openfold')") in facts


def test_a_model_named_in_a_side_remark_takes_no_date_of_the_entry() -> None:
    out = _records("# GPT series\n\n- GPT 3.5: 3 variants each with 1.3B, 6B, and 175B parameters. [15 Mar 2022] "
                   "Estimate the embedding size of OpenAI's gpt-3.5-turbo to be about 4,096\n")
    dates = {r.name: [f.value.lexical for f in r.facts if f.predicate == "releaseDate"]
             for r in out.records if r.kind == "model"}
    assert dates.get("GPT 3.5") == ["2022-03-15"]
    turbo = [d for name, d in dates.items() if "turbo" in name.lower()]
    assert turbo and not any(turbo)


def test_other_header_words_and_units_read_alike(tmp_path) -> None:
    """The same facts from other spellings of the headers: words from the lexicon, not one catalog's."""
    from llmkg import vocab as V
    from llmkg.build import graph_quads

    path = tmp_path / "other.md"
    path.write_text(
        "# Models\n\n"
        "| Name | Organisation | Launch date | Model size [M] | Max tokens | License type | Weights |\n"
        "| --- | --- | --- | --- | --- | --- | --- |\n"
        "| Acme-1 | Acme Labs | June 15, 2024 | 350, 1,300 | 8,192 | MIT License | [hf](https://huggingface.co/acme/acme-1) |\n"
        "| Beta 2 | | Jan 2025 | 7B | 1k = 1024: 32k | CC BY-NC 4.0 | [hf](https://huggingface.co/acme-labs/beta-2) |\n",
        encoding="utf-8")
    quads, _ = graph_quads([path])
    facts = {(q.subject.value.rsplit("/", 1)[-1], q.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1],
              q.object.value) for q in quads if q.graph_name.value == V.DATA_GRAPH}
    assert {("acme1", "parameterCount", "350000000"), ("acme1", "parameterCount", "1300000000"),
            ("acme1", "releaseDate", "2024-06-15"), ("acme1", "contextLength", "8192"),
            ("acme1", "license", "http://spdx.org/licenses/MIT"),
            ("acme1", "developedBy", V.iri("organization", "acmelabs")),
            ("acme1", "repository", "https://huggingface.co/acme/acme-1")} <= facts
    # the owner 'acme-labs' is the maker the developer column names elsewhere
    assert {("beta2", "parameterCount", "7000000000"), ("beta2", "contextLength", "32768"),
            ("beta2", "license", "http://spdx.org/licenses/CC-BY-NC-4.0"),
            ("beta2", "developedBy", V.iri("organization", "acmelabs"))} <= facts


def test_a_list_entry_is_made_by_its_repository_owner_when_the_catalog_names_that_maker(tmp_path) -> None:
    """Issue 21 point 2 for list entries, not only table rows: 'acme-labs' owns the repo and
    'Acme Labs' heads its own list elsewhere, so it is the maker; 'jdoe' is nobody's name here."""
    from llmkg import vocab as V
    from llmkg.build import graph_quads

    path = tmp_path / "lists.md"
    path.write_text(
        "# Models\n\n## Acme Labs\n\n- [Acme-1](https://acme.example/acme-1): a 7B language model [Jan 2024]\n\n"
        "## Small models\n\n"
        "- [Beta-2](https://github.com/acme-labs/beta-2): a 1B language model [Feb 2024]\n"
        "- [Gamma-3](https://huggingface.co/jdoe/gamma-3): a 2B language model [Mar 2024]\n"
        "- [Delta-4](https://github.com/acme-labs/delta-4): a 3B language model from Google [Apr 2024]\n",
        encoding="utf-8")
    quads, _ = graph_quads([path])
    made = {(q.subject.value.rsplit("/", 1)[-1], q.object.value) for q in quads
            if q.graph_name.value == V.DATA_GRAPH and q.predicate.value.endswith("developedBy")}
    acme = V.iri("organization", "acmelabs")
    assert ("acme1", acme) in made and ("beta2", acme) in made
    assert not any(s == "gamma3" for s, _ in made)  # a personal account names no organisation
    assert ("delta4", acme) not in made  # the entry's own maker wins over its repository's owner
