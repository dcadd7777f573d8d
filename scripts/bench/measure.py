"""Measures of a build: time and peak memory in a fresh process, content validation alone,
a profile of where the time goes, and a `make serve`-style rebuild after one edit."""

from __future__ import annotations

import cProfile
import os
import pstats
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from oscp.load import load_content
from oscp.pages import build_pages
from oscp.render import TEMPLATES
from scripts.bench import ROOT
from tests.sitebuild import build_command, build_env

EDITED_PROGRAMME = "nightsafe"

@dataclass
class BuildRun:
    seconds: float
    peak_mb: float
    pages: int

    @property
    def per_page(self) -> float:
        return self.seconds / self.pages


def timed_build(config: Path, site: Path, site_url: str | None = None) -> BuildRun:
    """Run the build as `make build` does; time it and read the child's peak memory."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(build_command(config, site), cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, env=build_env(site_url))
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            out.seek(0)
            raise RuntimeError(f"build of {config} failed:\n{out.read().decode(errors='replace')}")
    return BuildRun(seconds, usage.ru_maxrss / 1024, sum(1 for _ in site.rglob("*.html")))


def best_build(config: Path, site: Path, repeats: int) -> BuildRun:
    """The fastest of ``repeats`` builds (peak memory is the largest seen)."""
    runs = [timed_build(config, site) for _ in range(repeats)]
    fastest = min(runs, key=lambda r: r.seconds)
    return BuildRun(fastest.seconds, max(r.peak_mb for r in runs), fastest.pages)


def time_validation(content: Path, repeats: int = 3) -> float:
    """Seconds load_content takes on ``content`` (best of ``repeats``), as the build calls it."""
    project = content.parent
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        load_content(content, sources_dir=project.parent / "shared" / "sources", display_base=project)
        best = min(best, time.perf_counter() - start)
    return best


def page_sizes(project: Path) -> dict[str, int]:
    """Every page's Markdown source and its size: hand-written docs and generated pages."""
    content = load_content(project / "content", display_base=project)
    sizes = {p.relative_to(project / "docs").as_posix(): len(p.read_text(encoding="utf-8"))
             for p in (project / "docs").rglob("*.md")}
    for page in build_pages(content, TEMPLATES):
        sizes[page.src_uri] = len(page.markdown)
    return sizes


#: phases of a build: (label, file-name ending, function names) as cProfile names them
PHASES = (
    ("oscp hooks: load and validate content, render generated Markdown (on_config)",
     "mkdocs_adapter.py", {"on_config"}),
    ("oscp hooks: add generated files (on_files)", "mkdocs_adapter.py", {"on_files"}),
    ("Markdown to HTML (Page.render)", "mkdocs/structure/pages.py", {"render"}),
    ("Material's navigation in each page (base.html block_site_nav)", "base.html", {"block_site_nav"}),
    ("search index (search plugin)", "search/plugin.py", {"on_page_context", "on_post_build"}),
    ("whole build", "mkdocs/commands/build.py", {"build"}),
)


@dataclass
class Profile:
    units: int                               # pages built, or entries validated
    phases: dict[str, float]                 # label -> cumulative seconds
    own: dict[str, float]                    # function -> own seconds


def _profile(profiler: cProfile.Profile, units: int) -> Profile:
    rows = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    phases = {label: max((ct for (file, _, name), (_, _, _, ct, _) in rows.items()
                          if file.endswith(ending) and name in names), default=0.0)
              for label, ending, names in PHASES}
    own: dict[str, float] = {}
    for (file, _, name), (_, _, tt, _, _) in rows.items():
        short = f"{re.sub(r'.*site-packages/', '', file).replace(str(ROOT) + '/', '')} {name}"
        own[short] = own.get(short, 0.0) + tt
    return Profile(units, phases, own)


def profile_build(config: Path, site: Path) -> Profile:
    """Build in this process under cProfile: seconds per phase and per function."""
    profiler = cProfile.Profile()
    mkdocs_config = load_config(str(config), site_dir=str(site), strict=True)
    profiler.enable()
    build(mkdocs_config)
    profiler.disable()
    pages = sum(1 for _ in site.rglob("*.html"))
    shutil.rmtree(site)
    return _profile(profiler, pages)


def profile_validation(content: Path, entries: int) -> Profile:
    """load_content under cProfile: seconds per function."""
    profiler = cProfile.Profile()
    profiler.runcall(load_content, content, display_base=content.parent)
    return _profile(profiler, entries)


def growth(small: Profile, big: Profile, phases: bool, top: int) -> list[tuple[str, float, float, float]]:
    """(name, ms per unit in small, in big, big / small) for phases, or for the functions with
    the most own time in ``big``."""
    a, b = (small.phases, big.phases) if phases else (small.own, big.own)
    names = list(b) if phases else sorted(b, key=lambda k: -b[k])[:top]
    rows = []
    for name in names:
        per_small, per_big = a.get(name, 0.0) / small.units * 1000, b[name] / big.units * 1000
        rows.append((name, per_small, per_big, per_big / per_small if per_small else float("inf")))
    return rows


def rebuild_after_edit(project: Path, site: Path) -> tuple[float, float]:
    """What `mkdocs serve` does: build once, edit one content file, reload config and build
    again in the same process. Return (first build, rebuild) seconds."""
    def once() -> float:
        start = time.perf_counter()
        build(load_config(str(project / "mkdocs.yml"), site_dir=str(site)),
              serve_url="http://127.0.0.1:8000/")
        return time.perf_counter() - start

    first = once()
    path = project / "content" / "programmes" / f"{EDITED_PROGRAMME}.yml"
    text = path.read_text(encoding="utf-8")
    edited = re.sub(r"^summary: (.*)$", r"summary: \1 Edited for the benchmark.", text, count=1, flags=re.M)
    assert edited != text, f"no summary line in {path}"
    path.write_text(edited, encoding="utf-8")
    return first, once()

