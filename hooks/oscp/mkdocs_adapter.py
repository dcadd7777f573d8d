"""The bridge between mkdocs events and the engine: the only module that imports mkdocs.

State lives in one :class:`BuildState`, replaced in ``on_config`` at the start of every
build, because ``mkdocs serve`` keeps hook modules loaded between rebuilds.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from .addresses import MANIFEST, dropped, planned_urls
from .csp import secure_site
from .dates import ensure_source_date_epoch, page_dates
from .load import load_project
from .model import Content
from .pages import GeneratedPage, expand_nav, generate, nav_sections
from .problems import ContentError, errors
from .render import TEMPLATES
from .template_cache import keep_compiled


@dataclass
class BuildState:
    """Everything loaded for one build."""

    content: Content
    pages: list[GeneratedPage]
    files: dict[str, str]


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
    _state = BuildState(content, pages, files)
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
    for uri, text in _state.files.items():
        files.append(File.generated(config, uri, content=text))
    return files


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Keep material's compiled templates for the next build in this process (see
    oscp.template_cache)."""
    return keep_compiled(env, "theme")


def on_post_build(config: MkDocsConfig) -> None:
    """Give every built page the security policy, with the hashes of the inline scripts found
    in the final HTML, and write it to _headers too (see oscp.csp)."""
    secure_site(Path(config.site_dir))


def _warn(message: str) -> None:
    """Content warnings are shown but do not fail a strict build (they are not mkdocs's)."""
    sys.stderr.write(f"WARNING -  {message}\n")
