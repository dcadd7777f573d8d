"""What the Markdown of a content field may produce, checked before anything is built.

Content Markdown (``body``, ``intro``, ``detail``) is placed in the generated pages and
rendered by mkdocs in the same Markdown pass as the templates, which need ``attr_list`` and
``md_in_html``. We keep that single pass (so mkdocs still checks links and builds the table of
contents) and make ``make check`` the gate instead: each field is rendered alone, exactly as
the page will see it (HTML-escaped by the templates, then the site's own Markdown
extensions), and the HTML is held against an allowlist of tags, attributes and addresses.
Anything outside it is refused with the line and column of the text that made it. This is
the editors' help; the guarantee is the output sanitiser, ``clean.py``, which every page
passes whatever this check says. Bounds on size, nesting and bracket runs keep
Python-Markdown's slow paths (some are quadratic) out of reach, and a time budget backs them.
"""

from __future__ import annotations

import html
import re
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import yaml
from markdown.extensions.attr_list import AttrListTreeprocessor

#: the engine's own project folder, whose mkdocs.yml is used when a content folder has none
REPO = Path(__file__).resolve().parent.parent.parent

MAX_FIELD_CHARS = 20_000
MAX_NESTING = 8
#: per paragraph: number of '[' times the paragraph's length (link parsing is quadratic)
MAX_BRACKET_COST = 250_000
#: per paragraph: number of other inline markers times the paragraph's length
MAX_INLINE_COST = 20_000_000
#: seconds of Markdown rendering allowed for all the fields of one file
TIME_BUDGET = 1.0

# -- The allowlist -------------------------------------------------------------------------
TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "code", "pre",
        "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "div"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"},
              "th": {"style", "align"}, "td": {"style", "align"},
              **{f"h{n}": {"id"} for n in range(1, 7)}}
CLASSES = {"a": {"headerlink"}, "div": {"admonition", "note", "tip", "warning", "danger"},
           "p": {"admonition-title"}}
STYLE = re.compile(r"^text-align: ?(left|right|center);?$")
ID = re.compile(r"^[\w-]{1,100}$")
#: ids an editor may give a heading with {#id}; ids of the site's own parts are kept for them
ATTR_ID = re.compile(r"^(?!oscp-|md-|__)[a-z][a-z0-9-]{0,63}$")

SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
UNSAFE_SCHEMES = {"javascript", "data", "vbscript", "file", "blob", "filesystem"}
_ATTR_LIST = re.compile(AttrListTreeprocessor.BASE_RE)
_SNIPPET = re.compile(r"-+8<-+")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_ELEMENT_ID = re.compile(r'\sid="([^"]+)"')
_ABBR = re.compile(r"^[ ]{0,3}\*\[[^\]\n]*\][ ]*:", re.MULTILINE)
_LIST_MARKERS = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]+")
_INLINE_MARKERS = re.compile(r"[&<>*_`\\!(]")
#: the characters a link to another page of this site needs: a path, then an anchor
_RELATIVE = re.compile(r"^[\w./%~-]*(#[\w-]*)?$")
_HINT_LINK = "links go to https:// pages or to other pages of this site, e.g. nightsafe.md"


@dataclass(frozen=True)
class Issue:
    """Something a field may not contain: ``offset`` is the index in the field's text."""

    offset: int
    message: str
    hint: str


@dataclass
class Report:
    """What checking one field found: its issues and every address it links to."""

    issues: list[Issue] = field(default_factory=list)
    #: (address, offset in the field or -1 if not known) of each link and image, including
    #: reference definitions
    links: list[tuple[str, int]] = field(default_factory=list)
    #: the ids of the headings in the text
    ids: set[str] = field(default_factory=set)


class _OutOfTime(BaseException):  # not Exception: Markdown extensions catch those
    pass


