"""The real site for a whole test run: built once, in the background from the moment pytest
starts, and served on 127.0.0.1 until the run ends.

Under pytest-xdist the controller process builds and serves it (it has nothing else to do)
while the workers start and collect the tests, and each worker's ``real_site`` fixture waits
for the build (tests/conftest.py). Without xdist the test process does the same. The site is
built by the real build command in its own process, as `make build` runs it, for the address
it is served at: material's instant navigation follows only links to addresses in the site's
sitemap.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import IO

from tests.browser.server import SiteServer, listen, serve
from tests.sitebuild import REPO, build_command, build_env

#: how the controller tells the workers where the site is, and where it is served
FOLDER_VAR, ORIGIN_VAR = "OSCP_TESTS_REAL_SITE", "OSCP_TESTS_REAL_SITE_ORIGIN"


@dataclass
class RealSiteBuild:
    """The build started by :func:`start`, and the server started once it has succeeded."""

    folder: Path  # site/, with the build's output (build.log) and exit status (build.json)
    origin: str
    process: subprocess.Popen
    lock: IO[str]  # held until the build has ended and the site is served
    listening: ThreadingHTTPServer  # holds the site's port from the start, answers once served
    waiter: threading.Thread | None = None
    server: Iterator[SiteServer] | None = field(default=None, repr=False)

    def stop(self) -> None:
        """Stop the build if it is still running (an interrupted run), stop serving, and
        remove the site."""
        if self.process.poll() is None:
            self.process.kill()
        if self.waiter is not None:
            self.waiter.join()
        if self.server is not None:
            self.server.close()
        else:
            self.listening.server_close()
        shutil.rmtree(self.folder, ignore_errors=True)
        for name in (FOLDER_VAR, ORIGIN_VAR):
            os.environ.pop(name, None)


def start() -> RealSiteBuild:
    """Start building the real site in the background; the processes this one starts from
    now on (pytest-xdist's workers) find it through FOLDER_VAR and ORIGIN_VAR."""
    folder = Path(tempfile.mkdtemp(prefix="oscp-tests-real-site-"))
    listening = listen(folder / "site")  # the port is the site's from now on: no other process can take it
    origin = f"http://127.0.0.1:{listening.server_address[1]}"
    lock = (folder / "build.lock").open("w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    env = build_env(f"{origin}/")
    with (folder / "build.log").open("w", encoding="utf-8") as log:
        process = subprocess.Popen(build_command(REPO / "mkdocs.yml", folder / "site"), env=env,
                                   stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    build = RealSiteBuild(folder, origin, process, lock, listening)
    build.waiter = threading.Thread(target=_finish, args=(build,), daemon=True)
    build.waiter.start()
    os.environ.update({FOLDER_VAR: str(folder), ORIGIN_VAR: origin})
    return build


def _finish(build: RealSiteBuild) -> None:
    """Wait for the build; serve the site if it succeeded; then let the waiters in."""
    try:
        status = build.process.wait()
        (build.folder / "build.json").write_text(json.dumps({"returncode": status}), encoding="utf-8")
        if status == 0:
            build.server = serve(build.folder / "site", server=build.listening)
            next(build.server)
    finally:
        build.lock.close()


def wait() -> tuple[int, str, SiteServer]:
    """Wait until the run's real site is built and served (see start); the build's exit status
    and output, and the server."""
    folder, origin = Path(os.environ[FOLDER_VAR]), os.environ[ORIGIN_VAR]
    with (folder / "build.lock").open() as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)
    ended = folder / "build.json"
    status = json.loads(ended.read_text(encoding="utf-8"))["returncode"] if ended.is_file() else -1
    return status, (folder / "build.log").read_text(encoding="utf-8"), SiteServer(folder / "site", origin)
