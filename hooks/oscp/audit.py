"""The post-build audit: the built site is read back and held against the rules that no
content may break, and any breach fails the build (the previous ``site/`` stays in place).

It does not trust the sanitiser, the templates or the checks: it parses every page and data
file as a browser or a spreadsheet would and looks for what would run code, call another
origin, leak where the reader came from, or break a format. Each finding names the built
file and the content file (or hand-written page) it was made from.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET  # noqa: S405 - our own output, parsed only for well-formedness
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from .charts import FORMULA_STARTS
from .csp import script_hash

#: attributes whose value is an address, per the HTML standard
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "background",
                  "cite", "ping", "xlink:href", "longdesc", "manifest", "codebase", "archive"}
#: elements whose address is fetched as the page loads (``link`` only for these rels)
RESOURCES = {"img", "script", "iframe", "frame", "source", "object", "embed", "audio", "video",
             "track", "input", "form", "image", "use", "frameset"}
LINK_RESOURCE_RELS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest",
                      "apple-touch-icon", "dns-prefetch", "preconnect", "prerender", "mask-icon"}
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_BLANKS = re.compile(r"[\x00-\x20\x7f-\x9f]+")


@dataclass(frozen=True, order=True)
class Finding:
    """One breach: the built file (relative to the site), what is wrong, and where it came from."""

    path: str
    message: str
    source: str = ""

    def format(self) -> str:
        made = f" (made from {self.source})" if self.source else ""
        return f"site/{self.path}{made}: {self.message}"


def audit_site(site_dir: Path, scripts: set[str], origin: str, sources: dict[str, str] | None = None,
               redirects: set[str] | None = None, skip: tuple[str, ...] = ()) -> list[Finding]:
    """Every breach in the built site at ``site_dir``. ``scripts`` are the hashes of the inline
    scripts the engine writes; ``origin`` is the site's own (scheme://host[:port]); ``sources``
    maps a built file to the content file it was made from; ``redirects`` are the engine's
    redirect pages, the only pages that may refresh (to a page of this site); files under the
    folders ``skip`` are audited by the part that makes them."""
    sources = sources or {}
    redirects = redirects or set()
    findings: list[Finding] = []
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if not path.is_file() or (skip and rel.startswith(skip)):
            continue
        source = sources.get(rel, "")
        if path.suffix == ".html":
            messages = audit_html(path.read_text(encoding="utf-8"), scripts, origin, rel in redirects)
        elif path.suffix == ".csv":
            messages = audit_csv(path.read_text(encoding="utf-8"))
        elif path.suffix == ".xml":
            messages = audit_xml(path.read_bytes())
        else:
            continue
        findings += [Finding(rel, message, source) for message in messages]
    return findings


def audit_html(html: str, scripts: set[str], origin: str, redirect: bool = False) -> list[str]:
    """What is wrong with one page (see the module docstring). The page is parsed by Lexbor,
    a browser's HTML5 parser (through selectolax), so it is read as a browser reads it."""
    messages: list[str] = []
    for node in LexborHTMLParser(html).root.traverse(include_text=False):
        tag = node.tag or ""
        if tag.startswith("-"):  # a comment or the doctype
            continue
        values = {name: value or "" for name, value in node.attributes.items()}
        messages += _attributes(tag, values)
        if tag == "meta":
            messages += _meta(values, origin, redirect)
        elif tag == "base":
            messages.append("<base> changes where every address on the page leads")
        elif tag == "script" and "src" not in values and values.get("type", "").lower() in _JS_TYPES:
            if script_hash(node.text(deep=True)) not in scripts:
                messages.append("an inline script the engine did not write")
        elif tag == "style":
            text = node.text(deep=True).lower()
            if "url(" in text.replace(" ", "") or "@import" in text:
                messages.append("a <style> element that loads an address")
        messages += _resources(tag, values, origin)
    return list(dict.fromkeys(messages))


def audit_csv(text: str) -> list[str]:
    """Cells a spreadsheet would run as a formula (numbers such as -5 are numbers, not formulas)."""
    messages = []
    for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
        for cell in row:
            if cell.startswith(FORMULA_STARTS) and not _NUMBER.match(cell):
                messages.append(f"row {number}: cell {cell[:30]!r} would be read as a formula by a spreadsheet")
    return messages


def audit_xml(raw: bytes) -> list[str]:
    """An XML file (the Atom feed, the sitemap) must be well-formed."""
    try:
        ET.fromstring(raw)  # noqa: S314
    except ET.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    return []


def same_origin(url: str, origin: str) -> bool:
    """Whether ``url`` (as written in a page) is fetched from the site's own origin."""
    cleaned = _BLANKS.sub("", url)
    if cleaned.startswith(("//", "\\\\", "/\\")):
        return False
    parts = urlsplit(cleaned)
    if not parts.scheme:
        return True
    return f"{parts.scheme}://{parts.netloc}".lower() == origin.lower().rstrip("/")


def _attributes(tag: str, values: dict[str, str]) -> list[str]:
    messages = []
    for name, value in values.items():
        if name.startswith("on"):
            messages.append(f"<{tag}> has an event handler attribute {name}=")
        if name in URL_ATTRIBUTES and _BLANKS.sub("", value).lower().startswith(_BAD_SCHEMES):
            messages.append(f"<{tag} {name}> is a script or data address: {value[:40]!r}")
        if name == "style" and "url(" in value.lower().replace(" ", ""):
            messages.append(f"<{tag}> has a style that loads an address (url(...))")
    return messages


def _meta(values: dict[str, str], origin: str, redirect: bool) -> list[str]:
    messages = []
    equiv = values.get("http-equiv", "").lower()
    if equiv == "refresh":
        target = values.get("content", "").partition("=")[2].strip()
        if not (redirect and target and same_origin(target, origin)):
            messages.append("<meta http-equiv=refresh> sends the reader elsewhere")
    elif equiv and equiv not in {"content-security-policy", "x-ua-compatible", "content-type"}:
        messages.append(f"<meta http-equiv={equiv}> is not one the engine writes")
    if values.get("name", "").lower() == "referrer" and values.get("content", "").lower() != "no-referrer":
        messages.append("a referrer policy other than no-referrer")
    return messages


def _resources(tag: str, values: dict[str, str], origin: str) -> list[str]:
    fetched: list[str] = []
    if tag in RESOURCES:
        fetched += [values[n] for n in ("src", "data", "poster", "action", "formaction", "href") if n in values]
        fetched += [item.strip().split(" ")[0] for item in values.get("srcset", "").split(",") if item.strip()]
    elif tag == "link" and set(values.get("rel", "").lower().split()) & LINK_RESOURCE_RELS:
        fetched.append(values.get("href", ""))
    return [f"<{tag}> loads {url[:60]!r} from another origin" for url in fetched
            if url and not same_origin(url, origin)]