class Checker:
    """Checks Markdown fields with one site's Markdown configuration."""

    def __init__(self, project: Path) -> None:
        self.extensions, self.configs = markdown_config(project)
        self._md = self._new_markdown()
        self.deadline = 0.0

    def _new_markdown(self) -> markdown.Markdown:
        return markdown.Markdown(extensions=self.extensions, extension_configs=self.configs)

    def start_file(self) -> None:
        """Begin the time budget of one file."""
        self.deadline = time.monotonic() + TIME_BUDGET

    def check(self, text: str) -> Report:
        """Everything wrong with one Markdown field, and the addresses it links to."""
        report = Report()
        report.issues = list(_static_issues(text))
        if report.issues:
            return report
        escaped = _escape(text)
        try:
            rendered = self._render(escaped)
        except _OutOfTime:
            self._md = self._new_markdown()
            report.issues.append(Issue(0, "this text is too complex to render in time",
                                       "use plain paragraphs, lists and links; split very long text"))
            return report
        except (RecursionError, Exception):  # noqa: BLE001 - any failure is the content's
            self._md = self._new_markdown()
            report.issues.append(Issue(0, "this text cannot be rendered as Markdown",
                                       "use plain paragraphs, lists and links"))
            return report
        locate = _Locator(text, escaped)
        walker = _Walker(locate)
        walker.feed(rendered)
        walker.close()
        report.issues += walker.issues
        report.links += walker.links
        report.ids = walker.ids
        refused = {url for url, _ in walker.refused}
        for ref_id, (href, _title) in sorted(self._md.references.items()):
            offset = _reference_offset(text, ref_id, href)
            problem = link_problem(href)
            if href in refused or html.unescape(href) in refused:
                continue
            if problem:
                report.issues.append(Issue(offset, *problem))
            else:
                report.links.append((href, offset))
        return report

    def heading_ids(self, page_markdown: str) -> set[str]:
        """Every element id a whole page's Markdown makes (headings and ``{#id}``s), as mkdocs
        renders it, so links to anchors on it can be checked before the build."""
        self._md.reset()
        try:
            rendered = self._md.convert(_FRONT_MATTER.sub("", page_markdown))
        finally:
            self._md.reset()
        return set(_ELEMENT_ID.findall(rendered))

    def _render(self, escaped: str) -> str:
        self._md.reset()
        if threading.current_thread() is not threading.main_thread():
            out = self._md.convert(escaped)
            if time.monotonic() > self.deadline:
                raise _OutOfTime
            return out
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _OutOfTime

        def stop(signum: int, frame: Any) -> None:
            raise _OutOfTime

        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, left)
        try:
            return self._md.convert(escaped)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


@cache
def checker_for(project: Path) -> Checker:
    """One checker per project folder (the Markdown set-up is read once per process)."""
    return Checker(project)


# -- The site's Markdown configuration ----------------------------------------------------
class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, keeping !ENV and python tags as plain values."""


_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: _plain(loader, node))
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/",
                                    lambda loader, suffix, node: _plain(loader, node))


def _plain(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node)
        return values[-1] if values else None
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    return loader.construct_scalar(node)


def _read_config(path: Path, depth: int = 0) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}  # noqa: S506
    parent = data.pop("INHERIT", None)
    if parent and depth < 5:
        base = _read_config((path.parent / parent).resolve(), depth + 1)
        base.update(data)
        data = base
    return data


def markdown_config(project: Path) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The Markdown extensions (and their settings) that mkdocs renders pages with:
    mkdocs.yml's markdown_extensions plus mkdocs's own toc, tables and fenced_code.
    Snippets are left out: content may not include files (the check refuses the syntax)."""
    config_file = project / "mkdocs.yml"
    if not config_file.is_file():
        config_file = REPO / "mkdocs.yml"
    listed = _read_config(config_file).get("markdown_extensions") or []
    names = ["toc", "tables", "fenced_code"]
    configs: dict[str, dict[str, Any]] = {}
    for item in listed:
        name, config = (next(iter(item.items())) if isinstance(item, dict) else (item, None))
        if name == "pymdownx.snippets":
            continue
        if name not in names:
            names.append(name)
        if isinstance(config, dict):
            configs[name] = config
    return names, configs


