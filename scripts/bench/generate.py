"""Synthetic content at k x the real content, and a plain Material for MkDocs site of the
same size to compare our build with."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from oscp.model import KINDS, Kind
from oscp.yaml_files import read_yaml
from scripts.bench import ROOT
from tests.sitebuild import write_config

#: the kinds copied k times, each with the fields that refer to entries of other scaled kinds;
#: every other kind is copied once, as it is
SCALED = {"programme": ("services", "datasets"), "service": ("programmes",), "dataset": ()}


def _id_fields(kind: Kind) -> tuple[str, ...]:
    """The fields of an entry of a scaled kind that hold its own id, former ids or ids of
    entries of scaled kinds: the ones a copy changes."""
    return (kind.id_field, *([kind.former_ids] if kind.former_ids else []), *SCALED[kind.name])


def copy_text(kind: Kind, text: str, data: dict[str, Any], positions: dict[tuple[Any, ...], tuple[int, int]],
              generation: int, slugs: set[str]) -> str:
    """The text of one real entry as generation ``generation``: its id and its references to
    programmes, services and datasets get the generation's suffix; everything else, including
    the file's layout, stays as written (so that copies cost what the originals cost to read).
    Generation 1 is the real entry unchanged: hand-written pages link to the real slugs."""
    if generation == 1:
        return text
    suffix = f"-s{generation}"
    edits = []
    for name in _id_fields(kind):
        value = data.get(name)
        for pointer, ident in ([((name,), value)] if isinstance(value, str) else
                               [((name, i), v) for i, v in enumerate(value or [])]):
            edits.append((positions[pointer], ident))
    lines = text.splitlines(keepends=True)
    for (line, col), ident in sorted(edits, reverse=True):  # from the end: positions stay valid
        row, start = lines[line - 1], col - 1 + (lines[line - 1][col - 1] in "'\"")
        assert row.startswith(ident, start), (kind.name, data.get(kind.id_field), line, col)
        lines[line - 1] = row[:start + len(ident)] + suffix + row[start + len(ident):]
    return re.sub(r"\]\(([a-z0-9-]+)\.md\)",
                  lambda m: f"]({m[1]}{suffix}.md)" if m[1] in slugs else m[0], "".join(lines))


def make_content(dest: Path, scale: int) -> int:
    """Write ``scale`` generations of the real programmes, services and datasets under
    ``dest``, with the real sources, organisations and priorities; return the entry count."""
    real = ROOT / "content"
    shutil.copytree(real / "schemas", dest / "schemas")
    kept = [kind.folder for kind in KINDS.values() if kind.name not in SCALED]
    for folder in kept:
        shutil.copytree(real / folder, dest / folder)
    entries = sum(1 for folder in kept for _ in (real / folder).glob("*.yml"))
    slugs = {p.stem for p in (real / KINDS["programme"].folder).glob("*.yml")}
    for kind in (KINDS[name] for name in SCALED):
        (dest / kind.folder).mkdir(parents=True)
        for path in sorted((real / kind.folder).glob("*.yml")):
            doc, problems = read_yaml(path, path.name)
            assert doc is not None, problems
            text = path.read_text(encoding="utf-8")
            for generation in range(1, scale + 1):
                name = path.stem if generation == 1 else f"{path.stem}-s{generation}"
                (dest / kind.folder / f"{name}.yml").write_text(
                    copy_text(kind, text, doc.data, doc.values, generation, slugs), encoding="utf-8")
                entries += 1
    return entries


def make_project(dest: Path, scale: int) -> tuple[Path, int]:
    """A project folder with the real docs/ and synthetic content, and a mkdocs.yml that
    inherits the real one (the fixture sites' writer); return it and the number of content
    entries."""
    shutil.copytree(ROOT / "docs", dest / "docs")
    entries = make_content(dest / "content", scale)
    return write_config(dest), entries


# A plain Material for MkDocs site of the same size.

FILLER = ("The partnership brings together the council, the police, health services and "
          "voluntary groups to keep people safe. ")


def _plain_markdown(title: str, size: int) -> str:
    """Plain Markdown of about ``size`` characters: headings, paragraphs, a list and a table."""
    parts = [f"# {title}\n"]
    section = 0
    while sum(map(len, parts)) < size:
        section += 1
        parts.append(f"\n## Section {section}\n\n" + FILLER * 4 + "\n\n"
                     "- the first point of this section\n- the second point, with *emphasis*\n\n"
                     "| Year | Cases | Change |\n| --- | ---: | ---: |\n"
                     f"| 2021 | {section * 17} | 3% |\n| 2022 | {section * 19} | 5% |\n")
    return "".join(parts)[:max(size, len(parts[0]))]


def make_plain_project(dest: Path, pages: dict[str, int]) -> Path:
    """A Material for MkDocs project with one plain page per (path, size), same theme
    features and Markdown extensions as ours, and no hooks; return its mkdocs.yml."""
    real = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvLoader)
    for uri, size in pages.items():
        path = dest / "docs" / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_plain_markdown(Path(uri).stem.replace("-", " ").capitalize(), size), encoding="utf-8")
    theme = {k: v for k, v in real["theme"].items() if k != "custom_dir"}
    extensions = [e for e in real["markdown_extensions"]
                  if not (isinstance(e, dict) and "pymdownx.snippets" in e)]  # no snippets to include
    config = {"site_name": "Plain", "site_url": "https://example.org/", "strict": True,
              "use_directory_urls": True, "theme": theme, "plugins": real["plugins"],
              "markdown_extensions": extensions}
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return dest / "mkdocs.yml"


class _EnvLoader(yaml.SafeLoader):
    """Reads mkdocs.yml's ``!ENV [NAME, default]`` as its default."""


_EnvLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])

