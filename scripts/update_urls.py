"""Rewrite published-urls.txt from what the site now publishes (`make urls`).

Run it after adding pages, or after removing one on purpose. The build refuses to drop an
address listed there without a redirect.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from oscp.content import load_content  # noqa: E402
from oscp.pages import generate  # noqa: E402
from oscp.problems import ContentError  # noqa: E402
from oscp.render import TEMPLATES  # noqa: E402
from oscp.urls import MANIFEST, planned_urls, read_manifest, write_manifest  # noqa: E402


def main() -> int:
    try:
        content = load_content(ROOT / "content", display_base=ROOT)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    pages, files = generate(content, TEMPLATES, "/")
    urls = planned_urls(ROOT / "docs", [p.src_uri for p in pages] + list(files))
    path = ROOT / MANIFEST
    before = set(read_manifest(path)) if path.exists() else set()
    write_manifest(path, urls)
    for url in sorted(urls - before):
        print(f"added   {url}")
    for url in sorted(before - urls):
        print(f"removed {url}")
    print(f"{MANIFEST}: {len(urls)} addresses")
    return 0


if __name__ == "__main__":
    sys.exit(main())
