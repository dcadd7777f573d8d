"""The report: machine, targets (PASS/MISS) with the measured causes of misses, and the
tables, as Markdown for BENCHMARKS.md."""

from __future__ import annotations

import os
import platform
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from scripts.bench.lighthouse import LighthouseRun
from scripts.bench.measure import EDITED_PROGRAMME, BuildRun, Profile, growth

#: sections of BENCHMARKS.md measured by hand, which a new report keeps as they are
KEPT_SECTIONS = ("## Residents: search and readability", "## Validators", "## Test suite", "## Security",
                 "## Other engines", "## Small-site fixed cost")

# Targets (issue 8).
LINEAR_RATIO = 1.3          # s/page at the largest scale <= 1.3 x s/page at 1x
PLAIN_RATIO = 1.5           # our build <= 1.5 x a plain mkdocs-material build, same page count
VALIDATION_RATIO = 1.3      # validation s/entry at the largest scale <= 1.3 x at 1x
REBUILD_SECONDS = 2.0       # rebuild after one edit
LIGHTHOUSE_TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 95}

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


def _growth_table(what: str, unit: str, big: int, rows: list[tuple[str, float, float, float]],
                  digits: int = 2) -> str:
    """A table of ms per ``unit`` at 1x and at ``big``x for each phase or function (in code font)."""
    return _table([what, f"1x ms/{unit}", f"{big}x ms/{unit}", "growth"],
                  [[name if what == "phase" else f"`{name}`", f"{a:.{digits}f}", f"{b:.{digits}f}", f"{g:.2f}x"]
                   for name, a, b, g in rows])


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
            f"Written by `python -m scripts.bench{' --quick' if self.quick else ''}` on "
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
            _growth_table("phase", "page", big, growth(*self.build_profiles, phases=True, top=0)),
            "",
            f"Functions with the most own time in the {big}x build:",
            "",
            _growth_table("function", "page", big, growth(*self.build_profiles, phases=False, top=10)),
            "",
            f"Content validation alone, functions with the most own time at {big}x:",
            "",
            _growth_table("function", "entry", big, growth(*self.validation_profiles, phases=False, top=8),
                          digits=3),
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


def kept_sections(old: str) -> str:
    """The hand-measured sections (KEPT_SECTIONS) of an earlier report, each up to the next
    second-level heading."""
    kept = []
    for heading in KEPT_SECTIONS:
        match = re.search(rf"^{re.escape(heading)}[^\n]*\n.*?(?=^## |\Z)", old, re.M | re.S)
        if match:
            kept.append(match[0].rstrip("\n") + "\n")
    return "\n".join(kept)


def write_report(output: Path, text: str) -> None:
    """Write the report to ``output``, keeping the hand-measured sections already there."""
    kept = kept_sections(output.read_text(encoding="utf-8")) if output.is_file() else ""
    output.write_text(text + ("\n" + kept if kept else ""), encoding="utf-8")
