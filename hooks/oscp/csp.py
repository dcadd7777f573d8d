"""The Content-Security-Policy of every page, with the hashes of the engine's inline scripts.

The scripts a page may run inline are the theme's own: :func:`engine_script_hashes` renders
the theme's script partials (``partials/javascripts/*.html``) with this build's settings and
hashes each script in them. Nothing in the built output is hashed: an inline script that
content managed to put into a page is not in the policy, so the browser refuses it (and the
post-build audit, ``audit.py``, fails the build). overrides/main.html marks where the policy
goes; :func:`secure_site` writes one policy into every page, first thing in ``<head>``, and
the same policy (plus the headers a ``<meta>`` cannot carry) into the ``_headers`` file that
Netlify and Cloudflare Pages read. One policy for the whole site, because instant navigation
keeps the first page's policy while it runs the scripts of the pages it loads.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

from .addresses import HEADERS
from .render import TEMPLATES

#: what overrides/main.html writes where the policy belongs
MARKER = '<meta http-equiv="Content-Security-Policy" content="oscp:csp">'
REFERRER = '<meta name="referrer" content="no-referrer">'
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.IGNORECASE)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}


#: the theme's templates that write inline scripts (material's partials/javascripts/)
THEME_SCRIPTS = "partials/javascripts/"


def engine_script_hashes(env: Environment, context: dict[str, Any]) -> set[str]:
    """The hashes of every inline script the theme can write, from its own script partials
    rendered with this build's ``context`` (``config`` and friends). Material's first script
    names the site's scope, which is the same on every page once ``extra.scope`` is set (see
    mkdocs_adapter.on_config); a partial that cannot be rendered outside a page is skipped, and
    if a page did use it, the audit stops the build."""
    hashes: set[str] = set()
    for name in sorted(n for n in env.list_templates() if n.startswith(THEME_SCRIPTS) and n.endswith(".html")):
        try:
            hashes |= inline_script_hashes(env.get_template(name).render(**context))
        except (TemplateError, TypeError, AttributeError, KeyError):
            continue
    return hashes


def inline_scripts(html: str) -> list[tuple[str, str]]:
    """(attributes, text) of each inline script in ``html`` that a browser would run."""
    found = []
    for match in _SCRIPT.finditer(html):
        attributes, body = match.group(1), match.group(2)
        if re.search(r"\bsrc\s*=", attributes, re.IGNORECASE):
            continue
        kind = re.search(r"\btype\s*=\s*[\"']?([^\"'\s>]*)", attributes, re.IGNORECASE)
        if kind and kind.group(1).lower() not in _JS_TYPES:
            continue
        found.append((attributes, body))
    return found


def script_hash(body: str) -> str:
    """The CSP source expression ('sha256-...') of one inline script's text."""
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def inline_script_hashes(html: str) -> set[str]:
    """The hashes of the inline scripts in ``html`` (used on the theme's own partials)."""
    return {script_hash(body) for _, body in inline_scripts(html)}


def policy(hashes: set[str]) -> str:
    """The policy for <meta>: scripts only from this site or with a known hash; no plugins,
    no <base>, forms and requests to this site only, images from this site (and data: icons)."""
    scripts = " ".join(["'self'", *sorted(hashes)])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        # 'unsafe-inline' for styles only: plotly.js inserts <style> elements as it draws (content
        # cannot: the sanitiser removes style elements, and every style attribute but our own)
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def with_policy(html: str, meta_policy: str) -> str:
    """``html`` with the policy and the referrer rule placed right after <meta charset>, before
    any script (the theme writes scripts in <head> before the block we can fill)."""
    html = html.replace(MARKER, "").replace(REFERRER, "")
    tags = f'{REFERRER}\n<meta http-equiv="Content-Security-Policy" content="{meta_policy}">'
    match = _CHARSET.search(html)
    if match:
        return html[: match.end()] + "\n" + tags + html[match.end():]
    head = re.search(r"<head[^>]*>", html, re.IGNORECASE)
    if head:
        return html[: head.end()] + "\n" + tags + html[head.end():]
    return html


def secure_site(site_dir: Path, hashes: set[str], skip: tuple[str, ...] = (), extra_headers: str = "") -> str:
    """Put the policy naming ``hashes`` (the engine's, never the output's) into every HTML file
    under ``site_dir`` but those under the top-level folders ``skip`` (a part that sets its own
    policy), and write ``_headers`` (with ``extra_headers``, those parts' own rules); returns
    the policy."""
    def public(path: Path) -> bool:
        return path.relative_to(site_dir).parts[0] not in skip

    pages = sorted(p for p in site_dir.rglob("*.html") if public(p))
    texts = {path: path.read_text(encoding="utf-8") for path in pages}
    meta_policy = policy(hashes)
    for path, text in texts.items():
        path.write_text(with_policy(text, meta_policy), encoding="utf-8")
    paths = ["/"] + [f"/{entry.name}/*" if entry.is_dir() else f"/{entry.name}"
                     for entry in sorted(site_dir.iterdir()) if public(entry) and entry.name != HEADERS]
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False)
    headers = env.get_template("_headers").render(policy=meta_policy + "; frame-ancestors 'none'", paths=paths,
                                                  extra=extra_headers)
    (site_dir / HEADERS).write_text(headers, encoding="utf-8")
    return meta_policy
