"""Benchmarks of the site build, written to BENCHMARKS.md (issue 8: fast at any size).

The benchmark makes synthetic content at several multiples of the real content
(generate.py), builds each with the real build command and compares the build with a
plain Material for MkDocs site of the same page count, times content validation alone and
a `make serve`-style rebuild after one edit (measure.py), runs Lighthouse against the real
site (lighthouse.py), and writes the figures and the targets (PASS/MISS) to BENCHMARKS.md
(report.py). Usage, from the repository (the Makefile's `make bench`):

    PYTHONPATH=hooks python -m scripts.bench           # 1x, 10x and 30x, Lighthouse; writes BENCHMARKS.md
    PYTHONPATH=hooks python -m scripts.bench --quick   # 1x and 3x, no Lighthouse; prints the report
"""

from __future__ import annotations

import os
import sys

from tests.sitebuild import REPO as ROOT

__all__ = ["ROOT", "log"]

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)
