"""Every number a reader sees on the built site is in the partnership's reports.

The promise of the site is that every figure can be traced to a report. This module reads
each built HTML page's main content (``article.md-content__inner``) and checks that each
number in its text also appears somewhere in the report texts in ../shared/sources/.
Where a page shows a number that no report prints (a sum, a conversion such as "£53k"
shown as £53,000, the version of a standard), it must be listed, with its page and the
reason, in the reviewed file ``tests/derived_numbers.yml``.

The rules are deliberately simple:

* **What is read.** The visible text of the main article. Left out: the header, nav,
  footer and sidebars (outside the article anyway), ``code``/``pre``, ``<time>`` elements
  (review dates), ``script``/``style``, links to a report on the Sources page (the
  citation itself, whose paragraph numbers and report titles are not figures), and links
  whose text is a web address.
* **What is not a figure.** Removed from the text before numbers are read: web addresses
  (``https://...``, ``www...``, ``name.gov.uk/...``), dates (``27 November 2023``,
  ``May 2016``, ``2026-11-21``), clock times (``9am``, ``17:30``), phone numbers (every
  ``phone`` and ``text`` of content/services/, any number shaped like a UK phone number
  such as ``0800 555 111``, and a number straight after "call", "dial", "text" or
  "press"), and section numbers that name a law (``section 5``).
* **What a number is.** A run of digits, with thousands separators and a decimal part:
  ``1,233``, ``24.1``. A leading ``£``, a trailing ``%`` and a leading minus sign are
  ignored. ``£53k`` counts as 53 and as 53,000. A range such as ``2016-17`` or ``1998/99``
  is two numbers, each checked on its own. Numbers are compared by value, so ``3.0`` and
  ``3`` match.
* **What the reports hold.** The same reading applied to the report texts (without the
  removals), plus the number words they use: "Thirty people" holds 30, "three cameras"
  holds 3, and "£53k" holds both 53 and 53,000.

Years are numbers too, but a programme's status year and start year are claims about the
programme (running in, last reported in, ended in, since at least). tests/test_accuracy.py
checks that the content and the programme pages give each with its report; the last test
here checks the same for the open data (/api/v1/programmes.json) that partners reuse.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.sitebuild import REPO, html_pages

SOURCES = REPO.parent / "shared" / "sources"
DERIVED = REPO / "tests" / "derived_numbers.yml"

NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(k\b)?", re.IGNORECASE)
WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
}
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
          "December")
NOT_FIGURES = [
    re.compile(r"https?://\S+|\bwww\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:uk|com|org|net)\b\S*", re.I),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})(?:\s+\d{{4}})?\b"),
    re.compile(rf"\b(?:{MONTHS})\s+\d{{4}}\b"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b", re.I),
    re.compile(r"\b0\d{2,4}(?: \d{3,4}){1,2}\b"),
    re.compile(r"\b(?:call|calls|dial|text|press|ring)\s+\*{0,2}\d+(?: \d+)*", re.I),
    re.compile(r"\bsections?\s+\d+\b", re.I),
]


def _value(digits: str, decimals: str | None) -> Decimal:
    return Decimal(digits.replace(",", "") + (decimals or "")).normalize()


def numbers_in(text: str) -> Iterator[tuple[str, set[Decimal]]]:
    """Each number in ``text`` as written, with the values it may stand for."""
    for match in NUMBER.finditer(text):
        digits, decimals, k = match.groups()
        value = _value(digits, decimals)
        values = {value, (value * 1000).normalize()} if k else {value}
        yield match.group(0), values


@cache
def report_numbers() -> frozenset[Decimal]:
    """Every number the report texts print, in digits or in words."""
    if not SOURCES.is_dir():
        if os.environ.get("CI") and not os.environ.get("OSCP_SOURCES_OPTIONAL"):
            pytest.fail(f"{SOURCES} is missing")
        pytest.skip(f"{SOURCES} is not beside this checkout")
    found: set[Decimal] = set()
    for path in sorted((REPO / "content" / "sources").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = (SOURCES / data["file"]).read_text(encoding="utf-8")
        for _, values in numbers_in(text):
            found |= values
        found |= {Decimal(WORDS[w]) for w in re.findall(r"[a-z]+", text.lower()) if w in WORDS}
    return frozenset(found)


@cache
def service_phones() -> tuple[str, ...]:
    """The phone and text numbers of every service, longest first."""
    phones = set()
    for path in (REPO / "content" / "services").glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        phones |= {str(data[key]) for key in ("phone", "text") if data.get(key)}
    return tuple(sorted(phones, key=len, reverse=True))


def page_text(html: str) -> str:
    """The visible text of a page's main content, without what is not a figure."""
    article = BeautifulSoup(html, "html.parser").select_one("article.md-content__inner")
    if article is None:
        return ""
    for tag in article.select("code, pre, time, script, style, a[href^='tel:'], a[href^='sms:']"):
        tag.decompose()
    for a in article.find_all("a", href=True):
        label = a.get_text(" ", strip=True)
        if "sources/#" in a["href"] or "sources/index.html#" in a["href"] or \
                re.match(r"(https?://|www\.)|[\w-]+\.[\w.-]+/", label):
            a.decompose()
    text = article.get_text(" ")
    for phone in service_phones():
        text = re.sub(rf"(?<![\d,.]){re.escape(phone)}(?![\d]|[,.]\d)", " ", text)
    for pattern in NOT_FIGURES:
        text = pattern.sub(" ", text)
    return text


