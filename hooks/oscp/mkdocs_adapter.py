"""The bridge between mkdocs events and the engine: the only module that imports mkdocs.

State lives in one :class:`BuildState`, replaced in ``on_config`` at the start of every
build, because ``mkdocs serve`` keeps hook modules loaded between rebuilds.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .addresses import MANIFEST, dataset_csv, dropped, page_uri, planned_urls, redirects
from .audit import audit_site
from .clean import clean
from .cms import ADMIN, admin_files, admin_headers, local_backend
from .csp import engine_script_hashes, secure_site
from .dates import ensure_source_date_epoch, page_dates
from .head import plain_meta
from .load import load_project
from .model import KINDS, Content
from .pages import GeneratedPage, expand_nav, generate, nav_sections
from .problems import ContentError, errors
from .render import TEMPLATES
from .search_index import shape_search_index
from .template_cache import keep_compiled


@dataclass
class BuildState:
    """Everything loaded for one build."""

    content: Content
    pages: list[GeneratedPage]
    #: other files made from content (text), and the editors' form (text, or a file to copy)
    files: dict[str, str | Path]
    #: hashes of the inline scripts the theme writes (see oscp.csp), set in on_env
    scripts: set[str] = field(default_factory=set)
    #: built file -> the content file or hand-written page it was made from, for the audit
    sources: dict[str, str] = field(default_factory=dict)


_state: BuildState | None = None


def site_root(config: MkDocsConfig) -> Path:
    """The project folder: the one holding docs/ and content/."""
    return Path(config.docs_dir).resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and validate content once per build; generate pages; expand the nav."""
    global _state
    _state = None
    if not config.use_directory_urls:
        raise PluginError("mkdocs.yml: use_directory_urls must stay true (page addresses are a promise)")
    root = site_root(config)
    # the theme's first inline script names the site's scope; one scope for every page makes
    # that script, and so its hash in the policy, the same on every page (see oscp.csp)
    config.extra.setdefault("scope", urlsplit(config.site_url or "/").path or "/")
    ensure_source_date_epoch(root)  # the build's clock is the commit's, not the day's
    try:
        content = load_project(root)
    except ContentError as exc:
        sys.stderr.write(exc.report() + "\n")
        count = len(errors(exc.problems))
        raise PluginError(f"{count} problem(s) in content/ (listed above, one per line); "
                          "nothing was published") from None
    for problem in content.warnings + content.overdue(date.today()):
        _warn(problem.format())
    template_dir = TEMPLATES
    pages, files = generate(content, template_dir, config.site_url or "/")
    config.nav = expand_nav(config.nav, nav_sections(pages))
    urls = planned_urls(Path(config.docs_dir), [p.src_uri for p in pages] + list(files))
    problems = dropped(root / MANIFEST, urls)
    if problems:
        sys.stderr.write("\n".join(p.format() for p in problems) + "\n")
        raise PluginError(f"{len(problems)} published address(es) would disappear (listed above); "
                          "nothing was published")
    made: dict[str, str | Path] = {**files, **admin_files(root, config.site_url or "/", content)}
    _state = BuildState(content, pages, made)
    # each page's own date, read by overrides/sitemap.xml for <lastmod>
    config.extra["oscp_lastmod"] = page_dates(content, Path(config.docs_dir), root, [p.src_uri for p in pages])
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages, made in memory; refuse clashes with hand-written pages."""
    assert _state is not None, "on_config must run first"
    for page in _state.pages:
        if files.get_file_from_path(page.src_uri) is not None:
            raise PluginError(f"docs/{page.src_uri}: clashes with a page generated from content/ "
                              "(remove or rename the hand-written page)")
        files.append(File.generated(config, page.src_uri, content=page.markdown))
    for uri, made in _state.files.items():
        if isinstance(made, Path):
            files.append(File.generated(config, uri, abs_src_path=str(made)))
        else:
            files.append(File.generated(config, uri, content=made))
    _state.sources = built_from(_state.content, files)
    return files


def built_from(content: Content, files: Files) -> dict[str, str]:
    """Each built file made from one content file or hand-written page -> that file."""
    sources = {}
    for kind in KINDS.values():
        for entry_id, entry in content.of(kind.name).items():
            uris = [page_uri(kind.name, entry_id)] + ([dataset_csv(entry_id)] if kind.name == "dataset" else [])
            for uri in uris:
                file = files.get_file_from_path(uri)
                if file is not None:
                    sources[file.dest_uri] = entry.doc.path
    for file in files.documentation_pages():
        if not file.generated_by:
            sources[file.dest_uri] = f"docs/{file.src_uri}"
    return sources


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """What the page says of itself in <head> is plain text (see oscp.head)."""
    page.meta = plain_meta(page.meta)
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Every page's HTML passes the one allowlist sanitiser (see oscp.clean)."""
    return clean(html)


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Hash the theme's own inline scripts for the policy (see oscp.csp), and keep material's
    compiled templates for the next build in this process (see oscp.template_cache)."""
    assert _state is not None, "on_config must run first"
    _state.scripts = engine_script_hashes(env, {"config": config, "base_url": ".", "page": None})
    return keep_compiled(env, "theme")


def on_post_build(config: MkDocsConfig) -> None:
    """Give every built page the security policy naming the engine's inline scripts, write it
    to _headers too (see oscp.csp), then audit the built site (see oscp.audit): any breach
    fails the build, so the previous site stays published."""
    assert _state is not None, "on_config must run first"
    site = Path(config.site_dir)
    secure_site(site, _state.scripts, skip=(ADMIN,), extra_headers=admin_headers(local_backend()))
    shape_search_index(site, config.site_description)  # material has written the index by now
    parts = urlsplit(config.site_url or "http://localhost/")
    findings = audit_site(site, _state.scripts, f"{parts.scheme}://{parts.netloc}", _state.sources,
                          set(redirects(_state.content)))
    if findings:
        sys.stderr.write("\n".join(f.format() for f in findings) + "\n")
        raise PluginError(f"{len(findings)} problem(s) in the built site (listed above): content made "
                          "something no page may hold; nothing was published")


def _warn(message: str) -> None:
    """Content warnings are shown but do not fail a strict build (they are not mkdocs's)."""
    sys.stderr.write(f"WARNING -  {message}\n")
