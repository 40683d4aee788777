"""Pictures of the graph as Vega-Lite specifications: a timeline of model
releases by organisation, and the lineage tree of a model.

One specification serves both places: `llmkg serve` hands it to vega-embed
in the browser (vendored, offline) and `llmkg plot` renders it to SVG or PNG
with vl-convert (the same Vega-Lite compiler, no browser). Vega-Lite was
chosen over matplotlib or graphviz for that: the page gets tooltips and
links, the file gets the same drawing, and no second renderer drifts apart.
The data comes from saved queries (model-releases, lineage-tree: the
model's ancestors and descendants, each with its base models); the layout is
computed here, so the browser and the file place nodes alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from llmkg import vocab as V
from llmkg.errors import FormatError, LlmkgError

PICTURES = ("timeline", "lineage")
VEGA_LITE = "6.4"  # the version vendored for the browser (scripts/update-vendor.sh)
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
MAX_POINTS = 5_000  # a timeline of more models is cut to the latest ones
UNKNOWN_ORGANIZATION = "(organisation unknown)"

Link = Callable[[str], str]  # IRI -> the href a picture links it to


def _identity(iri: str) -> str:
    return iri


def _value(term) -> str | None:
    return None if term is None else term.value


def _plot_date(date: str) -> str:
    """A release date at any precision as a day the axis can place (2023 -> 2023-01-01)."""
    parts = date.split("-")
    return "-".join(parts + ["01"] * (3 - len(parts)))


def timeline_spec(result, *, link: Link = _identity, title: str = "Model releases by organisation") -> dict:
    """Model releases by organisation from rows in the columns of the model-releases query."""
    columns = {name: i for i, name in enumerate(result.variables)}
    points = []
    for row in result.rows:
        date = _value(row[columns["date"]])
        points.append({"model": _value(row[columns["modelName"]]), "released": date,
                       "date": _plot_date(date),
                       "organization": _value(row[columns["organizationName"]]) or UNKNOWN_ORGANIZATION,
                       "href": link(_value(row[columns["model"]]))})
    total = len(points)
    points = points[-MAX_POINTS:]  # oldest first: keep the latest
    counts: dict[str, int] = {}
    for point in points:
        counts[point["organization"]] = counts.get(point["organization"], 0) + 1
    for point in points:
        point["row"] = f"{point['organization']} ({counts[point['organization']]} dated)"
    if total > len(points):
        title += f" (the latest {len(points)} of {total})"
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": "One point per dated model release; rows are organisations, oldest first, each with "
                       "its number of dated models (models without a release date are not drawn).",
        "data": {"values": points},
        "width": 720,
        "height": {"step": 16},
        "mark": {"type": "point", "filled": True, "size": 70, "opacity": 0.8},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "title": "release date", "scale": {"padding": 12},
                  "axis": {"format": "%Y", "tickCount": "year"}},
            "y": {"field": "row", "type": "nominal", "title": None,
                  "sort": {"field": "date", "op": "min", "order": "ascending"}},
            "color": {"field": "organization", "type": "nominal", "legend": None,
                      "scale": {"scheme": "tableau20"}},
            "href": {"field": "href"},
            "tooltip": [{"field": "model", "title": "model"},
                        {"field": "released", "title": "released"},
                        {"field": "organization", "title": "organisation"}],
        },
        "config": {"view": {"stroke": None}},
    }


def lineage_spec(result, *, link: Link = _identity) -> dict:
    """The lineage tree of one model from the rows of the lineage-tree query."""
    columns = {name: i for i, name in enumerate(result.variables)}
    if not result.rows:
        raise LlmkgError("no such model", hint="check the name with `llmkg query lineage-tree --param model=...`")
    names: dict[str, str] = {}
    parents: dict[str, list[str]] = {}
    relation_of: dict[tuple[str, str], str] = {}
    start = _value(result.rows[0][columns["start"]])
    names[start] = _value(result.rows[0][columns["startName"]])
    for row in result.rows:
        child, parent = _value(row[columns["child"]]), _value(row[columns["parent"]])
        names[child] = _value(row[columns["childName"]])
        if parent is None:  # a model of the lineage with no base model
            continue
        names[parent] = _value(row[columns["parentName"]])
        relation = _value(row[columns["relation"]]).removeprefix(V.LLMKG)
        # the reasoner adds basedOn beside each sub-property: keep the finer one
        if relation_of.get((child, parent)) in (None, "basedOn"):
            relation_of[(child, parent)] = relation
        if parent not in parents.setdefault(child, []):
            parents[child].append(parent)
    places = _tree_layout(list(names), parents, names)
    nodes = [{"name": names[n], "href": link(n), "x": x, "y": y,
              "role": "this model" if n == start else "related model"} for n, (x, y) in places.items()]
    edges = [segment for (c, p) in sorted(relation_of, key=lambda e: (places[e[1]], places[e[0]]))
             for segment in _elbow(places[p], places[c], relation=relation_of[(c, p)], source=names[p],
                                   target=names[c])]
    layers = max(x for x, _ in places.values()) + 1
    rows = max(y for _, y in places.values()) + 1
    hidden = {"axis": None}
    x = {"type": "quantitative", "scale": {"domain": [-0.1, layers - 0.2]}, **hidden}
    y = {"type": "quantitative", "scale": {"domain": [rows - 0.5, -0.5]}, **hidden}
    return {
        "$schema": SCHEMA,
        "title": f"Lineage of {names[start]}",
        "description": "Base models on the left, models built on them to the right.",
        "width": max(360, 200 * layers), "height": 28 * rows + 20,
        "layer": [
            {"data": {"values": edges}, "mark": {"type": "rule", "strokeWidth": 2},
             "encoding": {"x": {"field": "x", **x}, "y": {"field": "y", **y}, "x2": {"field": "x2"},
                          "y2": {"field": "y2"},
                          "color": {"field": "relation", "type": "nominal", "title": "relation",
                                    "scale": {"scheme": "set2"}},
                          "tooltip": [{"field": "target", "title": "model"}, {"field": "relation"},
                                      {"field": "source", "title": "base model"}]}},
            {"data": {"values": nodes}, "mark": {"type": "point", "filled": True, "size": 120},
             "encoding": {"x": {"field": "x", **x}, "y": {"field": "y", **y},
                          "shape": {"field": "role", "type": "nominal", "title": "model"},
                          "color": {"value": "#334"}, "href": {"field": "href"},
                          "tooltip": [{"field": "name", "title": "model"}]}},
            *[{"data": {"values": [n for n in nodes if (n["role"] == "this model") == bold]},
               "mark": {"type": "text", "align": "left", "dx": 9, "fontSize": 12,
                        "fontWeight": "bold" if bold else "normal"},
               "encoding": {"x": {"field": "x", **x}, "y": {"field": "y", **y}, "text": {"field": "name"},
                            "href": {"field": "href"}}} for bold in (False, True)],
        ],
        "config": {"view": {"stroke": None}},
    }


def _elbow(parent: tuple[int, int], child: tuple[int, int], **about) -> list[dict]:
    """An edge as a tree draws it: down from the parent to the child's row,
    then right to the child (clear of the labels, which stand right of nodes)."""
    (x1, y1), (x2, y2) = parent, child
    points = [(x1, y1), (x1, y2), (x2, y2)]
    return [{"x": a[0], "y": a[1], "x2": b[0], "y2": b[1], **about}
            for a, b in zip(points, points[1:]) if a != b]


def _tree_layout(nodes: list[str], parents: dict[str, list[str]], names: dict[str, str]) -> dict:
    """(layer, row) per node: a node one layer right of its first parent,
    rows in depth-first order so that each subtree is one block of rows.
    Linear in nodes and edges; a cycle (a broken catalog) is cut where the
    walk meets a node already placed."""
    children: dict[str, list[str]] = {}
    for child, ps in parents.items():
        for parent in ps:
            children.setdefault(parent, []).append(child)
    by_name = sorted(nodes, key=lambda n: (names[n].casefold(), n))
    roots = [n for n in by_name if not parents.get(n)] or by_name[:1]
    places: dict[str, tuple[int, int]] = {}
    for root in roots + by_name:  # by_name: nodes only a cycle reaches
        stack = [(root, 0)]
        while stack:
            node, layer = stack.pop()
            if node in places:
                continue
            places[node] = (layer, len(places))
            kids = sorted(children.get(node, []), key=lambda n: (names[n].casefold(), n), reverse=True)
            stack += [(kid, layer + 1) for kid in kids if kid not in places]
    return places


def picture(name: str, *, store=None, params: dict[str, str] | None = None, link: Link = _identity) -> dict:
    """The spec of picture `name` (timeline or lineage) over the store."""
    from llmkg.query.saved import run

    if name == "timeline":
        return timeline_spec(run("model-releases", store=store, params=params), link=link)
    if name == "lineage":
        return lineage_spec(run("lineage-tree", store=store, params=params), link=link)
    raise LlmkgError(f"unknown picture '{name}'", hint=f"use one of: {', '.join(PICTURES)}")


def write(spec: dict, output: Path, *, format: str | None = None) -> str:
    """Render `spec` to an SVG or PNG file (the format from the extension if
    not given). Returns the format written."""
    fmt = (format or Path(output).suffix.lstrip(".")).lower()
    if fmt not in ("svg", "png"):
        raise FormatError(f"cannot draw a picture as '{fmt or output}'", hint="write a .svg or .png file")
    try:
        import vl_convert
    except ImportError:
        raise LlmkgError("drawing pictures to files needs vl-convert-python",
                         hint="install it with pip install 'llmkg[plot]'") from None
    if fmt == "svg":
        data = vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE).encode("utf-8")
    else:
        data = vl_convert.vegalite_to_png(spec, vl_version=VEGA_LITE, scale=2)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    partial.write_bytes(data)
    partial.replace(output)
    return fmt
