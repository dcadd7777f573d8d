"""Build the site into a temporary folder and replace the output folder only on success.

A failed build (bad content, a broken link in strict mode) leaves the last good site
untouched. Usage:

    python scripts/build.py [-f mkdocs.yml] [-d site]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # silence material's end-of-life banner

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.exceptions import Abort, ConfigurationError  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _logging() -> None:
    """Show mkdocs's messages as its own command line does: 'LEVEL   -  message'."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if os.environ.get("OSCP_VERBOSE") else logging.WARNING)
    logger.propagate = False


def build_site(config_file: Path, site_dir: Path) -> bool:
    """Build strictly into a fresh folder beside ``site_dir``; swap it in if the build passes."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-build-", dir=site_dir.parent))
    try:
        config = load_config(str(config_file), site_dir=str(staging), strict=True)
        build(config)
    except (Abort, ConfigurationError) as exc:
        print(str(exc), file=sys.stderr)
        shutil.rmtree(staging, ignore_errors=True)
        return False
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site_dir.parent))
        site_dir.rename(old / "site")
    staging.rename(site_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-f", "--config-file", type=Path, default=ROOT / "mkdocs.yml")
    parser.add_argument("-d", "--site-dir", type=Path, default=ROOT / "site")
    args = parser.parse_args()
    _logging()
    if not build_site(args.config_file, args.site_dir):
        print("Build failed; the previous site was left as it was.", file=sys.stderr)
        return 1
    print(f"Site built in {args.site_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
