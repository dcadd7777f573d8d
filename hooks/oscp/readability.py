"""How easy resident-facing text is to read: the Flesch-Kincaid grade, from textstat.

GOV.UK writes for a reading age of about 9 (grade 8 or lower). The texts residents read
first are held to that: a service's texts and the hand-written home, Find help and Staying
safe online pages at grade 8, a programme's "In short" paragraph at grade 9. Markdown and
HTML are removed before measuring, so that link addresses do not count as words.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from functools import cache
from typing import Any

from .model import Entry
from .problems import Problem

#: The highest grade allowed, per kind of text.
SERVICE_GRADE = 8.0
IN_SHORT_GRADE = 9.0
PAGE_GRADE = 8.0
#: Shorter texts are not measured: a grade means nothing for a few words ("Anyone." scores 8.4).
MIN_WORDS = 10
#: The fields measured, per kind of content, and their limits.
FIELDS: dict[str, dict[str, float]] = {
    "service": {"summary": SERVICE_GRADE, "purpose": SERVICE_GRADE, "audience": SERVICE_GRADE,
                "what_happens": SERVICE_GRADE},
    "programme": {"in_short": IN_SHORT_GRADE},
}

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ATTRS = re.compile(r"\{[#.:][^}]*\}")
_SNIPPET = re.compile(r"^--8<--.*$", re.MULTILINE)
_MARKUP = re.compile(r"[*_`#>|]+")
_BULLET = re.compile(r"^\s*(?:[-+]|\d+\.)\s+", re.MULTILINE)


@cache
def _textstat() -> Any:
    # textstat 0.7.3 imports pkg_resources, which warns that it is deprecated
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import textstat
    return textstat


def plain_text(markdown: str) -> str:
    """The words of a Markdown (and HTML) text, as a reader sees them."""
    text = _FRONT_MATTER.sub("", markdown)
    text = _COMMENT.sub(" ", text)
    text = _SNIPPET.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    text = _ATTRS.sub(" ", text)
    text = _BULLET.sub("", text)
    return _MARKUP.sub(" ", text)


def grade(text: str) -> float:
    """The Flesch-Kincaid grade of a text (Markdown and HTML removed first)."""
    words = plain_text(text)
    if not words.strip():
        return 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(_textstat().flesch_kincaid_grade(words))


def check_entry(entry: Entry) -> Iterator[Problem]:
    """A warning for each resident-facing field of ``entry`` above its grade limit."""
    for name, limit in FIELDS.get(entry.kind, {}).items():
        value = entry.data.get(name)
        if isinstance(value, str) and len(plain_text(value).split()) >= MIN_WORDS \
                and (found := grade(value)) > limit:
            yield entry.problem((name,), f"{name} reads at Flesch-Kincaid grade {found:.1f}, above {limit:g}",
                                "use shorter sentences and common words (see EDITING.md, "
                                "'Write for residents')", severity="warning")
