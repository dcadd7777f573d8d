"""The export (`python -m oscp export DIR`): the site as a plain project that a stock
mkdocs-style engine builds without our hooks.

``DIR/docs/`` gets the hand-written pages and every page and file the engine generates from
content (the same :func:`oscp.pages.generate` the mkdocs build uses, written out instead of
made in memory); ``DIR/mkdocs.yml`` is the project's configuration with what the hooks add
written in (the expanded navigation, each page's date for the sitemap) and ``hooks:``
removed; the theme overrides and snippets come along. Build it from inside DIR
(``mkdocs build``), because pymdownx.snippets reads its folder relative to where it runs.

What the export cannot carry is what the hooks do to pages as mkdocs builds them
(``mkdocs_adapter``'s ``on_page_*`` and ``on_post_build``): the Content-Security-Policy and
``_headers`` (:mod:`oscp.csp`), the output sanitiser and the audit of the built site, and the
search index's shape. The export leaves the policy's placeholder out, so its pages carry the
no-referrer rule only; the pages' words, links and navigation are the same.

The editors' CMS (``/admin/``, :mod:`oscp.cms`) is left out: it edits content/, which the
export does not have. Nothing is written into the project's docs/: the export is made in a
folder beside DIR and swapped in only when complete, and DIR must be outside docs/ and must
not hold the project (an earlier export is replaced; any other non-empty folder is refused).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from yaml_env_tag import construct_env_tag

from .addresses import MANIFEST, dropped, planned_urls
from .csp import MARKER
from .dates import ensure_source_date_epoch, page_dates
from .load import load_project
from .model import Content
from .pages import GeneratedPage, expand_nav, generate, nav_sections
from .render import TEMPLATES

#: the first line of an exported mkdocs.yml; a folder whose mkdocs.yml starts with it may be replaced
HEADER = "# Exported by `python -m oscp export`: a plain project, no hooks. Build it here: mkdocs build\n"
SNIPPETS = "pymdownx.snippets"


class ExportError(Exception):
    """Why the export was refused; nothing was written."""


@dataclass
class SitePlan:
    """What the hooks add to a build, worked out once: the content, the generated pages and
    files, the navigation with the generated sections, and each page's date."""

    content: Content
    pages: list[GeneratedPage]
    files: dict[str, str]
    nav: list[Any] | None
    lastmod: dict[str, str]


def plan_site(root: Path, docs_dir: Path, site_url: str, nav: list[Any] | None) -> SitePlan:
    """Load and validate ``root``'s content and generate everything from it, as
    ``mkdocs_adapter.on_config`` does; raises ContentError for bad content and ExportError when
    a published address would disappear."""
    ensure_source_date_epoch(root)  # the build's clock is the commit's, not the day's
    content = load_project(root)
    pages, files = generate(content, TEMPLATES, site_url or "/")
    generated = [p.src_uri for p in pages]
    problems = dropped(root / MANIFEST, planned_urls(docs_dir, generated + list(files)))
    if problems:
        raise ExportError("\n".join(p.format() for p in problems) +
                          f"\n{len(problems)} published address(es) would disappear (listed above)")
    return SitePlan(content, pages, files, expand_nav(nav, nav_sections(pages)),
                    page_dates(content, docs_dir, root, generated))


