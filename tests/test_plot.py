"""`llmkg plot`: the server's Vega-Lite pictures drawn to SVG and PNG files."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from conftest import XSS_NAME, run_cli

pytest.importorskip("vl_convert")


def svg_texts(path) -> list[str]:
    root = ET.parse(path).getroot()
    return ["".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}text")]


def test_timeline_svg_names_every_organisation(tmp_path, served_store):
    from llmkg.query.saved import run

    out = tmp_path / "timeline.svg"
    done = run_cli("plot", "timeline", "--output", out, "--store", served_store)
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"wrote {out} (svg)\n"
    organizations = {r[4].value for r in run("model-releases", store=served_store).rows if r[4] is not None}
    rows = {t.rsplit(" (", 1)[0] for t in svg_texts(out)}
    assert organizations <= rows and "Evil Corp" in rows


def test_lineage_svg_and_png(tmp_path, served_store):
    svg, png = tmp_path / "lineage.svg", tmp_path / "lineage.png"
    assert run_cli("plot", "lineage", "--param", "model=llama-2", "--output", svg,
                   "--store", served_store).returncode == 0
    texts = svg_texts(svg)
    assert {"Lineage of Llama 2", "Llama 2", "Code Llama", XSS_NAME} <= set(texts)
    assert run_cli("plot", "lineage", "-p", "model=Llama 2", "-o", png, "--store", served_store).returncode == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 2_000


@pytest.mark.parametrize("args, message", [
    (["plot", "pie", "--output", "x.svg"], "Error: Invalid value for 'PICTURE:{timeline|lineage}': 'pie' is not one of 'timeline', 'lineage'"),
    (["plot", "timeline", "--output", "x.pdf"], "Error: cannot draw a picture as 'pdf'. Write a .svg or .png file"),
    (["plot", "lineage", "-p", "model=nothing at all", "--output", "x.svg"], "Error: no such model"),
    (["plot", "timeline", "-p", "model=Llama", "--output", "x.svg"],
     "Error: query 'model-releases' has no parameter 'model'"),
])
def test_plot_errors_are_one_line(tmp_path, served_store, args, message):
    done = run_cli(*args, "--store", served_store, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(message) and done.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
