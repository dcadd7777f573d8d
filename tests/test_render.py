"""Unit tests for the filters used by page templates."""

from __future__ import annotations

import markdown

from oscp.render import long_date, md, number, quantity


def test_md_escapes_html_and_markdown() -> None:
    text = md('<script>alert("x")</script> *bold* [link](x) | #1')
    html = markdown.markdown(str(text), extensions=["tables"])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<em>" not in html and "<a " not in html
    assert "*bold*" in html and "[link](x)" in html


def test_numbers_and_quantities() -> None:
    assert number(2236) == "2,236"
    assert number(12.0) == "12"
    assert number(3.5) == "3.5"
    assert quantity({"value": 71, "unit": "%"}) == "71%"
    assert quantity({"value": 50, "unit": "meetings", "qualifier": "more than"}) == \
        "more than 50 meetings"


def test_long_date() -> None:
    assert long_date("2023-11-07") == "7 November 2023"
