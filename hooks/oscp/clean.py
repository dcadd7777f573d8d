"""The one output sanitiser: every page's HTML made from Markdown (generated from content/ or
hand-written in docs/) passes :func:`clean` before the theme wraps it.

One allowlist, one ``clean()``, as pypa/readme_renderer's ``clean.py``: the tags, attributes
and classes that our templates and Markdown extensions produce, and nothing else. The
editors' checker (``safe_markdown.py``) tells an editor what to fix; this is the guarantee.
It is applied to the page's HTML after Markdown (mkdocs's ``on_page_content``), so nothing
that any content field, template or hand-written page yields can reach a reader unchecked.
"""

from __future__ import annotations

import re

import nh3

#: Elements that Markdown, its extensions (tables, admonition, toc, abbr, md_in_html) and
#: our page templates make.
TAGS = {
    "a", "abbr", "aside", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "small", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "ul",
}
_ANY = {"id", "class"}
ATTRIBUTES = {
    "a": _ANY | {"href", "title"},
    "abbr": {"title"},
    "aside": _ANY | {"aria-labelledby", "aria-label", "data-search-exclude"},
    "img": _ANY | {"src", "alt", "title", "width", "height"},
    "ol": _ANY | {"start"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "time": {"datetime"},
    # the chart hooks (see templates/_macros.md and assets/javascripts/charts.js)
    "div": _ANY | {"data-figure", "data-label", "data-plotly", "data-search-exclude", "style", "role",
                   "aria-label"},
    **{tag: _ANY for tag in TAGS - {"a", "abbr", "aside", "img", "ol", "td", "th", "time", "div"}},
}
#: Address schemes a link may use; images may only come from this site (see _filter).
URL_SCHEMES = {"https", "mailto", "tel", "sms"}
#: Classes other than our own ``oscp-*``: Markdown's permalinks and admonitions, and code.
CLASSES = {"headerlink", "admonition", "admonition-title", "note", "tip", "warning", "danger",
           "info", "abstract", "success", "question", "failure", "bug", "example", "quote"}
_OWN_CLASS = re.compile(r"^oscp-[a-z0-9-]{1,60}$")
_LANGUAGE_CLASS = re.compile(r"^language-[a-z0-9+-]{1,30}$")
#: ids the theme and our own controls own: content may not take them (e.g. the Exit button)
THEME_IDS = {"oscp-exit", "oscp-main"}
_THEME_ID = re.compile(r"^(__|md-|oscp-skip)")
#: the ids Markdown's toc makes of any heading (``## 2022`` -> ``2022``) and our templates give
_ID = re.compile(r"^[\w.:-]{1,200}$")
#: the only styles the site's own HTML sets: chart heights and table column alignment
_STYLES = {
    "div": re.compile(r"^min-height: ?\d{1,4}px;?$"),
    "td": re.compile(r"^text-align: ?(left|right|center);?$"),
    "th": re.compile(r"^text-align: ?(left|right|center);?$"),
}
#: where a chart's drawing library is loaded from: our own copy of plotly.js, nowhere else
_PLOTLY = re.compile(r"^(\.\./)*assets/javascripts/vendor/plotly-[\w.-]+\.min\.js$")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")


def clean(html: str) -> str:
    """``html`` with everything outside the allowlist removed (scripts and styles with their
    contents, comments, event handlers, other schemes, other origins' images)."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, attribute_filter=_filter,
                     url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True,
                     clean_content_tags={"script", "style"})


def _filter(tag: str, name: str, value: str) -> str | None:
    """Keep an allowed attribute only with a value of the allowed form."""
    if name == "class":
        kept = [c for c in value.split() if c in CLASSES or _OWN_CLASS.match(c) or _LANGUAGE_CLASS.match(c)]
        return " ".join(kept) or None
    if name == "id":
        return value if _ID.match(value) and value not in THEME_IDS and not _THEME_ID.match(value) else None
    if name == "style":
        rule = _STYLES.get(tag)
        return value if rule and rule.match(value.strip()) else None
    if name == "data-plotly":
        return value if _PLOTLY.match(value) else None
    if name in {"href", "src"}:
        return _address(tag, value)
    return value


def _address(tag: str, url: str) -> str | None:
    """Links: any allowed scheme or a path of this site; images: paths of this site only.
    Addresses with blanks, control characters or backslashes, and ``//host`` addresses (another
    site without a scheme), are removed."""
    if any(ord(c) <= 0x20 or 0x7F <= ord(c) <= 0x9F for c in url) or "\\" in url or url.startswith("//"):
        return None
    if tag == "img" and _SCHEME.match(url):
        return None
    return url
