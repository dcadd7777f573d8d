"""The process's cache of compiled templates: reused by the next build, never stale."""

from __future__ import annotations

import os
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from oscp.template_cache import ProcessBytecodeCache, keep_compiled


def _render(folder: Path, cache_kind: str) -> str:
    env = keep_compiled(Environment(loader=FileSystemLoader(str(folder))), cache_kind)
    return env.get_template("page.html").render(name="reader")


def test_a_new_environment_reuses_the_compiled_template(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    (tmp_path / "page.html").write_text("Hello {{ name }}", encoding="utf-8")
    assert _render(tmp_path, "test-reuse") == "Hello reader"
    compiled = []
    original = ProcessBytecodeCache.load_bytecode
    monkeypatch.setattr(ProcessBytecodeCache, "load_bytecode",
                        lambda self, bucket: (original(self, bucket), compiled.append(bucket.code is not None)))
    assert _render(tmp_path, "test-reuse") == "Hello reader"
    assert compiled == [True]


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("Hello {{ name }}", encoding="utf-8")
    assert _render(tmp_path, "test-edit") == "Hello reader"
    page.write_text("Goodbye {{ name }}", encoding="utf-8")
    os.utime(page, (1, 1))  # even with an older modification time: the source's checksum decides
    assert _render(tmp_path, "test-edit") == "Goodbye reader"
