"""Lighthouse (mobile, its default) on three pages of the real site, served gzipped on
127.0.0.1 as any static host serves it."""

from __future__ import annotations

import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from scripts.bench import ROOT, log
from scripts.bench.measure import timed_build

LIGHTHOUSE_PAGES = ("", "programmes/nightsafe/", "data/crt-cases-by-type-2022/")
LIGHTHOUSE_DIR = Path(tempfile.gettempdir()) / "oscp-bench-lighthouse"
CHROME = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")

class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files gzipped when the browser accepts it, as any static host does."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file() \
                or not self.path.split("?")[0].endswith(("/", ".html", ".css", ".js", ".json", ".xml", ".svg")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def _lighthouse_command() -> list[str]:
    """The lighthouse CLI: the repository's node_modules, else a private install in /tmp."""
    for candidate in (ROOT / "node_modules" / ".bin" / "lighthouse",
                      LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"):
        if candidate.exists():
            return [str(candidate)]
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed, so Lighthouse cannot be installed")
    log("installing lighthouse (npm install --no-save) into " + str(LIGHTHOUSE_DIR))
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
                             str(LIGHTHOUSE_DIR), "lighthouse"], capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError("npm install lighthouse failed: " + result.stderr.strip()[-2000:])
    return [str(LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse")]


@dataclass
class LighthouseRun:
    url: str
    scores: dict[str, int] = field(default_factory=dict)
    metrics: dict[str, str] = field(default_factory=dict)
    failed: dict[str, list[str]] = field(default_factory=dict)
    error: str = ""


def _read_report(url: str, report: dict[str, Any]) -> LighthouseRun:
    run = LighthouseRun(url)
    audits = report["audits"]
    for key, category in report["categories"].items():
        run.scores[key] = round((category["score"] or 0) * 100)
        run.failed[key] = [f"{audits[ref['id']]['title']} ({ref['id']})"
                           for ref in category["auditRefs"]
                           if ref["weight"] > 0 and audits[ref["id"]].get("score") not in (None, 1)
                           and audits[ref["id"]].get("scoreDisplayMode") in {"binary", "numeric"}]
    for metric in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                   "cumulative-layout-shift", "speed-index"):
        if metric in audits:
            run.metrics[metric] = audits[metric].get("displayValue", "")
    return run


def run_lighthouse(work: Path) -> list[LighthouseRun] | str:
    """Lighthouse (mobile, its default) on three pages of the real site served on 127.0.0.1;
    the runs, or why Lighthouse could not run."""
    try:
        command = _lighthouse_command()
    except (RuntimeError, subprocess.SubprocessError, OSError) as exc:
        return str(exc)
    if not Path(CHROME).exists():
        return f"{CHROME} not found (install Debian's chromium)"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_GzipHandler, directory=str(work / "site")))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    timed_build(ROOT / "mkdocs.yml", work / "site", site_url=base)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    runs = []
    try:
        for page in LIGHTHOUSE_PAGES:
            url = base + page
            log(f"lighthouse {url}")
            out = work / "report.json"
            result = subprocess.run(
                command + [url, "--output=json", f"--output-path={out}", "--quiet",
                           "--only-categories=performance,accessibility,best-practices,seo",
                           f"--chrome-flags={CHROME_FLAGS}"],
                capture_output=True, text=True, timeout=300, env=dict(os.environ, CHROME_PATH=CHROME))
            if result.returncode != 0 or not out.exists():
                runs.append(LighthouseRun(url, error=(result.stderr or result.stdout).strip()[-1500:]))
                continue
            runs.append(_read_report(url, json.loads(out.read_text(encoding="utf-8"))))
            out.unlink()
    except (subprocess.SubprocessError, OSError, ValueError, KeyError) as exc:
        return f"Lighthouse failed: {exc!r}"
    finally:
        server.shutdown()
        server.server_close()
    return runs

