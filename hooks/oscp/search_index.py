"""The site search's index, shaped for residents after material's search plugin has written it.

Material's plugin writes ``search/search_index.json``; this module rewrites it once the build
has finished (``shape_search_index``), so that material's own search worker and result list
(which the site keeps) behave as a resident needs:

* **Word variants.** Material's English default indexes words as written (its pipeline holds
  only the stop-word filter), so "stalked" never meets "stalking". The index is built with
  lunr's stemmer and trimmer as well, and the separator splits words at punctuation, so
  "danger," and "danger" are one word. The query side (stemming what is typed, and allowing
  a typo in a long word) is in overrides/assets/javascripts/search-query.js.
* **Keywords are searchable but never shown.** Content ``keywords`` reach the index as the
  page's ``tags``, which material prints under every result in large type ("my wife hits
  me", read back to whoever is looking at the screen). They move to a ``keywords`` field,
  which lunr searches and material's result list does not render.
* **Results show the title and the one-line summary.** A page's own result shows the page's
  description (its summary) as its text; the rest of that text stays searchable in ``body``.
* **No field swamps the others.** Material weighs a title match 1,000 times and a tag
  (keyword) match 1,000,000 times a word in the text, so one shared word in a service's
  keywords beat a page whose title and text answer the question. The weights below keep
  every field in proportion.
"""

from __future__ import annotations

import json
import re
from html import escape, unescape
from pathlib import Path
from typing import Any

#: Where material's search plugin writes the index, under the site folder.
INDEX = Path("search") / "search_index.json"

#: Index with lunr's full English pipeline (material's default for English is the stop-word
#: filter alone): the trimmer strips punctuation left on a word, the stemmer makes
#: "assaulted", "assaults" and "assault" one word.
PIPELINE = ["stemmer", "stopWordFilter", "trimmer"]

#: Split words at white space, hyphens, slashes, brackets, quotes, apostrophes and other
#: punctuation, and at a full stop that does not start a decimal part. Material's English
#: default splits at white space and hyphens only, so "999." or "(IDVA)" were words of
#: their own that no query met.
SEPARATOR = r"[\s\-,:;!?=\[\]()\"'/\u2018\u2019\u201c\u201d]+|\.(?!\d)"

#: How much a match in each field counts. ``text`` is what a result shows under its title,
#: ``body`` the rest of a page's opening text, ``keywords`` the phrases residents use for
#: the need (from content), ``title`` the page or section heading.
FIELDS: dict[str, dict[str, float]] = {
    "title": {"boost": 8.0},
    "keywords": {"boost": 4.0},
    "text": {"boost": 1.0},
    "body": {"boost": 1.0},
}


#: the description overrides/main.html writes into every page's <head> (attribute escaped by |e)
_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


def page_description(html: str) -> str | None:
    """The description a built page declares for itself, or None. Read with one expression
    from the page's <head>, which our own template writes in this one form (parsing every
    page again was half the time of a rebuild)."""
    match = _DESCRIPTION.search(html, 0, max(html.find("</head>"), 0))
    return unescape(match.group(1)) if match else None


def _page_file(site_dir: Path, location: str) -> Path:
    """The built HTML file of the page at ``location`` (a directory URL, "" for home)."""
    path = location.split("#", 1)[0]
    return site_dir / path / "index.html"


def shape_document(doc: dict[str, Any], description: str | None) -> dict[str, Any]:
    """One entry of material's index as residents need it (see the module's docstring).

    ``description`` is the page's own summary, given only for the entry of a whole page
    (not one of its sections) whose page declares one; the site's general description
    does not count.
    """
    shaped = {key: value for key, value in doc.items() if key != "tags"}
    tags = doc.get("tags")
    if tags:
        shaped["keywords"] = [str(tag) for tag in tags]
    if description:
        # material shows ``text`` as HTML: the summary goes in escaped, as material's
        # plugin escapes page text; where the opening text starts with it, not twice
        summary = escape(description, quote=False)
        text = doc.get("text", "")
        shaped["text"] = f"<p>{summary}</p>"
        rest = text.replace(f"<p>{summary}</p>", "", 1)
        if rest.strip():
            shaped["body"] = rest.strip()
    return shaped


def shape_index(data: dict[str, Any], descriptions: dict[str, str]) -> dict[str, Any]:
    """Material's whole index (``config`` and ``docs``) reshaped; ``descriptions`` maps a
    page's location to its own summary."""
    config = dict(data.get("config", {}))
    config.update(pipeline=list(PIPELINE), separator=SEPARATOR,
                  fields={name: dict(spec) for name, spec in FIELDS.items()})
    docs = [shape_document(doc, None if "#" in doc["location"] else descriptions.get(doc["location"]))
            for doc in data.get("docs", [])]
    return {**data, "config": config, "docs": docs}


def shape_search_index(site_dir: Path, site_description: str | None = None) -> None:
    """Rewrite the built site's search index in place (a site without one is left alone).

    Call it after material's search plugin has written the index (mkdocs's post-build
    event, which runs hooks after plugins). ``site_description`` is mkdocs.yml's
    ``site_description``, which pages without their own summary carry and which is not
    shown as any page's summary.
    """
    path = site_dir / INDEX
    if not path.is_file():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    general = " ".join((site_description or "").split())
    descriptions: dict[str, str] = {}
    for doc in data.get("docs", []):
        location = doc["location"]
        page = _page_file(site_dir, location)
        if "#" in location or not page.is_file():
            continue
        description = page_description(page.read_text(encoding="utf-8"))
        if description and " ".join(description.split()) != general:
            descriptions[location] = description
    shaped = shape_index(data, descriptions)
    path.write_text(json.dumps(shaped, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
