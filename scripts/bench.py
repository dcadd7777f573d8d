"""Benchmarks of the site build, written to BENCHMARKS.md (issue 8: fast at any size).

This script owns the benchmark: it makes synthetic content at several multiples of the
real content, builds each with the real build command, compares the build with a plain
Material for MkDocs site of the same page count, times content validation alone and a
`make serve`-style rebuild after one edit, runs Lighthouse against the real site, and
writes the figures and the targets (PASS/MISS) to BENCHMARKS.md. Usage:

    python scripts/bench.py            # 1x, 10x and 30x, Lighthouse; writes BENCHMARKS.md
    python scripts/bench.py --quick    # 1x and 3x, no Lighthouse; prints the report
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import http.server
import io
import json
import os
import platform
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

from oscp.load import load_content  # noqa: E402
from oscp.pages import build_pages  # noqa: E402
from oscp.render import TEMPLATES  # noqa: E402
from oscp.yaml_files import read_yaml  # noqa: E402

BUILD = [sys.executable, "-m", "oscp", "build"]  # as `make build` runs it
SCALED_KINDS = ("programmes", "services", "datasets")
KEPT_KINDS = ("sources", "organisations", "priorities", "schemas")
LIGHTHOUSE_PAGES = ("", "programmes/nightsafe/", "data/crt-cases-by-type-2022/")
LIGHTHOUSE_DIR = Path(tempfile.gettempdir()) / "oscp-bench-lighthouse"
CHROME = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")
EDITED_PROGRAMME = "nightsafe"

# Targets (issue 8).
LINEAR_RATIO = 1.3          # s/page at the largest scale <= 1.3 x s/page at 1x
PLAIN_RATIO = 1.5           # our build <= 1.5 x a plain mkdocs-material build, same page count
VALIDATION_RATIO = 1.3      # validation s/entry at the largest scale <= 1.3 x at 1x
REBUILD_SECONDS = 2.0       # rebuild after one edit
LIGHTHOUSE_TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 95}


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- synthetic content ------------------------------------------------------------------

#: per kind: the fields that hold the entry's own id or ids of scaled kinds
REFERENCES = {"programmes": ("slug", "services", "datasets", "former_slugs"),
              "services": ("id", "programmes"), "datasets": ("id",)}


def copy_text(kind: str, text: str, data: dict[str, Any], positions: dict[tuple[Any, ...], tuple[int, int]],
              generation: int, slugs: set[str]) -> str:
    """The text of one real entry as generation ``generation``: its id and its references to
    programmes, services and datasets get the generation's suffix; everything else, including
    the file's layout, stays as written (so that copies cost what the originals cost to read).
    Generation 1 is the real entry unchanged: hand-written pages link to the real slugs."""
    if generation == 1:
        return text
    suffix = f"-s{generation}"
    edits = []
    for name in REFERENCES[kind]:
        value = data.get(name)
        for pointer, ident in ([((name,), value)] if isinstance(value, str) else
                               [((name, i), v) for i, v in enumerate(value or [])]):
            edits.append((positions[pointer], ident))
    lines = text.splitlines(keepends=True)
    for (line, col), ident in sorted(edits, reverse=True):  # from the end: positions stay valid
        row, start = lines[line - 1], col - 1 + (lines[line - 1][col - 1] in "'\"")
        assert row.startswith(ident, start), (kind, data.get("id"), line, col)
        lines[line - 1] = row[:start + len(ident)] + suffix + row[start + len(ident):]
    return re.sub(r"\]\(([a-z0-9-]+)\.md\)",
                  lambda m: f"]({m[1]}{suffix}.md)" if m[1] in slugs else m[0], "".join(lines))


def make_content(dest: Path, scale: int) -> int:
    """Write ``scale`` generations of the real programmes, services and datasets under
    ``dest``, with the real sources, organisations and priorities; return the entry count."""
    real = ROOT / "content"
    for kind in KEPT_KINDS:
        shutil.copytree(real / kind, dest / kind)
    entries = sum(1 for kind in KEPT_KINDS[:-1] for _ in (real / kind).glob("*.yml"))
    slugs = {p.stem for p in (real / "programmes").glob("*.yml")}
    for kind in SCALED_KINDS:
        (dest / kind).mkdir(parents=True)
        for path in sorted((real / kind).glob("*.yml")):
            doc, problems = read_yaml(path, path.name)
            assert doc is not None, problems
            text = path.read_text(encoding="utf-8")
            for generation in range(1, scale + 1):
                name = path.stem if generation == 1 else f"{path.stem}-s{generation}"
                (dest / kind / f"{name}.yml").write_text(
                    copy_text(kind, text, doc.data, doc.values, generation, slugs), encoding="utf-8")
                entries += 1
    return entries


def make_project(dest: Path, scale: int) -> tuple[Path, int]:
    """A project folder with the real docs/ and synthetic content, and a mkdocs.yml that
    inherits the real one (as tests/sitebuild.py's make_fixture does); return it and the
    number of content entries."""
    shutil.copytree(ROOT / "docs", dest / "docs")
    entries = make_content(dest / "content", scale)
    config = dest / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {ROOT / 'mkdocs.yml'}\n"
        f"theme:\n  name: material\n  custom_dir: {ROOT / 'overrides'}\n"
        f"hooks:\n  - {ROOT / 'hooks' / 'oscp_hooks.py'}\n"
        "watch: []\n",
        encoding="utf-8",
    )
    return config, entries


# --- a plain Material for MkDocs site of the same size -------------------------------------

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


# --- measures ----------------------------------------------------------------------------

@dataclass
class BuildRun:
    seconds: float
    peak_mb: float
    pages: int

    @property
    def per_page(self) -> float:
        return self.seconds / self.pages


def run_build(config: Path, site: Path, env: dict[str, str] | None = None) -> BuildRun:
    """Run the build as `make build` does; time it and read the child's peak memory."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        env = dict(env or os.environ, PYTHONPATH=str(ROOT / "hooks"))
        proc = subprocess.Popen([*BUILD, "-f", str(config), "-d", str(site)],
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            out.seek(0)
            raise RuntimeError(f"build of {config} failed:\n{out.read().decode(errors='replace')}")
    return BuildRun(seconds, usage.ru_maxrss / 1024, sum(1 for _ in site.rglob("*.html")))


def best_build(config: Path, site: Path, repeats: int) -> BuildRun:
    """The fastest of ``repeats`` builds (peak memory is the largest seen)."""
    runs = [run_build(config, site) for _ in range(repeats)]
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


# --- Lighthouse --------------------------------------------------------------------------

class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files gzipped when the browser accepts it, as any static host does."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file() \
                or not self.path.split("?")[0].endswith(("/", ".html", ".css", ".js", ".json", ".xml", ".svg")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def _lighthouse_command() -> list[str]:
    """The lighthouse CLI: the repository's node_modules, else a private install in /tmp."""
    for candidate in (ROOT / "node_modules" / ".bin" / "lighthouse",
                      LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"):
        if candidate.exists():
            return [str(candidate)]
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed, so Lighthouse cannot be installed")
    log("installing lighthouse (npm install --no-save) into " + str(LIGHTHOUSE_DIR))
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
                             str(LIGHTHOUSE_DIR), "lighthouse"], capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError("npm install lighthouse failed: " + result.stderr.strip()[-2000:])
    return [str(LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse")]


@dataclass
class LighthouseRun:
    url: str
    scores: dict[str, int] = field(default_factory=dict)
    metrics: dict[str, str] = field(default_factory=dict)
    failed: dict[str, list[str]] = field(default_factory=dict)
    error: str = ""


def _read_report(url: str, report: dict[str, Any]) -> LighthouseRun:
    run = LighthouseRun(url)
    audits = report["audits"]
    for key, category in report["categories"].items():
        run.scores[key] = round((category["score"] or 0) * 100)
        run.failed[key] = [f"{audits[ref['id']]['title']} ({ref['id']})"
                           for ref in category["auditRefs"]
                           if ref["weight"] > 0 and audits[ref["id"]].get("score") not in (None, 1)
                           and audits[ref["id"]].get("scoreDisplayMode") in {"binary", "numeric"}]
    for metric in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                   "cumulative-layout-shift", "speed-index"):
        if metric in audits:
            run.metrics[metric] = audits[metric].get("displayValue", "")
    return run


def run_lighthouse(work: Path) -> list[LighthouseRun] | str:
    """Lighthouse (mobile, its default) on three pages of the real site served on 127.0.0.1;
    the runs, or why Lighthouse could not run."""
    try:
        command = _lighthouse_command()
    except (RuntimeError, subprocess.SubprocessError, OSError) as exc:
        return str(exc)
    if not Path(CHROME).exists():
        return f"{CHROME} not found (install Debian's chromium)"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_GzipHandler, directory=str(work / "site")))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    run_build(ROOT / "mkdocs.yml", work / "site", env=dict(os.environ, OSCP_SITE_URL=base))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    runs = []
    try:
        for page in LIGHTHOUSE_PAGES:
            url = base + page
            log(f"lighthouse {url}")
            out = work / "report.json"
            result = subprocess.run(
                command + [url, "--output=json", f"--output-path={out}", "--quiet",
                           "--only-categories=performance,accessibility,best-practices,seo",
                           f"--chrome-flags={CHROME_FLAGS}"],
                capture_output=True, text=True, timeout=300, env=dict(os.environ, CHROME_PATH=CHROME))
            if result.returncode != 0 or not out.exists():
                runs.append(LighthouseRun(url, error=(result.stderr or result.stdout).strip()[-1500:]))
                continue
            runs.append(_read_report(url, json.loads(out.read_text(encoding="utf-8"))))
            out.unlink()
    except (subprocess.SubprocessError, OSError, ValueError, KeyError) as exc:
        return f"Lighthouse failed: {exc!r}"
    finally:
        server.shutdown()
        server.server_close()
    return runs


# --- the report --------------------------------------------------------------------------

@dataclass
class ScaleResult:
    scale: int
    entries: int
    ours: BuildRun
    plain: BuildRun
    validation: float


def machine() -> list[tuple[str, str]]:
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8") if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    meminfo = Path("/proc/meminfo").read_text(encoding="utf-8") if Path("/proc/meminfo").exists() else ""
    memory = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.M)
    return [
        ("CPU", model[1] if model else platform.processor() or "unknown"),
        ("Cores", str(os.cpu_count())),
        ("Memory", f"{int(memory[1]) / 1024 / 1024:.1f} GiB" if memory else "unknown"),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("mkdocs", version("mkdocs")),
        ("mkdocs-material", version("mkdocs-material")),
    ]


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "**MISS**"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


