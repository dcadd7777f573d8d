"""What a page says about itself in ``<head>``: its title and description as plain text.

Front matter values (a programme's summary, a dataset's measures, a hand-written page's
description) reach ``<title>``, ``<meta name="description">`` and the link-preview tags.
There they are plain text: Markdown and HTML stripped, one line, capped in length. The theme
prints some of them without escaping, so :func:`plain_meta` hands it text already escaped
once, and ``overrides/main.html`` prints the rest with ``|e`` after ``|striptags``.
"""

from __future__ import annotations

import html
import re
from typing import Any

import markdown
import nh3
from markupsafe import escape

#: longest description and title kept (search engines show about 160 and 60 characters)
MAX_DESCRIPTION = 200
MAX_TITLE = 120
#: front matter keys the theme prints in <head>
TEXT_KEYS = {"description": MAX_DESCRIPTION, "title": MAX_TITLE, "author": MAX_TITLE}


def plain_text(value: Any, limit: int) -> str:
    """``value`` as one line of plain text: Markdown rendered, then every tag dropped,
    entities decoded, blanks folded; cut at a word boundary to at most ``limit`` characters."""
    rendered = markdown.markdown(str(value))
    text = html.unescape(nh3.clean(rendered, tags=set()))
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",.;: ") + "…"
    return text


def plain_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """The page's front matter with each text the theme prints in ``<head>`` made plain and
    escaped once (the theme prints ``page.meta.description`` and ``page.meta.title`` as they are)."""
    out = dict(meta)
    for key, limit in TEXT_KEYS.items():
        if key in out and out[key] is not None:
            out[key] = str(escape(plain_text(out[key], limit)))
    return out
