"""The safe build (`make build`): build strictly into a temporary folder, and replace the
output folder only on success, so a failed build (bad content, a broken link) leaves the
last good site untouched.
"""

from __future__ import annotations

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


def show_mkdocs_messages() -> None:
    """Show mkdocs's messages as its own command line does: 'LEVEL   -  message'."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    handler.set_name("oscp")
    logger = logging.getLogger("mkdocs")
    for earlier in [h for h in logger.handlers if h.get_name() == "oscp"]:
        logger.removeHandler(earlier)  # a build run before in this process (the tests)
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