@dataclass
class Report:
    quick: bool
    repeats: dict[int, int]
    scales: list[ScaleResult]
    rebuild: tuple[float, float]
    build_profiles: tuple[Profile, Profile]       # 1x and the largest scale
    validation_profiles: tuple[Profile, Profile]
    lighthouse: list[LighthouseRun] | str | None
    seconds: float

    def added_entry_ms(self, scale: ScaleResult) -> float:
        """Validation ms for each entry added since 1x."""
        one = self.scales[0]
        return (scale.validation - one.validation) / (scale.entries - one.entries) * 1000

    def added_page_ms(self, scale: ScaleResult) -> float:
        """Build ms for each page added since 1x."""
        one = self.scales[0]
        return (scale.ours.seconds - one.ours.seconds) / (scale.ours.pages - one.ours.pages) * 1000

    def targets(self) -> list[tuple[str, str, bool, str]]:
        """(target, measured, met, cause if missed)."""
        one, big = self.scales[0], self.scales[-1]
        linear = big.ours.per_page / one.ours.per_page
        plain = big.ours.seconds / big.plain.seconds
        validation = (big.validation / big.entries) / (one.validation / one.entries)
        phases = growth(*self.build_profiles, phases=True, top=0)
        whole = phases[-1][2]
        grown = "; ".join(f"{name}: {a:.1f} -> {b:.1f} ms/page ({g:.1f}x), {b / whole:.0%} of the build"
                          for name, a, b, g in phases[:-1] if g > LINEAR_RATIO) or "no single phase"
        hooks = sum(b for name, _, b, _ in phases if name.startswith("oscp")) / whole
        functions = "; ".join(f"`{name}` {a:.3f} -> {b:.3f} ms/entry ({g:.1f}x)"
                              for name, a, b, g in growth(*self.validation_profiles, phases=False, top=4))
        added = [self.added_entry_ms(s) for s in self.scales[1:]]
        steady = max(added) / min(added) <= 1.1
        mix = (f"each added entry costs {' / '.join(f'{m:.2f}' for m in added)} ms at "
               f"{' / '.join(f'{s.scale}x' for s in self.scales[1:])}, "
               + ("a steady cost, so validation is linear; the average per entry rises only because "
                  "the added entries are programmes, services and datasets, which cost more to read "
                  "than the average 1x entry (the 1x average includes the small, fixed sources, "
                  "organisations and priorities). " if steady else "so the cost per entry grows with "
                  "the amount of content. ")
               + f"Functions with the most own time: {functions}")
        rows = [
            (f"s/page at {big.scale}x <= {LINEAR_RATIO} x s/page at 1x",
             f"{linear:.2f}x ({big.ours.per_page * 1000:.1f} vs {one.ours.per_page * 1000:.1f} ms/page)",
             linear <= LINEAR_RATIO, f"per-page cost that grows with the site (profiled): {grown}"),
            (f"our build <= {PLAIN_RATIO} x plain mkdocs-material ({big.ours.pages} pages)",
             f"{plain:.2f}x ({big.ours.seconds:.1f} s vs {big.plain.seconds:.1f} s)", plain <= PLAIN_RATIO,
             f"the oscp hooks take {hooks:.0%} of the {big.scale}x build, which the plain site does not "
             "have (profile below)"),
            (f"validation s/entry at {big.scale}x <= {VALIDATION_RATIO} x at 1x",
             f"{validation:.2f}x", validation <= VALIDATION_RATIO, mix),
            (f"rebuild after one edit < {REBUILD_SECONDS:g} s", f"{self.rebuild[1]:.2f} s",
             self.rebuild[1] < REBUILD_SECONDS, ""),
        ]
        if isinstance(self.lighthouse, list):
            for category, target in LIGHTHOUSE_TARGETS.items():
                scores = [r.scores.get(category) for r in self.lighthouse]
                worst = min((s for s in scores if s is not None), default=None)
                failed = sorted({item for r in self.lighthouse for item in r.failed.get(category, [])})
                cmp = "=" if target == 100 else ">="
                rows.append((f"Lighthouse {category} {cmp} {target} (every page)",
                             "not measured" if worst is None else f"lowest {worst}",
                             worst is not None and worst >= target and None not in scores,
                             "; ".join(failed) or "a page could not be measured"))
        return rows

    def markdown(self) -> str:
        one = self.scales[0]
        out = [
            "# Benchmarks",
            "",
            f"Written by `scripts/bench.py{' --quick' if self.quick else ''}` on "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC in {self.seconds / 60:.1f} minutes. "
            "Run `make bench` to measure again (`--quick` for 1x and 3x without Lighthouse).",
            "",
            "## Machine",
            "",
            _table(["", ""], [[k, v] for k, v in machine()]),
            "",
            "## Targets",
            "",
            _table(["target", "measured", "result"],
                   [[t, m, _verdict(ok)] for t, m, ok, _ in self.targets()]),
            "",
        ]
        missed = [(t, cause) for t, _, ok, cause in self.targets() if not ok]
        if missed:
            out += ["Measured causes of the misses:", ""]
            out += [f"- **{t}**: {cause or 'see the notes below'}" for t, cause in missed]
            out.append("")
        out += [
            "## Build time and memory",
            "",
            "Synthetic content at k x the real content: k copies of every programme, service and "
            "dataset (copy 1 is the real entry, copy n gets ids ending `-sn`, with its references "
            "pointing to copies of the same generation), with the real sources, organisations and "
            "priorities and the real `docs/`. Each is built with `python -m oscp build` in a fresh "
            "process; time is wall-clock, memory is the build process's peak resident set. "
            "The plain site is Material for MkDocs with the same theme features, Markdown "
            "extensions and search plugin, no hooks and no custom templates, and one plain "
            "Markdown page of the same size for each of our pages.",
            "",
            _table(["scale", "content entries", "pages", "build", "s/page", "vs 1x s/page",
                    "per page added since 1x", "peak memory", "plain build", "ours / plain", "runs"],
                   [[f"{s.scale}x", str(s.entries), str(s.ours.pages), f"{s.ours.seconds:.2f} s",
                     f"{s.ours.per_page * 1000:.1f} ms", f"{s.ours.per_page / one.ours.per_page:.2f}x",
                     f"{self.added_page_ms(s):.1f} ms" if s is not one else "-",
                     f"{s.ours.peak_mb:.0f} MB", f"{s.plain.seconds:.2f} s ({s.plain.pages} pages)",
                     f"{s.ours.seconds / s.plain.seconds:.2f}x", f"best of {self.repeats[s.scale]}"]
                    for s in self.scales]),
            "",
            "## Content validation alone",
            "",
            "`oscp.load.load_content` (reading, schema validation and cross-checks), in this "
            "process, best of 3.",
            "",
            _table(["scale", "entries", "time", "per entry", "vs 1x per entry", "per entry added since 1x"],
                   [[f"{s.scale}x", str(s.entries), f"{s.validation * 1000:.0f} ms",
                     f"{s.validation / s.entries * 1000:.2f} ms",
                     f"{(s.validation / s.entries) / (one.validation / one.entries):.2f}x",
                     f"{self.added_entry_ms(s):.2f} ms" if s is not one else "-"]
                    for s in self.scales]),
            "",
            "## Rebuild after one edit (`make serve`)",
            "",
            "In one process, as `mkdocs serve` does: load the config and build the real content "
            f"once, then change the summary of `content/programmes/{EDITED_PROGRAMME}.yml`, load "
            "the config again and rebuild (a full rebuild: serve is not run with --dirty).",
            "",
            _table(["first build", "rebuild after the edit"],
                   [[f"{self.rebuild[0]:.2f} s", f"{self.rebuild[1]:.2f} s"]]),
            "",
        ]
        big = self.scales[-1].scale
        out += [
            f"## Where the time goes, 1x against {big}x",
            "",
            "cProfile of one in-process build at each scale (profiling slows a build down, so "
            "compare the columns with each other, not with the tables above). Time per page of "
            "each phase; phases overlap (the navigation is part of rendering each page).",
            "",
            _table(["phase", "1x ms/page", f"{big}x ms/page", "growth"],
                   [[name, f"{a:.2f}", f"{b:.2f}", f"{g:.2f}x"]
                    for name, a, b, g in growth(*self.build_profiles, phases=True, top=0)]),
            "",
            f"Functions with the most own time in the {big}x build:",
            "",
            _table(["function", "1x ms/page", f"{big}x ms/page", "growth"],
                   [[f"`{name}`", f"{a:.2f}", f"{b:.2f}", f"{g:.2f}x"]
                    for name, a, b, g in growth(*self.build_profiles, phases=False, top=10)]),
            "",
            f"Content validation alone, functions with the most own time at {big}x:",
            "",
            _table(["function", "1x ms/entry", f"{big}x ms/entry", "growth"],
                   [[f"`{name}`", f"{a:.3f}", f"{b:.3f}", f"{g:.2f}x"]
                    for name, a, b, g in growth(*self.validation_profiles, phases=False, top=8)]),
            "",
            "## Lighthouse",
            "",
        ]
        if self.lighthouse is None:
            out.append("Not run (`--quick`).")
        elif isinstance(self.lighthouse, str):
            out += ["Lighthouse could not run here:", "", "```text", self.lighthouse, "```"]
        else:
            out += ["Default (mobile, simulated throttling) run of the real site built for and served on "
                    "127.0.0.1 by a static server that gzips text files, as any static host does.", "",
                    "plotly.js (about 390 KB gzipped) is fetched only when a chart scrolls into view. "
                    "On a phone the chart page's first chart is below the fold, so the load Lighthouse "
                    "measures does not include plotly; a reader who scrolls to the chart then waits for "
                    "it to download and parse (about 0.5 s of main-thread work in Lighthouse's mobile "
                    "emulation), while the table beside it is there from the start.", ""]
            categories = list(LIGHTHOUSE_TARGETS)
            out.append(_table(["page"] + categories + ["FCP", "LCP", "TBT", "CLS"],
                              [[r.url.split("/", 3)[-1] or "/"] +
                               ([str(r.scores[c]) if c in r.scores else "-" for c in categories] +
                                [r.metrics.get(m, "") for m in ("first-contentful-paint",
                                                                 "largest-contentful-paint",
                                                                 "total-blocking-time",
                                                                 "cumulative-layout-shift")]
                                if not r.error else ["error"] * (len(categories) + 4))
                               for r in self.lighthouse]))
            errors = [r for r in self.lighthouse if r.error]
            for r in errors:
                out += ["", f"Lighthouse failed on {r.url}:", "", "```text", r.error, "```"]
        out.append("")
        return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1x and 3x only, no Lighthouse; print the report")
    parser.add_argument("-o", "--output", type=Path,
                        help="where to write the report (default: BENCHMARKS.md, or stdout with --quick)")
    args = parser.parse_args()
    os.chdir(ROOT)  # mkdocs.yml's snippets base_path is relative to the working folder
    scales = [1, 3] if args.quick else [1, 10, 30]
    repeats = {scale: 3 if scale < 10 else 1 for scale in scales}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="oscp-bench-") as tmp:
        work = Path(tmp)
        (work / "shared").mkdir()
        sources = ROOT.parent / "shared" / "sources"
        if sources.is_dir():
            (work / "shared" / "sources").symlink_to(sources)
        results = []
        for scale in scales:
            log(f"{scale}x: generating content")
            config, entries = make_project(work / f"scale-{scale}", scale)
            project = config.parent
            validation = time_validation(project / "content")
            log(f"{scale}x: {entries} entries validated in {validation:.2f} s; building")
            ours = best_build(config, project / "site", repeats[scale])
            log(f"{scale}x: {ours.pages} pages in {ours.seconds:.1f} s; building the plain site")
            plain_config = make_plain_project(work / f"plain-{scale}", page_sizes(project))
            plain = best_build(plain_config, plain_config.parent / "site", repeats[scale])
            log(f"{scale}x: plain site, {plain.pages} pages in {plain.seconds:.1f} s")
            results.append(ScaleResult(scale, entries, ours, plain, validation))
            shutil.rmtree(project / "site")
            shutil.rmtree(plain_config.parent)
        log("profiling builds and validation at 1x and " + f"{scales[-1]}x")
        small, big = work / f"scale-{scales[0]}", work / f"scale-{scales[-1]}"
        build_profiles = (profile_build(small / "mkdocs.yml", work / "profile-site"),
                          profile_build(big / "mkdocs.yml", work / "profile-site"))
        validation_profiles = (profile_validation(small / "content", results[0].entries),
                               profile_validation(big / "content", results[-1].entries))
        log("timing a rebuild after one edit")
        rebuild_project = work / "rebuild"
        make_project(rebuild_project, 1)
        rebuild = rebuild_after_edit(rebuild_project, work / "rebuild-site")
        lighthouse = None if args.quick else run_lighthouse(work / "lighthouse")
    report = Report(args.quick, repeats, results, rebuild, build_profiles,
                    validation_profiles, lighthouse, time.perf_counter() - started)
    text = report.markdown()
    output = args.output or (None if args.quick else ROOT / "BENCHMARKS.md")
    if output is None:
        print(text)
    else:
        output.write_text(text, encoding="utf-8")
        log(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
