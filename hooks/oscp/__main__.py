"""The engine's command line; the Makefile targets call it (run with hooks/ on PYTHONPATH).

    python -m oscp build [-f mkdocs.yml] [-d site]   the site, replaced only if the build passes
    python -m oscp check [--overdue] [--root DIR]    validate content/ as the build does
    python -m oscp new KIND NAME [--root DIR]        a skeleton for a new entry
    python -m oscp urls [--root DIR]                 rewrite published-urls.txt
    python -m oscp export DIR [-f mkdocs.yml]        a plain project, no hooks, for any mkdocs-style engine
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from .addresses import MANIFEST, planned_urls, read_manifest, write_manifest
from .export import ExportError, export_project
from .load import display_path, load_project
from .model import Content
from .pages import generate
from .problems import ContentError
from .scaffold import SKELETONS, ScaffoldError, scaffold

#: The project folder this engine belongs to (the one holding content/, docs/ and mkdocs.yml).
ROOT = Path(__file__).resolve().parent.parent.parent


def build(args: argparse.Namespace) -> int:
    from .site_build import build_site, show_mkdocs_messages  # imports mkdocs: only for builds

    show_mkdocs_messages()
    if not build_site(args.config_file, args.site_dir):
        print("Build failed; the previous site was left as it was.", file=sys.stderr)
        return 1
    print(f"Site built in {args.site_dir}")
    return 0


def _load(root: Path) -> Content | None:
    """The project's content, or None after listing every problem on stderr."""
    try:
        return load_project(root)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found; nothing would be published.", file=sys.stderr)
        return None


def check(args: argparse.Namespace) -> int:
    content = _load(args.root)
    if content is None:
        return 1
    late = content.overdue(date.today())
    if args.overdue:
        for problem in late:
            print(problem.format())
        print(f"{len(late)} entries past their review date")
        return 0
    for problem in content.warnings + late:
        print(problem.format(), file=sys.stderr)
    print(f"content OK: {sum(1 for _ in content.all())} entries checked")
    return 0


def new(args: argparse.Namespace) -> int:
    try:
        path = scaffold(args.kind, args.name, args.root)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {display_path(path, args.root)}")
    print("now edit it, then run make check")
    return 0


def urls(args: argparse.Namespace) -> int:
    content = _load(args.root)
    if content is None:
        return 1
    pages, files = generate(content)
    planned = planned_urls(args.root / "docs", [p.src_uri for p in pages] + list(files))
    path = args.root / MANIFEST
    before = set(read_manifest(path)) if path.exists() else set()
    write_manifest(path, planned)
    for url in sorted(planned - before):
        print(f"added   {url}")
    for url in sorted(before - planned):
        print(f"removed {url}")
    print(f"{MANIFEST}: {len(planned)} addresses")
    return 0


def export(args: argparse.Namespace) -> int:
    try:
        plan = export_project(args.config_file, args.dir)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found; nothing was exported.", file=sys.stderr)
        return 1
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for problem in plan.content.warnings + plan.content.overdue(date.today()):
        print(problem.format(), file=sys.stderr)
    print(f"exported {len(plan.pages)} generated pages and {len(plan.files)} files to {args.dir}")
    print(f"build it with: cd {args.dir} && mkdocs build")
    return 0


def parser() -> argparse.ArgumentParser:
    """The command line: one sub-command per Makefile target."""
    main = argparse.ArgumentParser(prog="python -m oscp", description=__doc__.splitlines()[0])
    commands = main.add_subparsers(dest="command", required=True)
    root = argparse.ArgumentParser(add_help=False)
    root.add_argument("--root", type=lambda p: Path(p).resolve(), default=ROOT,
                      help="the project folder (default: this repository)")

    sub = commands.add_parser("build", help="build the site safely")
    sub.add_argument("-f", "--config-file", type=Path, default=ROOT / "mkdocs.yml")
    sub.add_argument("-d", "--site-dir", type=Path, default=ROOT / "site")
    sub.set_defaults(run=build)
    sub = commands.add_parser("check", parents=[root], help="validate content/ without building")
    sub.add_argument("--overdue", action="store_true", help="list only entries past their review date")
    sub.set_defaults(run=check)
    sub = commands.add_parser("new", parents=[root], help="start a new content file")
    sub.add_argument("kind", choices=sorted(SKELETONS))
    sub.add_argument("name", help="the title (programme, service, dataset) or the year, e.g. 2024-25")
    sub.set_defaults(run=new)
    sub = commands.add_parser("urls", parents=[root], help="rewrite published-urls.txt")
    sub.set_defaults(run=urls)
    sub = commands.add_parser("export", help="write a plain project (no hooks) that stock mkdocs builds")
    sub.add_argument("dir", type=Path, help="the folder to write (outside docs/; an earlier export is replaced)")
    sub.add_argument("-f", "--config-file", type=Path, default=ROOT / "mkdocs.yml")
    sub.set_defaults(run=export)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