# -- Bounds checked on the text itself ------------------------------------------------------
def _static_issues(text: str) -> Iterator[Issue]:
    if len(text) > MAX_FIELD_CHARS:
        yield Issue(MAX_FIELD_CHARS, f"text is {len(text):,} characters, over the {MAX_FIELD_CHARS:,} limit",
                    "split it, or link to the full report")
        return
    for match in _SNIPPET.finditer(text):
        yield Issue(match.start(), "file includes (--8<--) are not allowed in content",
                    "write the text out in full")
        return
    for match in _ABBR.finditer(text):
        yield Issue(match.start(), "abbreviation definitions (*[...]: ...) are not allowed in content",
                    "spell the abbreviation out the first time it is used")
        return
    yield from _attribute_lists(text)
    offset = 0
    for line in text.split("\n"):
        expanded = line.expandtabs(4)
        stripped = expanded.lstrip(" ")
        depth = (len(expanded) - len(stripped)) // 4
        rest = stripped
        while (marker := _LIST_MARKERS.match(rest)) is not None:
            depth += 1
            rest = rest[marker.end():]
        if depth > MAX_NESTING:
            yield Issue(offset, f"lists are nested more than {MAX_NESTING} levels deep",
                        "use fewer levels of lists and indentation")
            return
        offset += len(line) + 1
    offset = 0
    for block in re.split(r"(\n[ \t]*\n)", text):
        size = len(block)
        brackets = block.count("[")
        if brackets * size > MAX_BRACKET_COST:
            yield Issue(offset + block.index("["), f"too many square brackets ({brackets}) in one paragraph",
                        "a paragraph may hold a few dozen links; split it, or remove stray [ characters")
            return
        markers = len(_INLINE_MARKERS.findall(block))
        if markers * size > MAX_INLINE_COST:
            yield Issue(offset, f"too many Markdown symbols ({markers}) in one paragraph",
                        "split the paragraph, or remove repeated symbols such as & < * _ `")
            return
        offset += size


def _attribute_lists(text: str) -> Iterator[Issue]:
    """Attribute lists ({: ...}) could add any attribute (onclick=..., src=...) to the HTML;
    content may only give a heading its own id, as {#id}."""
    start = 0
    while (match := _ATTR_LIST.search(text, start)) is not None:
        backslashes = len(match.string[:match.start()]) - len(match.string[:match.start()].rstrip("\\"))
        if backslashes % 2:
            start = match.start() + 1
            continue
        tokens = match.group(1).split()
        if not tokens or not all(t.startswith("#") and ATTR_ID.match(t[1:]) for t in tokens) or len(tokens) > 1:
            yield Issue(match.start(), f"attribute list {_short(match.group())} is not allowed in content",
                        "only a heading id such as {#my-heading} is allowed; to show braces as text "
                        "write \\{ and \\}")
        start = match.end()


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


# -- Addresses -----------------------------------------------------------------------------
def link_problem(url: str) -> tuple[str, str] | None:
    """Why a link address is not allowed (message, hint), or None: https:// addresses on
    another host, and addresses of this site written relative to the page."""
    if any(ord(c) <= 0x20 or 0x7F <= ord(c) <= 0x9F for c in url):
        return "address contains a space, tab or invisible character", _HINT_LINK
    match = SCHEME.match(url)
    if match:
        scheme = match.group(1).lower()
        if scheme in UNSAFE_SCHEMES:
            return "link to a script or data address", "links must go to https:// pages or other pages of this site"
        if scheme != "https":
            return f"{scheme}: addresses are not allowed in content", _HINT_LINK
        rest = url[len(match.group()):]
        if not rest.startswith("//") or "." not in rest[2:].split("/")[0] or "\\" in rest:
            return "not a complete https:// web address", "write it as https://www.example.org/page"
        return None
    return _relative_problem(url)


def image_problem(url: str) -> tuple[str, str] | None:
    """Why an image address is not allowed: images must be files of this site, so that a
    page never makes a request to another organisation's server."""
    if SCHEME.match(url.strip()) or url.strip().startswith(("//", "\\\\", "/\\")):
        return ("images from other web sites are not allowed",
                "save the image in docs/assets/images/ and link to it relative to the page")
    return _relative_problem(url)


def _relative_problem(url: str) -> tuple[str, str] | None:
    if any(ord(c) <= 0x20 or 0x7F <= ord(c) <= 0x9F for c in url):
        return "address contains a space, tab or invisible character", _HINT_LINK
    if "\\" in url:
        return "address contains a backslash", _HINT_LINK
    if not _RELATIVE.match(url):
        return "address is not a page of this site or an https:// address", _HINT_LINK
    if url.startswith("//"):
        return "address leads to another web site without https:", _HINT_LINK
    if ":" in re.split(r"[/?#]", url, maxsplit=1)[0]:
        return "address is not a page of this site or an https:// address", _HINT_LINK
    if url.startswith("#") and not ID.match(url[1:]):
        return "link to a malformed anchor", "link to a heading's id, e.g. #what-it-does"
    return None


