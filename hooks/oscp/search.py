"""How much each generated page counts in the site search (material's ``search.boost``).

Pages that answer a resident's question (a service, a programme) rank above pages that
only list or count things (data, sources, partners). The boost goes into the page's front
matter, where material's search plugin reads it.
"""

from __future__ import annotations

#: Search boost by kind of page. 1 is material's default.
BOOSTS: dict[str, float] = {
    "service": 2.0,
    "programme": 2.0,
    "hub": 1.0,
    "priorities": 1.0,
    "dataset": 0.5,
    "listing": 0.5,
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
