"""Validate content/ without building the site: the same checks and messages as the build.

Usage: python scripts/check_content.py [--overdue] [PROJECT_DIR]

Exit status 1 when there are errors. With --overdue, list only the entries whose review
date has passed (`make overdue`).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from oscp.checks import overdue  # noqa: E402
from oscp.content import load_content  # noqa: E402
from oscp.problems import ContentError  # noqa: E402


def main(argv: list[str]) -> int:
    only_overdue = "--overdue" in argv
    args = [a for a in argv[1:] if a != "--overdue"]
    root = Path(args[0] if args else Path(__file__).resolve().parent.parent).resolve()
    try:
        content = load_content(root / "content", sources_dir=root.parent / "shared" / "sources",
                               display_base=root)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found; nothing would be published.", file=sys.stderr)
        return 1
    late = overdue(content, date.today())
    if only_overdue:
        for problem in late:
            print(problem.format())
        print(f"{len(late)} entries past their review date")
        return 0
    for problem in content.warnings + late:
        print(problem.format(), file=sys.stderr)
    count = sum(len(entries) for entries in content.entries.values())
    print(f"content OK: {count} entries checked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