# -- Rendering and walking the HTML ---------------------------------------------------------
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"}


_ESCAPE_TABLE = str.maketrans(_ESCAPES)


def _escape(text: str) -> str:
    """``text`` HTML-escaped as the templates' autoescape does (markupsafe)."""
    return text.translate(_ESCAPE_TABLE)


def _escaped_origin(text: str) -> list[int]:
    """For each character of ``_escape(text)``, its offset in ``text`` (made only when a
    problem must be located, as it takes a pass over every character)."""
    origin: list[int] = []
    for index, char in enumerate(text):
        origin.extend([index] * len(_ESCAPES.get(char, char)))
    origin.append(len(text))
    return origin


class _Locator:
    """Finds the offset in a field's text of something seen in its HTML."""

    def __init__(self, text: str, escaped: str) -> None:
        self.text, self.escaped = text, escaped
        self.lowered = {False: text.lower(), True: escaped.lower()}

    @cached_property
    def origin(self) -> list[int]:
        return _escaped_origin(self.text)

    def find(self, *needles: str) -> int:
        for needle in needles:
            if not needle:
                continue
            for haystack, mapped in ((self.text, False), (self.escaped, True)):
                index = haystack.find(needle)
                if index < 0:
                    index = self.lowered[mapped].find(needle.lower())
                if index >= 0:
                    return self.origin[index] if mapped else index
        for needle in needles:  # Markdown turns tabs into spaces: match any run of blanks
            parts = [re.escape(part) for part in needle.split()]
            if len(parts) > 1:
                match = re.search(r"\s+".join(parts), self.text, re.IGNORECASE)
                if match:
                    return match.start()
        return 0


class _Walker(HTMLParser):
    """Holds each element of the rendered HTML against the allowlist."""

    def __init__(self, locate: _Locator) -> None:
        super().__init__(convert_charrefs=True)
        self.locate = locate
        self.issues: list[Issue] = []
        self.links: list[tuple[str, int]] = []
        self.refused: list[tuple[str, int]] = []
        #: the ids the text gives its headings (for links to #anchors within it)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TAGS:
            self._issue(f"this Markdown makes a <{tag}> element, which content may not use",
                        "use plain paragraphs, lists, tables and links", *(v or "" for _, v in attrs))
            return
        for name, value in attrs:
            value = value or ""
            if name == "class":
                classes = set(value.split())
                if not classes <= CLASSES.get(tag, set()):
                    self._issue(f"class {value!r} is not allowed in content", "remove it", value)
                continue
            if name not in ATTRIBUTES.get(tag, set()):
                self._issue(f"the {name} attribute is not allowed in content", "remove it", name, value)
            elif name == "style":
                if not STYLE.match(value):
                    self._issue("styles are not allowed in content", "remove it", value)
            elif name == "id":
                self.ids.add(value)
                if not ID.match(value):
                    self._issue(f"heading id {value!r} is not allowed", "use letters, digits and hyphens", value)
            elif tag == "a" and name == "href" and dict(attrs).get("class") == "headerlink":
                self.ids.add(value.removeprefix("#"))  # the permalink toc adds to each heading
            elif tag == "a" and name == "href":
                self._address(value, link_problem(value))
            elif tag == "img" and name == "src":
                self._address(value, image_problem(value), image=True)

    def _address(self, url: str, problem: tuple[str, str] | None, image: bool = False) -> None:
        if not problem:  # located only if the link turns out to lead nowhere (see checks.py)
            self.links.append((url, -1))
            return
        offset = self.locate.find(url, url[:12], url.split(":")[0] + ":" if ":" in url else "")
        self.refused.append((url, offset))
        self.issues.append(Issue(offset, *problem))

    def _issue(self, message: str, hint: str, *needles: str) -> None:
        self.issues.append(Issue(self.locate.find(*needles), message, hint))

    def handle_comment(self, data: str) -> None:
        self._issue("HTML comments are not allowed in content", "remove it", "<!--")


def _reference_offset(text: str, ref_id: str, href: str) -> int:
    match = re.search(r"^[ ]{0,3}\[" + re.escape(ref_id) + r"\]:[ \t]*<?", text, re.IGNORECASE | re.MULTILINE)
    if match:
        return match.end()
    index = text.find(href)
    return max(index, 0)
