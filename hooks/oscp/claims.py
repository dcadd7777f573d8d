"""Claims that say no more than their source: tense, dates and "In short" summaries.

The reports describe one year's work at a time. A sentence under a heading that names a
year ("### Work in 2020-21", a priorities page for 2018-19, a programme's dated_facts) is
about that year, so present-tense wording there ("all drivers are trained", "patrols every
day") tells a reader it is still so today, which no report says. This module finds such
sentences where plain patterns can tell, and checks that a programme's "In short" paragraph
is a summary of its page: every number and year in it appears in the page, it stays short,
and its status year matches the year the report gives. Everything here is a warning (see
:func:`check_entry`): the patterns cannot read meaning, so they must never stop a build.

Plain functions, no state: checks.py calls :func:`check_entry` for each entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .model import Entry
from .problems import Problem

#: the most text of one entry these patterns read (safe_markdown.MAX_FIELD_CHARS refuses a longer field)
MAX_TEXT = 60_000

#: "In short" is a few sentences; more than this many words is no longer a summary.
IN_SHORT_MAX_WORDS = 60

#: A year or a financial year as the reports write them: 2019, 2018-19, 2018/19.
YEAR = re.compile(r"(?<![\d£.,])((?:19|20)\d{2})(?:[-/](\d{2}))?(?![\d%])")
#: A number as written in text: 2,616, 3.3, 24.1%, £53,000, 2018-19.
NUMBER = re.compile(r"(?<![\w.])£?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:-(\d{2})(?!\d))?")
#: a Markdown heading (matched on the line with its trailing blanks removed: no backtracking)
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*)$")
_BULLET = re.compile(r"^\s*(?:[-+*]|\d+\.)\s+")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
#: Quoted words are the report's, not ours: their tense is the report's.
_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”]*”")
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")

_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_WORD_NUMBER = re.compile(r"\b(" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")(?:-("
                          + "|".join(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])
                          + r"))?\b", re.IGNORECASE)
_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}

#: Words that say a sentence is in the present tense: a state ("is", "has"), an activity
#: verb in its third-person form ("patrols", "funds"), or a word for "these days".
_PRESENT = re.compile(
    r"\b(?:is|are|has|have|isn't|aren't|hasn't|haven't"
    r"|runs|operates|provides|offers|delivers|helps|continues|employs|tackles|monitors|brings"
    r"|keeps|supports|works|leads|attends"
    r"|every day|each day|every week|each week|every weekend|each weekend"
    r"|currently|at present|nowadays|today)\b", re.IGNORECASE)
#: Sentences about a report ("the review says", "the table's columns are empty") are about
#: the text, which is still what it was: their present tense is right.
_ABOUT_A_SOURCE = re.compile(
    r"\b(?:says?|describes?|calls?|lists?|notes?|writes?|mentions?|names?|explains?|refers?|reads?"
    r"|gives?|shows?|counts?|adds? up|does not|do not|cannot|seems?|appears?|means?"
    r"|report|reports|plan|plans|review|update|agreement|appendix|table|column|columns|row|rows"
    r"|paragraph|paragraphs|sentence|extract|extracted|wording|words|heading|headings|page|below)\b",
    re.IGNORECASE)
#: A priority's detail often goes on from its title, which is a plan ("To make sure ...",
#: "By working with ..."): such a sentence is the plan's, not a claim about the year.
_CONTINUES_A_PLAN = re.compile(r"^(?:To|And|By|Through|With|Such as)\b")
#: A definition ("Cuckooing is when ...") is not a claim about a year.
_DEFINITION = re.compile(r"\bis when\b|\bmeans that\b", re.IGNORECASE)
#: A plan is not a claim that something is so ("agreed to keep ... and judge what works").
_PLAN = re.compile(r"\b(?:agreed to|planned to|planned a|set out to|will|would|aimed? to|due to)\b",
                   re.IGNORECASE)
#: Markdown table rows are data and headings, not sentences.
_TABLE_ROW = re.compile(r"^\s*\|")


@dataclass(frozen=True)
class Claim:
    """A sentence of a text, where it starts (character offset) and the year it sits under."""

    offset: int
    sentence: str
    period: str


def years(text: str) -> list[str]:
    """The years and financial years ``text`` names, as written (2019, 2018-19)."""
    return [m.group(0).replace("/", "-") for m in YEAR.finditer(text)]


def _plain(line: str) -> str:
    """A Markdown line's words (link text kept, addresses and markup dropped), same length
    or shorter; offsets are only used to find the line, so shortening is harmless."""
    return _LINK.sub(r"\1", line).replace("**", "").replace("`", "")


def sentences(text: str, period: str = "") -> Iterator[Claim]:
    """Every sentence of a Markdown ``text`` with the year it sits under: the nearest
    heading above it that names a year, or ``period`` (the year of the whole text, e.g. a
    priorities page's year). Headings are not sentences; list items are their own."""
    stack: list[tuple[int, str]] = []  # (heading level, year it names or "")
    offset = 0
    block: list[tuple[int, str]] = []

    def flush() -> Iterator[Claim]:
        if not block:
            return
        start = block[0][0]
        joined = " ".join(line for _, line in block)
        current = next((y for _, y in reversed(stack) if y), period)
        for m in _SENTENCE.finditer(joined):
            sentence = m.group(0).strip()
            if len(sentence) > 1:
                yield Claim(start, sentence, current)
        block.clear()

    for raw in text.split("\n"):
        heading = _HEADING.match(raw.rstrip())
        if heading:
            yield from flush()
            level = len(heading.group(1))
            while stack and stack[-1][0] >= level:
                stack.pop()
            found = years(heading.group(2).rstrip("# \t"))
            stack.append((level, found[0] if found else ""))
        elif _TABLE_ROW.match(raw):
            yield from flush()
        elif not raw.strip() or _BULLET.match(raw):
            yield from flush()
            if raw.strip():
                block.append((offset, _plain(_BULLET.sub("", raw)).strip()))
        else:
            block.append((offset, _plain(raw).strip()))
        offset += len(raw) + 1
    yield from flush()


def is_present_tense(sentence: str) -> bool:
    """Whether a sentence claims, in the present tense, something a dated report said of
    its own year. Quoted words and sentences about a report are left alone."""
    words = _QUOTED.sub(" ", sentence)
    return bool(_PRESENT.search(words)) and not _ABOUT_A_SOURCE.search(words) \
        and not _CONTINUES_A_PLAN.match(words) and not _PLAN.search(words) \
        and not _DEFINITION.search(words)


def present_tense_in_dated_sections(text: str, period: str = "") -> list[Claim]:
    """The present-tense sentences of ``text`` that sit under a heading naming a year (or,
    with ``period``, anywhere in it), with the year they sit under."""
    return [c for c in sentences(text, period) if c.period and is_present_tense(c.sentence)]


def numbers(text: str) -> set[str]:
    """Every number and year in ``text``, normalised: commas, £ and % dropped, financial
    years kept whole ("2018-19"), numbers written as words read as digits ("Thirty" is 30)."""
    found: set[str] = set()
    plain = _LINK.sub(r"\1", text)
    for m in NUMBER.finditer(plain):
        whole = m.group(1).replace(",", "")
        if m.group(3):
            found.add(f"{whole}-{m.group(3)}")
        elif m.group(2):
            found.add(f"{int(whole)}.{m.group(2)}")
        else:
            found.add(str(int(whole)))
    for m in _WORD_NUMBER.finditer(plain):
        value = _NUMBER_WORDS[m.group(1).lower()] + (_UNITS[m.group(2).lower()] if m.group(2) else 0)
        found.add(str(value))
    return found


def page_text(programme: dict[str, Any]) -> str:
    """The words of a programme page that "In short" may summarise: its body, its
    year-by-year statements and its key figures (label, value, period)."""
    parts = [programme.get("body", "")]
    parts += [f"{f['period']}: {f['text']}" for f in programme.get("dated_facts", [])]
    for figure in programme.get("figures", []):
        value = figure["value"]
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        parts.append(f"{figure['label']} {shown} {figure.get('period', '')}")
    return "\n".join(parts)


def in_short_missing(in_short: str, page: str) -> list[str]:
    """The numbers and years of ``in_short`` that ``page`` does not have, in order."""
    have = numbers(page)
    missing: list[str] = []
    for number in sorted(numbers(in_short), key=in_short.find):
        if number not in have and number not in missing:
            missing.append(number)
    return missing


def word_count(text: str) -> int:
    """The number of words in a plain text."""
    return len(text.split())


def status_period_problem(status: dict[str, Any]) -> str:
    """Why a status's ``period`` does not match its ``year`` ("" when it does, or has none)."""
    period = status.get("period")
    if period is None:
        return ""
    text = str(period)
    first = int(text[:4])
    allowed = {first} | ({first // 100 * 100 + int(text[5:7])} if len(text) == 7 else set())
    if len(text) == 7 and int(text[5:7]) != (first + 1) % 100:
        return f"period {text} is not a financial year (write it as {first}-{(first + 1) % 100:02d})"
    if status["year"] not in allowed:
        return f"year {status['year']} is not in period {text}"
    return ""


def check_entry(entry: Entry) -> Iterator[Problem]:
    """Warnings for one content entry: present-tense claims in dated sections (programme
    bodies and year-by-year statements, priorities pages), and for a programme an "In
    short" with numbers or years its page does not have, or too many words, and a status
    year outside its period."""
    data = entry.data
    if sum(len(str(value)) for value in data.values()) > MAX_TEXT:
        return  # the Markdown check refuses fields this long; these patterns need not read them
    if entry.kind == "programme":
        yield from _dated(entry, ("body",), data.get("body", ""))
        for i, fact in enumerate(data.get("dated_facts", [])):
            yield from _dated(entry, ("dated_facts", i, "text"), fact["text"], str(fact["period"]))
        in_short = data.get("in_short", "")
        # a skeleton's placeholder ("REPLACE: two or three ... sentences") is reported as one
        missing = [] if "REPLACE:" in in_short else in_short_missing(in_short, page_text(data))
        if missing:
            yield entry.problem(("in_short",), f"in_short says {', '.join(missing)}, which the page does not",
                                "'In short' sums up the page: say each number and year in the body too, "
                                "or take it out", severity="warning")
        if (count := word_count(in_short)) >= IN_SHORT_MAX_WORDS:
            yield entry.problem(("in_short",), f"in_short has {count} words",
                                f"keep 'In short' under {IN_SHORT_MAX_WORDS} words: two or three short sentences",
                                severity="warning")
        if (why := status_period_problem(data.get("status", {}))):
            yield entry.problem(("status", "period"), why, "give the year as the status's report gives it",
                                severity="warning")
    elif entry.kind == "priorities":
        year = str(data.get("year", ""))
        if data.get("intro"):  # about the report: dated only under headings that name a year
            yield from _dated(entry, ("intro",), data["intro"])
        for i, item in enumerate(data.get("priorities", [])):
            if item.get("detail"):
                yield from _dated(entry, ("priorities", i, "detail"), item["detail"], year)


def _dated(entry: Entry, pointer: tuple[Any, ...], text: str, period: str = "") -> Iterator[Problem]:
    for claim in present_tense_in_dated_sections(text, period):
        line, col = entry.doc.locate(pointer, claim.offset)
        shown = claim.sentence if len(claim.sentence) <= 80 else claim.sentence[:77] + "..."
        yield Problem(entry.path, line, col,
                      f"present tense under {claim.period}: {shown!r}",
                      f"say what happened in {claim.period} in the past tense, or name the year the "
                      "report says it of", severity="warning")