@cache
def site_numbers(site: Path) -> tuple[tuple[str, str, frozenset[Decimal]], ...]:
    """(page, number as written, values) for every number on every built page (read once a
    process: two tests ask)."""
    return tuple((path.relative_to(site).as_posix().removesuffix("index.html"), written, frozenset(values))
                 for path in html_pages(site)
                 for written, values in numbers_in(page_text(path.read_text(encoding="utf-8"))))


def derived() -> list[dict[str, str]]:
    """The reviewed list of numbers that are on the site but not in a report."""
    return yaml.safe_load(DERIVED.read_text(encoding="utf-8")) or []


def _listed(page: str, values: set[Decimal], listed: list[dict[str, str]]) -> bool:
    return any(page == item["page"] and Decimal(str(item["value"]).replace(",", "")).normalize() in values
               for item in listed)


def test_every_number_on_the_site_is_in_a_report_or_listed(real_site: Path) -> None:
    known, listed = report_numbers(), derived()
    missing = sorted({f"{page or '/'}: {written}" for page, written, values in site_numbers(real_site)
                      if not values & known and not _listed(page, values, listed)})
    assert not missing, (
        "numbers on the site that no report prints; correct them, or list each in "
        "tests/derived_numbers.yml with its page and the reason (e.g. a sum the page labels "
        "as one):\n" + "\n".join(missing))


def test_every_listed_number_is_explained_and_still_shown(real_site: Path) -> None:
    shown = {(page, value) for page, _, values in site_numbers(real_site) for value in values}
    for item in derived():
        assert set(item) == {"value", "page", "reason"}, item
        assert len(str(item["reason"]).split()) >= 4, f"give a real reason for {item}"
        value = Decimal(str(item["value"]).replace(",", "")).normalize()
        assert (item["page"], value) in shown, f"{item} is no longer on the site: remove it from the list"
        assert value not in report_numbers(), f"{item['value']} is in a report: remove it from the list"


@pytest.mark.parametrize(("text", "expected"), [
    ("1,233 sexual offences, up 56%", {"1233", "56"}),
    ("£53k of funding", {"53", "53000"}),
    ("from 24.1% to 24.6% in 2012-13", {"24.1", "24.6", "2012", "13"}),
    ("a fall of -33", {"33"}),
])
def test_numbers_are_read_as_the_module_says(text: str, expected: set[str]) -> None:
    assert {str(v) for _, values in numbers_in(text) for v in values} == {
        str(Decimal(e).normalize()) for e in expected}


def test_what_is_not_a_figure_is_left_out() -> None:
    html = """<article class="md-content__inner">
      <p>Call <strong>0800 555 111</strong> or 999; on a mobile, press 55. Open 9am to 5pm.</p>
      <p>Published 27 November 2023, reviewed <time datetime="2026-11-21">21 November 2026</time>.</p>
      <p>See <a href="https://insight.oxfordshire.gov.uk/x2023.pdf">insight.oxfordshire.gov.uk/x2023.pdf</a>
      (<a href="../sources/#oscp-annual-update-2022-23">OSCP Annual Update 2022-23, paragraph 28</a>),
      section 5 of the Act, and 76 survivors.</p></article>"""
    assert [w for w, _ in numbers_in(page_text(html))] == ["76"]


def _programmes() -> list[dict]:
    return [yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted((REPO / "content" / "programmes").glob("*.yml"))]


def test_open_data_gives_the_source_of_every_status_and_start(real_site: Path) -> None:
    data = json.loads((real_site / "api" / "v1" / "programmes.json").read_text(encoding="utf-8"))
    items = data["items"]
    by_slug = {p["slug"]: p for p in _programmes()}
    assert {item["slug"] for item in items} == set(by_slug)
    for item in items:
        programme = by_slug[item["slug"]]
        assert item["status_source"]["id"] == programme["status"]["source"]["source"], item["slug"]
        assert item["status_source"]["at"] == programme["status"]["source"]["at"], item["slug"]
        if item.get("started") is not None:
            assert item["started_source"]["id"] == programme["started"]["source"]["source"], item["slug"]
        else:
            assert "started" not in programme, item["slug"]
