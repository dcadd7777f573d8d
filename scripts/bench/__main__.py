"""`python -m scripts.bench`: generate, build and measure at each scale, then write the report."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from scripts.bench import ROOT, log
from scripts.bench.generate import make_plain_project, make_project
from scripts.bench.lighthouse import run_lighthouse
from scripts.bench.measure import (
    best_build,
    page_sizes,
    profile_build,
    profile_validation,
    rebuild_after_edit,
    time_validation,
)
from scripts.bench.report import Report, ScaleResult, write_report


def run(quick: bool) -> Report:
    """Generate, build and measure every scale (1x and 3x when ``quick``), profile the
    smallest and largest, time a rebuild, and run Lighthouse unless ``quick``."""
    scales = [1, 3] if quick else [1, 10, 30]
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
        lighthouse = None if quick else run_lighthouse(work / "lighthouse")
    return Report(quick, repeats, results, rebuild, build_profiles,
                  validation_profiles, lighthouse, time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmarks of the site build, written to BENCHMARKS.md.")
    parser.add_argument("--quick", action="store_true", help="1x and 3x only, no Lighthouse; print the report")
    parser.add_argument("-o", "--output", type=Path,
                        help="where to write the report (default: BENCHMARKS.md, or stdout with --quick)")
    args = parser.parse_args()
    os.chdir(ROOT)  # mkdocs.yml's snippets base_path is relative to the working folder
    text = run(args.quick).markdown()
    output = args.output or (None if args.quick else ROOT / "BENCHMARKS.md")
    if output is None:
        print(text)
    else:
        write_report(output, text)
        log(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
