"""The search index after oscp.search_index has shaped it: word forms, keywords that are
searched but never shown, a summary under each page's title, fields in proportion."""

from __future__ import annotations

import json
from pathlib import Path

from oscp.search_index import FIELDS, INDEX, PIPELINE, page_description, shape_search_index

GENERAL = "What the partnership does."


def _site(tmp_path: Path, docs: list[dict], pages: dict[str, str]) -> Path:
    site = tmp_path / "site"
    (site / INDEX).parent.mkdir(parents=True)
    config = {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": ["stopWordFilter"],
              "fields": {"title": {"boost": 1e3}, "text": {"boost": 1}, "tags": {"boost": 1e6}}}
    (site / INDEX).write_text(json.dumps({"config": config, "docs": docs}), encoding="utf-8")
    for location, description in pages.items():
        folder = site / location
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(
            f'<html><head><meta name="description" content="{description}"></head><body></body></html>',
            encoding="utf-8")
    return site


def _shaped(site: Path) -> dict:
    shape_search_index(site, GENERAL)
    return json.loads((site / INDEX).read_text(encoding="utf-8"))


def test_keywords_are_searched_but_never_shown(tmp_path: Path) -> None:
    docs = [{"location": "get-help/line/", "title": "A line", "text": "<p>Help for men.</p> More.",
             "tags": ["my wife hits me", "male victim"], "boost": 1.2},
            {"location": "get-help/line/#about", "title": "About", "text": "<p>Run by a charity.</p>",
             "tags": ["my wife hits me", "male victim"], "boost": 1.2}]
    index = _shaped(_site(tmp_path, docs, {"get-help/line/": "Help for men."}))
    for doc in index["docs"]:
        assert "tags" not in doc, "material prints a result's tags under it"
        assert doc["keywords"] == ["my wife hits me", "male victim"]
    assert "keywords" in index["config"]["fields"] and "tags" not in index["config"]["fields"]


def test_a_page_result_shows_its_summary_and_keeps_the_rest_searchable(tmp_path: Path) -> None:
    docs = [{"location": "get-help/line/", "title": "A line",
             "text": "<p>Help for men &amp; boys.</p> Who it is for Men.", "tags": ["abusive wife"]},
            {"location": "get-help/line/#about", "title": "About", "text": "<p>Run by a charity.</p>"},
            {"location": "about/", "title": "About", "text": "<p>Who we are.</p>"}]
    index = _shaped(_site(tmp_path, docs, {"get-help/line/": "Help for men &amp; boys.", "about/": GENERAL}))
    page, section, about = index["docs"]
    assert page["text"] == "<p>Help for men &amp; boys.</p>"
    assert page["body"] == "Who it is for Men."
    assert section["text"] == "<p>Run by a charity.</p>" and "body" not in section
    assert about["text"] == "<p>Who we are.</p>", "the site's general description is no page's summary"


def test_words_are_stemmed_and_no_field_swamps_another(tmp_path: Path) -> None:
    index = _shaped(_site(tmp_path, [{"location": "", "title": "Home", "text": ""}], {}))
    config = index["config"]
    assert config["pipeline"] == PIPELINE and "stemmer" in config["pipeline"]
    boosts = {name: spec["boost"] for name, spec in config["fields"].items()}
    assert boosts == {name: spec["boost"] for name, spec in FIELDS.items()}
    assert max(boosts.values()) / min(boosts.values()) <= 10, boosts
    assert boosts["title"] > boosts["keywords"] > boosts["text"]


def test_a_site_without_an_index_is_left_alone(tmp_path: Path) -> None:
    shape_search_index(tmp_path, GENERAL)
    assert not (tmp_path / INDEX).exists()


def test_page_description_reads_the_meta_tag() -> None:
    html = '<head><meta charset="utf-8"><meta name="description" content="Tom &amp; Jerry"></head>'
    assert page_description(html) == "Tom & Jerry"
    assert page_description("<head></head>") is None


def test_the_built_site_index_is_shaped(real_site: Path) -> None:
    index = json.loads((real_site / INDEX).read_text(encoding="utf-8"))
    assert "stemmer" in index["config"]["pipeline"], (
        "the build must call oscp.search_index.shape_search_index after material writes the index")
    assert not any("tags" in doc for doc in index["docs"])
    assert any(doc.get("keywords") for doc in index["docs"]), "content keywords must stay searchable"
