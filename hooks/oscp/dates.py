"""The dates a build stamps: its clock, taken from the commit, and each page's own date.

Two builds of one commit on different days must give the same bytes, so the build's clock
is ``SOURCE_DATE_EPOCH`` (https://reproducible-builds.org/specs/source-date-epoch/): when
it is not set, :func:`ensure_source_date_epoch` sets it to the time of the last commit.
mkdocs reads it for every date it stamps (the gzip header of sitemap.xml.gz, pages' build
date). A page's own date (its sitemap ``lastmod``) is its entry's ``last_reviewed``, or,
for hand-written pages and listings without review dates, the last commit of its file.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from .addresses import index_uri, own_page, page_uri
from .model import KINDS, Content

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"


def _git(root: Path, *args: str) -> str | None:
    """The output of a git command in ``root``, or None when git or the repository is missing."""
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                                timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def _day(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).date().isoformat()


def commit_epoch(root: Path) -> int | None:
    """The time of the last commit of the repository holding ``root``, in seconds."""
    out = _git(root, "log", "-1", "--format=%ct")
    return int(out.strip()) if out and out.strip().isdigit() else None


def ensure_source_date_epoch(root: Path) -> int | None:
    """The build's clock: ``SOURCE_DATE_EPOCH`` if set, else the last commit's time (then set
    in the environment for mkdocs to read); None when neither is known."""
    value = os.environ.get(EPOCH_VARIABLE, "").strip()
    if value.isdigit():
        return int(value)
    epoch = commit_epoch(root)
    if epoch is not None:
        os.environ[EPOCH_VARIABLE] = str(epoch)
    return epoch


def commit_dates(root: Path, *folders: str) -> dict[str, str]:
    """The date (UTC) of the last commit of each file under ``folders``, keyed by its path
    relative to ``root``. Empty when git is unavailable."""
    out = _git(root, "log", "--format=%x00%ct", "--name-only", "--relative", "--", *folders)
    dates: dict[str, str] = {}
    if not out:
        return dates
    day = ""
    for line in out.splitlines():
        if line.startswith("\0"):
            day = _day(int(line[1:]))
        elif line.strip():
            dates.setdefault(line.strip(), day)
    return dates


def page_dates(content: Content, docs_dir: Path, root: Path, generated: Iterable[str]) -> dict[str, str]:
    """Each page's own date, keyed by its source path in the docs tree (``about.md``,
    ``programmes/nightsafe.md``), for every hand-written page and every ``generated`` page:
    an entry's ``last_reviewed``; for a listing, the latest ``last_reviewed`` of its entries
    or else the last commit of their folder; for a hand-written page, its file's last commit.
    A page with none of these gets the build's clock (``SOURCE_DATE_EPOCH``) when it is set,
    and is left out otherwise."""
    commits = commit_dates(root, docs_dir.name, "content")
    clock = os.environ.get(EPOCH_VARIABLE, "").strip()
    fallback = _day(int(clock)) if clock.isdigit() else None
    known: dict[str, str] = {}
    for kind in KINDS.values():
        entries = content.of(kind.name)
        reviewed = [e.data["last_reviewed"] for e in entries.values() if e.data.get("last_reviewed")]
        folder_dates = [d for path, d in commits.items() if path.startswith(f"content/{kind.folder}/")]
        index_date = max(reviewed, default=None) or max(folder_dates, default=None)
        if index_date:
            known[index_uri(kind.name)] = max(index_date, known.get(index_uri(kind.name), ""))
        if own_page(kind.name):
            for entry_id, entry in entries.items():
                day = entry.data.get("last_reviewed") or commits.get(f"content/{kind.folder}/{Path(entry.path).name}")
                if day:
                    known[page_uri(kind.name, entry_id)] = day
    uris = [p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md")]
    dates: dict[str, str] = {}
    for uri in sorted({*uris, *generated}):
        day = known.get(uri) or commits.get(f"{docs_dir.name}/{uri}") or fallback
        if day:
            dates[uri] = day
    return dates