def read_config(config_file: Path) -> dict[str, Any]:
    """mkdocs.yml as mkdocs reads it: ``!ENV`` values resolved and ``INHERIT`` merged in
    (mappings merged key by key, anything else taken from the inheriting file)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", construct_env_tag)
    try:
        with config_file.open(encoding="utf-8") as handle:
            config = yaml.load(handle, Loader=Loader) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ExportError(f"{config_file}: cannot read it ({exc})") from None
    parent = config.pop("INHERIT", None)
    if parent:
        config = _merge(read_config((config_file.parent / parent).resolve()), config)
    return config


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def export_project(config_file: Path, dest: Path) -> SitePlan:
    """Write the plain project for ``config_file``'s site into ``dest`` (see the module's
    docstring); returns what was generated."""
    config_file = config_file.resolve()
    config = read_config(config_file)
    docs_dir = (config_file.parent / config.get("docs_dir", "docs")).resolve()
    root = docs_dir.parent
    dest = dest.resolve()
    _refuse_unsafe(dest, root, docs_dir)
    site_url = config.get("site_url") or "/"
    plan = plan_site(root, docs_dir, site_url, config.get("nav"))

    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".oscp-export-", dir=dest.parent))
    try:
        _write_docs(staging / "docs", docs_dir, plan)
        project = _plain_config(config, plan, config_file.parent, root, staging)
        text = yaml.safe_dump(project, sort_keys=False, allow_unicode=True, width=100)
        (staging / "mkdocs.yml").write_text(HEADER + text, encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, dest)
    return plan


def _refuse_unsafe(dest: Path, root: Path, docs_dir: Path) -> None:
    """Never write into the project's docs/, over the project, or over a folder that is not
    an earlier export."""
    if dest == docs_dir or docs_dir in dest.parents:
        raise ExportError(f"{dest}: inside the project's docs folder; generated pages are never "
                          "written there (choose a folder outside docs/)")
    if dest == root or dest in root.parents:
        raise ExportError(f"{dest}: holds the project itself (choose a new or empty folder)")
    if dest.exists() and (not dest.is_dir() or (any(dest.iterdir()) and not _is_export(dest))):
        raise ExportError(f"{dest}: not empty and not an earlier export (choose a new or empty folder)")


def _is_export(folder: Path) -> bool:
    config = folder / "mkdocs.yml"
    if not config.is_file():
        return False
    with config.open(encoding="utf-8") as handle:
        return handle.readline() == HEADER


def _write_docs(out: Path, docs_dir: Path, plan: SitePlan) -> None:
    """The hand-written docs tree, then every generated page and file beside it."""
    shutil.copytree(docs_dir, out, ignore=shutil.ignore_patterns("__pycache__"))
    generated = {page.src_uri: page.markdown for page in plan.pages} | plan.files
    for uri, text in generated.items():
        path = out / uri
        if path.exists():
            raise ExportError(f"{docs_dir.name}/{uri}: clashes with a page or file generated from content/ "
                              "(remove or rename the hand-written one)")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _plain_config(config: dict[str, Any], plan: SitePlan, config_dir: Path, root: Path,
                  out: Path) -> dict[str, Any]:
    """The project's configuration with the hooks' part written in and its folders carried
    into ``out``."""
    project = {key: value for key, value in config.items() if key not in ("hooks", "watch")}
    project.update(docs_dir="docs", site_dir="site")
    if plan.nav is not None:
        project["nav"] = plan.nav
    # what mkdocs_adapter.on_config adds to extra at build time: each page's date, read by
    # overrides/sitemap.xml, and one scope for the theme's first inline script on every page
    extra = dict(project.get("extra") or {})
    extra.setdefault("scope", urlsplit(project.get("site_url") or "/").path or "/")
    extra["oscp_lastmod"] = plan.lastmod
    project["extra"] = extra
    theme = project.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        custom = _carry(config_dir / theme["custom_dir"], root, out)
        for template in (out / custom).rglob("*.html"):  # the policy placeholder only the post-build step fills
            text = template.read_text(encoding="utf-8")
            if MARKER in text:
                template.write_text(text.replace(MARKER, ""), encoding="utf-8")
        project["theme"] = {**theme, "custom_dir": custom}
    extensions = project.get("markdown_extensions") or []
    for number, extension in enumerate(extensions):
        if isinstance(extension, dict) and SNIPPETS in extension and "base_path" in (extension[SNIPPETS] or {}):
            options = dict(extension[SNIPPETS])
            bases = options["base_path"]
            bases = [bases] if isinstance(bases, str) else bases
            # pymdownx.snippets reads base_path from where the build runs, as `make build` runs it
            options["base_path"] = [_carry(Path.cwd() / base, root, out) for base in bases
                                    if (Path.cwd() / base).exists()]
            extensions[number] = {SNIPPETS: options}
    return project


def _carry(source: Path, root: Path, out: Path) -> str:
    """Copy a folder the configuration names into ``out`` (at the same path as in the project,
    or under its own name if it is outside), and return its path there."""
    source = source.resolve()
    target = source.relative_to(root) if source.is_relative_to(root) else Path(source.name)
    if target == Path("."):
        raise ExportError(f"{source}: the configuration names the whole project as a folder to copy")
    if (out / target).exists():
        return target.as_posix()
    if source.is_dir():
        shutil.copytree(source, out / target, ignore=shutil.ignore_patterns("__pycache__"))
    else:
        (out / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, out / target)
    return target.as_posix()


def _swap(staging: Path, dest: Path) -> None:
    """Put the finished export at ``dest``, replacing an earlier one (or an empty folder)."""
    old = None
    if dest.exists():
        old = Path(tempfile.mkdtemp(prefix=".oscp-export-old-", dir=dest.parent))
        os.replace(dest, old / "export")
    os.replace(staging, dest)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
