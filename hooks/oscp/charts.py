"""Charts from datasets: plotly.js figures as JSON, and each dataset as CSV.

The build writes every chart a dataset declares as a plotly.js figure (data and layout); the
page carries it as JSON and overrides/assets/javascripts/charts.js draws it with the
self-hosted plotly.js basic bundle (plotly for Python validates each figure in the tests).
Output is deterministic: fixed element ids, no random uids, a fixed key order, so building
the same commit twice gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

#: Okabe-Ito colours that keep at least 3:1 contrast on both the light (#ffffff) and the
#: dark (material "slate") page background, and stay distinct for colour-blind readers.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
MAX_PIE_SLICES = len(PALETTE)
#: plotly's template "none", as plotly.js reads it (no colours, fonts or grid of its own)
NO_TEMPLATE = {"data": {"scatter": [{"type": "scatter"}]}}
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"


def chart_id(dataset_id: str, index: int) -> str:
    """The fixed element id of a dataset's ``index``-th chart (0-based)."""
    return f"chart-{dataset_id}-{index + 1}"


def _rows(dataset: dict[str, Any], chart: dict[str, Any]) -> list[int]:
    wanted = chart.get("labels")
    return [i for i, label in enumerate(dataset["labels"]) if not wanted or label in wanted]


def _series(dataset: dict[str, Any], chart: dict[str, Any]) -> list[dict[str, Any]]:
    """The series a chart draws, cut down to the rows it draws."""
    wanted = chart.get("series")
    rows = _rows(dataset, chart)
    return [{"name": s["name"], "values": [s["values"][i] for i in rows]}
            for s in dataset["series"] if not wanted or s["name"] in wanted]


def height(dataset: dict[str, Any], chart: dict[str, Any]) -> int:
    """Chart height in pixels: horizontal bars grow with the number of labels."""
    if chart["type"] == "horizontal-bar":
        return max(320, 28 * len(_rows(dataset, chart)) + 120)
    return 360


def figure(dataset: dict[str, Any], chart: dict[str, Any]) -> dict[str, Any]:
    """The plotly.js figure (``{"data": [...], "layout": {...}}``) for one chart of one dataset,
    written as the data plotly.js reads; tests/test_charts.py checks that plotly for Python
    accepts every one (building plotly's objects in every build cost a fifth of a small site's
    build time, to produce the same JSON)."""
    labels = [dataset["labels"][i] for i in _rows(dataset, chart)]
    series = _series(dataset, chart)
    kind = chart["type"]
    traces: list[dict[str, Any]] = []
    if kind == "pie":
        traces.append({"type": "pie", "labels": labels, "values": series[0]["values"], "sort": False,
                       "direction": "clockwise",
                       "marker": {"colors": list(PALETTE[: len(labels)]), "line": {"color": "#ffffff", "width": 2}},
                       "textinfo": "label+percent", "textposition": "inside", "insidetextorientation": "horizontal",
                       "hoverinfo": "label+value+percent", "name": series[0]["name"]})
    for i, item in enumerate(series if kind != "pie" else []):
        colour = PALETTE[i % len(PALETTE)]
        if kind == "line":
            traces.append({"type": "scatter", "x": labels, "y": item["values"], "name": item["name"],
                           "mode": "lines+markers", "line": {"color": colour, "width": 3}, "marker": {"size": 8}})
        elif kind == "horizontal-bar":
            traces.append({"type": "bar", "y": labels, "x": item["values"], "name": item["name"], "orientation": "h",
                           "marker": {"color": colour}})
        else:
            traces.append({"type": "bar", "x": labels, "y": item["values"], "name": item["name"],
                           "marker": {"color": colour}})
    value_axis = {"title": {"text": dataset["unit"]}, "automargin": True, "rangemode": "tozero",
                  "separatethousands": True}
    label_axis = {"automargin": True, "type": "category"}
    layout: dict[str, Any] = {
        "template": NO_TEMPLATE,
        "height": height(dataset, chart),
        "autosize": True,
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "font": {"family": FONT, "size": 13},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "showlegend": len(traces) > 1 and kind != "pie",
        "legend": {"orientation": "h", "y": -0.2},
        "barmode": "stack" if kind == "stacked-bar" else "group",
        "separators": ".,",
    }
    if kind == "horizontal-bar":
        layout.update(xaxis=value_axis, yaxis={**label_axis, "autorange": "reversed"})
    elif kind != "pie":
        layout.update(xaxis=label_axis, yaxis=value_axis)
    return {"data": traces, "layout": layout}


def figure_json(dataset: dict[str, Any], chart: dict[str, Any]) -> str:
    """Compact, deterministic JSON of the figure (HTML-escaped by the template into an attribute).

    Not a <script> element: material's instant navigation does not keep those intact."""
    text = json.dumps(figure(dataset, chart), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def csv_text(dataset: dict[str, Any]) -> str:
    """The dataset as CSV: a label column, then one column per series (empty for null)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    heading = dataset.get("label_heading", "Label")
    writer.writerow([cell_text(heading)] + [cell_text(s["name"]) for s in dataset["series"]])
    for row, label in enumerate(dataset["labels"]):
        values = [s["values"][row] for s in dataset["series"]]
        writer.writerow([cell_text(label)] + ["" if v is None else _number(v) for v in values])
    return out.getvalue()


#: what a spreadsheet reads as the start of a formula (OWASP "CSV injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: Any) -> str:
    """A text cell as a spreadsheet will show it, never run it: text that starts like a formula
    gets a leading apostrophe, as OWASP recommends. Numbers are written by _number, unchanged."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _number(value: float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
