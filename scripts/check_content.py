"""Validate content/ without building the site: the same checks and messages as the build.

Usage: python scripts/check_content.py [PROJECT_DIR]   (exit status 1 when there are errors)
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
    root = Path(argv[1] if len(argv) > 1 else Path(__file__).resolve().parent.parent).resolve()
    try:
        content = load_content(root / "content", sources_dir=root.parent / "shared" / "sources",
                               display_base=root)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found; nothing would be published.", file=sys.stderr)
        return 1
    for problem in content.warnings + overdue(content, date.today()):
        print(problem.format(), file=sys.stderr)
    count = sum(len(entries) for entries in content.entries.values())
    print(f"content OK: {count} entries checked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
