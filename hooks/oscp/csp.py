"""The Content-Security-Policy of every page, with the hashes of the theme's inline scripts.

overrides/main.html marks where the policy goes; after the build, :func:`secure_site` hashes
every inline script in the final HTML (never a hand-copied list), writes one policy naming
all of them into every page, first thing in ``<head>``, and writes the same policy (plus the
headers a ``<meta>`` cannot carry) to the ``_headers`` file that Netlify and Cloudflare
Pages read. One policy for the whole site, because instant navigation keeps the first
page's policy while it runs the scripts of the pages it loads.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .addresses import HEADERS
from .render import TEMPLATES

#: what overrides/main.html writes where the policy belongs
MARKER = '<meta http-equiv="Content-Security-Policy" content="oscp:csp">'
REFERRER = '<meta name="referrer" content="no-referrer">'
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.IGNORECASE)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}


def script_hashes(html: str) -> set[str]:
    """CSP source expressions ('sha256-...') for each inline script a browser would run."""
    found = set()
    for match in _SCRIPT.finditer(html):
        attributes, body = match.group(1), match.group(2)
        if re.search(r"\bsrc\s*=", attributes, re.IGNORECASE):
            continue
        kind = re.search(r"\btype\s*=\s*[\"']?([^\"'\s>]*)", attributes, re.IGNORECASE)
        if kind and kind.group(1).lower() not in _JS_TYPES:
            continue
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        found.add(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return found


def policy(hashes: set[str]) -> str:
    """The policy for <meta>: scripts only from this site or with a known hash; no plugins,
    no <base>, forms and requests to this site only, images from this site (and data: icons)."""
    scripts = " ".join(["'self'", *sorted(hashes)])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        # styles only: plotly.js writes <style> elements and style attributes as it draws
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


def secure_site(site_dir: Path) -> str:
    """Put the policy into every HTML file under ``site_dir`` and write ``_headers``; returns
    the policy."""
    pages = sorted(site_dir.rglob("*.html"))
    texts = {path: path.read_text(encoding="utf-8") for path in pages}
    hashes: set[str] = set()
    for text in texts.values():
        hashes |= script_hashes(text)
    meta_policy = policy(hashes)
    for path, text in texts.items():
        path.write_text(with_policy(text, meta_policy), encoding="utf-8")
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False)
    headers = env.get_template("_headers").render(policy=meta_policy + "; frame-ancestors 'none'")
    (site_dir / HEADERS).write_text(headers, encoding="utf-8")
    return meta_policy
