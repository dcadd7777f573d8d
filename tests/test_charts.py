"""Charts: figures built from the data, accessible colours, light pages, reproducible builds."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import yaml

from oscp.charts import PALETTE, csv_text, figure_json
from tests.sitebuild import REPO, html_pages, page

PLOTLY = REPO / "overrides" / "assets" / "javascripts" / "vendor" / "plotly-basic-4.1.1.min.js"
KB = 1024
#: The page backgrounds of the light palette and material's dark "slate" palette.
BACKGROUNDS = {"light": "#ffffff", "dark": "#1e2129"}


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio between two #rrggbb colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _datasets() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((REPO / "content" / "datasets").glob("*.yml"))]


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def test_palette_keeps_3_to_1_on_light_and_dark() -> None:
    for colour in PALETTE:
        for background in BACKGROUNDS.values():
            assert contrast(colour, background) >= 3, (colour, background)


def test_figure_json_is_script_safe_and_stable() -> None:
    dataset = {"id": "x", "labels": ["</script>", "b"], "unit": "cases",
               "series": [{"name": "n", "values": [1, None]}]}
    chart = {"type": "bar", "title": "t", "summary": "s"}
    text = figure_json(dataset, chart)
    assert "<" not in text and text == figure_json(dataset, chart)
    assert json.loads(text)["data"][0]["y"] == [1, None]


def test_csv_text() -> None:
    dataset = {"label_heading": "Year", "labels": ["2012", "2013"],
               "series": [{"name": "Adults", "values": [24.1, None]}, {"name": "All", "values": [3.0, 4]}]}
    assert csv_text(dataset) == "Year,Adults,All\n2012,24.1,3\n2013,,4\n"


def test_every_dataset_has_a_chart() -> None:
    assert all(d.get("charts") for d in _datasets())


def test_chart_data_equals_the_dataset(real_site: Path) -> None:
    for dataset in _datasets():
        soup = page(real_site, f"data/{dataset['id']}/")
        for i, chart in enumerate(dataset["charts"], start=1):
            element = soup.find(id=f"chart-{dataset['id']}-{i}")
            assert element is not None and "oscp-chart" in element["class"]
            spec = json.loads(element["data-figure"])
            rows = [j for j, label in enumerate(dataset["labels"])
                    if label in chart.get("labels", dataset["labels"])]
            wanted = [s for s in dataset["series"] if s["name"] in chart.get("series", [s["name"]])]
            for trace, series in zip(spec["data"], wanted, strict=True):
                values = trace["values"] if chart["type"] == "pie" else \
                    trace["x" if chart["type"] == "horizontal-bar" else "y"]
                assert values == [series["values"][j] for j in rows]
            assert element["data-label"].startswith(chart["title"])
        # the table, the CSV and the source come with every chart
        assert soup.article.table is not None
        csv_link = soup.article.find("a", string="Download this data (CSV)")
        assert csv_link["href"] == f"../{dataset['id']}.csv"
        assert (real_site / "data" / f"{dataset['id']}.csv").read_text(encoding="utf-8") == csv_text(dataset)


def test_programme_pages_show_their_datasets_charts(real_site: Path) -> None:
    soup = page(real_site, "programmes/anti-social-behaviour/")
    assert soup.find(id="chart-crt-cases-by-type-2022-1") is not None


def test_pages_without_a_chart_load_no_plotly(real_site: Path) -> None:
    without = [p for p in html_pages(real_site) if 'class="oscp-chart"' not in p.read_text(encoding="utf-8")]
    assert len(without) > 10
    for path in without:
        assert "plotly" not in path.read_text(encoding="utf-8"), path


def test_plotly_bundle_and_chart_pages_within_budget(real_site: Path) -> None:
    assert _gz(PLOTLY.read_bytes()) <= 450 * KB
    soup = page(real_site, "data/crt-cases-by-type-2022/")
    total = _gz((real_site / "data" / "crt-cases-by-type-2022" / "index.html").read_bytes())
    base = real_site / "data" / "crt-cases-by-type-2022"
    assets = [tag.get("href") for tag in soup.find_all("link", rel="stylesheet")]
    assets += [tag.get("src") for tag in soup.find_all("script", src=True)]
    assets.append(soup.find(class_="oscp-chart")["data-plotly"])
    for asset in assets:
        total += _gz((base / asset).resolve().read_bytes())
    assert total <= 600 * KB, f"{total / KB:.0f} KB"


# Two builds give the same bytes, charts included: test_feed_sitemap.py builds the real site a
# second time, on another day, and compares every file with the first build.


CHART_TYPES = ["bar", "stacked-bar", "horizontal-bar", "line", "pie"]


def test_every_figure_is_one_plotly_accepts_as_it_is() -> None:
    """The build writes figures as plain plotly.js data; plotly for Python validates every
    property of each (an unknown or misspelt one raises) and gives back the same data, for
    every chart of the real content and for every chart type."""
    import plotly.graph_objects as go

    from oscp.charts import figure

    sample = {"unit": "people", "labels": ["a", "b", "c"],
              "series": [{"name": "one", "values": [1, 2, 3]}, {"name": "two", "values": [4, None, 6]}]}
    charts = [(sample, {"type": kind, "title": "t", "summary": "s"}) for kind in CHART_TYPES]
    for path in sorted((REPO / "content" / "datasets").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        charts += [(data, chart) for chart in data.get("charts", [])]
    for dataset, chart in charts:
        made = figure(dataset, chart)
        assert go.Figure(made).to_plotly_json() == made, chart
