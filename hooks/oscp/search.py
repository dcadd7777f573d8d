"""How much each generated page counts in the site search (material's ``search.boost``).

A boost only breaks ties: it multiplies every match on the page, so a large one lets a
page win queries about something else (a helpline answering "crime figures" because "crime"
is in its keywords). Pages that answer a resident's question (a service, a programme) get a
little more, listings a little less; a page about the words asked for always wins. How
each field of a page counts is in search_index.py. The boost goes into the page's front
matter, where material's search plugin reads it.
"""

from __future__ import annotations

#: Search boost by kind of page. 1 is material's default.
BOOSTS: dict[str, float] = {
    "service": 1.2,
    "programme": 1.2,
    "hub": 1.0,
    "priorities": 1.0,
    "dataset": 0.9,
    "listing": 0.8,
}
#: A boost set in content must lie in this range: outside it one page swamps the search,
#: or disappears from it.
BOOST_RANGE = (0.1, 10.0)


def with_boost(markdown: str, boost: float) -> str:
    """``markdown`` with ``search: {boost: ...}`` added to its front matter (made if absent)."""
    line = f"search:\n  boost: {boost:g}\n"
    if markdown.startswith("---\n"):
        return "---\n" + line + markdown[len("---\n"):]
    return f"---\n{line}---\n\n{markdown}"
