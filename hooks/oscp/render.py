"""The Jinja environment that turns content into page sources, and its filters.

Templates live in ``hooks/oscp/templates/``; each produces the Markdown (with HTML blocks)
of one generated page, so that mkdocs still builds the table of contents, checks
links and feeds the search index. Autoescaping is on: every value from YAML is
HTML-escaped, and the ``md`` filter also escapes Markdown punctuation for values
placed in Markdown rather than HTML.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from .addresses import dataset_csv, index_uri, page_uri
from .template_cache import keep_compiled

# Python-Markdown's own escapable characters, plus '|' for tables and '{}' for attr_list.
#: The Jinja templates of generated pages and files.
TEMPLATES = Path(__file__).parent / "templates"

_MD_SPECIAL = set("\\`*_{}[]()#+-.!|")


def md(value: Any) -> Markup:
    """Escape text for a Markdown context: Markdown punctuation first, then HTML."""
    text = "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(value))
    return Markup(escape(text).replace("\n", " "))


def yaml_block(mapping: dict[str, Any]) -> Markup:
    """Front matter lines for ``mapping``, written by YAML's own dumper: any value round-trips
    as it is (an emoji stays an emoji, ``21:30`` stays text), in block style, so that lines
    added before or after it (the search boost) remain one mapping."""
    text = yaml.safe_dump(mapping, allow_unicode=True, default_flow_style=False, sort_keys=False, width=1_000_000)
    return Markup(text.rstrip("\n"))


_DEFINITION = re.compile(r"^([ ]{0,3})\[([^\]\n]+)\]:", re.MULTILINE)
_REFERENCE = re.compile(r"(?<![\\!])\[([^\]\n]+)\](?:\[([^\]\n]*)\])?(?![(:\[])")
_ABBREVIATION = re.compile(r"^([ ]{0,3})\*\[", re.MULTILINE)


def _label(text: str) -> str:
    return " ".join(text.lower().split())


def field(value: Any) -> Markup:
    """A Markdown field (``body``, ``intro``, ``detail``) for a page that holds other fields:
    HTML-escaped as every value is, with its reference definitions renamed for this field alone,
    so that a link in one field can never use a definition made in another (Python-Markdown keeps
    one set of references per page), and abbreviation definitions shown as text. Hand-written:
    Python-Markdown has no per-block reference scope."""
    text = str(value)
    own = {_label(m.group(2)) for m in _DEFINITION.finditer(text)}
    scope = " oscp-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

    def definition(match: re.Match[str]) -> str:
        return f"{match.group(1)}[{match.group(2)}{scope}]:"

    def reference(match: re.Match[str]) -> str:
        shown, label = match.group(1), match.group(2)
        target = _label(label or shown)
        if target not in own:
            return match.group(0)
        return f"[{shown}][{(label or shown)}{scope}]"

    text = _REFERENCE.sub(reference, _DEFINITION.sub(definition, text))
    return Markup(escape(_ABBREVIATION.sub(lambda m: m.group(1) + "\\*[", text)))


def long_date(value: str) -> str:
    """2023-11-27 -> 27 November 2023."""
    day = date.fromisoformat(value)
    return f"{day.day} {day:%B %Y}"


def number(value: float) -> str:
    """Thousands separators; whole floats shown without '.0'."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}"


def quantity(figure: dict[str, Any]) -> str:
    """'more than 50 meetings', '85%' from a figure's qualifier, value and unit."""
    text = number(figure["value"])
    unit = figure.get("unit", "")
    if unit:
        text += unit if unit in {"%", "p", "k"} else f" {unit}"
    if figure.get("qualifier"):
        text = f"{figure['qualifier']} {text}"
    return text


@pass_context
def link(context: Context, target: str) -> str:
    """Relative Markdown link target from the page being rendered to ``target``."""
    here = posixpath.dirname(context["page_uri"])
    path, _, anchor = target.partition("#")
    rel = posixpath.relpath(path, here or ".")
    return rel + (f"#{anchor}" if anchor else "")


class OptionalUndefined(StrictUndefined):
    """Missing optional fields test false in ``{% if %}``, but printing one is an error."""

    def __bool__(self) -> bool:
        return False


@pass_context
def asset(context: Context, path: str) -> str:
    """URL of a site file (such as a script) relative to the rendered page's address.

    For raw HTML attributes, which mkdocs does not rewrite; assumes directory URLs.
    """
    uri = context["page_uri"].removesuffix(".md")
    depth = uri.count("/") + (0 if uri.endswith("index") else 1)
    if uri == "index":
        depth = 0
    return "../" * depth + path


def make_environment(template_dir: Path, globals_: dict[str, Any]) -> Environment:
    """The environment every generated page is rendered with."""
    env = Environment(
        loader=FileSystemLoader(str(template_dir)),
        autoescape=True,
        undefined=OptionalUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(yaml=yaml_block, field=field, md=md, long_date=long_date, number=number, quantity=quantity)
    # every address comes from the address book: link(page_of('programme', slug)), never a spelled-out path
    env.globals.update(link=link, asset=asset, page_of=page_uri, index_of=index_uri, csv_of=dataset_csv, **globals_)
    return keep_compiled(env, "pages")
