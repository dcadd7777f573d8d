"""Fuzzed loading: real content files, mutated by Hypothesis, must load or be refused cleanly.

Each example takes one file of the minimal fixture and truncates it, flips or inserts bytes,
swaps a value for one of another type, nests values deeply, adds long strings, control
characters, invalid UTF-8 or hostile Markdown, then loads the fixture in-process through
oscp.load (as `make check` and `make build` do). It must either load or raise ContentError
whose problems name a content file, with a line and column wherever a position exists, and
never take more than 10 s. A smaller end-to-end part checks that refused builds leave site/
alone. What Hypothesis has found is kept in tests/fixtures/broken/.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oscp.load import load_content
from oscp.problems import ContentError
from tests.sitebuild import FIXTURES, REPO, make_fixture, run_build

FILES = sorted(p.relative_to(FIXTURES / "minimal").as_posix()
               for p in (FIXTURES / "minimal" / "content").rglob("*.yml"))
#: problems that concern a whole file, not a place in it
WHOLE_FILE = ("file is empty", "cannot be read", "KB, over the", "not valid YAML")
PROBLEM = re.compile(r"^content/[\w./-]+(:\d+:\d+)?: \S")
HOSTILE = ["{: onmouseover=alert(1) }", "[x][r]\n\n[r]: javascript:alert(1)", "[y]: <javascript:1>",
           "![i](https://evil.example/x.png)", "[" * 3000, "- " * 200 + "x", "java\tscript:", "*[A]: b",
           "--8<-- \"x\"", "\u202e", "&#106;avascript:", "{#oscp-exit}", "```{ .a onclick=b }\n```"]
VALUES = ["[]", "{}", "5", "-1", ".nan", ".inf", "1" * 5000, "null", "true", "'x'", "[" * 500, "{a: " * 200,
          '"\\0\\e\\u202e"', "!!python/object:os.system x", "*alias", "&a x", "x" * 20_000, "2099-13-45"]


def _mutate(data: bytes, draw) -> bytes:  # noqa: ANN001 - Hypothesis's draw
    operation = draw(st.sampled_from(["truncate", "flip", "insert", "swap", "nest", "long", "control",
                                      "utf8", "markdown"]))
    at = draw(st.integers(0, len(data)))
    if operation == "truncate":
        return data[:at]
    if operation == "flip":
        flips = draw(st.lists(st.tuples(st.integers(0, max(len(data) - 1, 0)), st.integers(1, 255)),
                              min_size=1, max_size=8))
        out = bytearray(data)
        for index, mask in flips:
            if out:
                out[index] ^= mask
        return bytes(out)
    if operation == "insert":
        return data[:at] + draw(st.binary(min_size=1, max_size=40)) + data[at:]
    lines = data.decode("utf-8").split("\n")
    row = draw(st.integers(0, len(lines) - 1))
    if operation == "swap":
        key = lines[row].split(":", 1)[0]
        if ":" in lines[row]:
            lines[row] = f"{key}: {draw(st.sampled_from(VALUES))}"
        return "\n".join(lines).encode("utf-8")
    if operation == "nest":
        depth = draw(st.integers(30, 50_000))
        lines.insert(row, "deep: " + draw(st.sampled_from(["[", "{a: ", "- "])) * depth)
        return "\n".join(lines).encode("utf-8")
    if operation == "long":
        return data[:at] + draw(st.sampled_from([b"x", b"[", b"*", b"\\", b" "])) * draw(st.integers(1, 300_000)) \
            + data[at:]
    if operation == "control":
        char = draw(st.sampled_from(["\x00", "\x1b", "\x07", "\u202e", "\u2028", "\ufeff", "\x85", "\r", "\t"]))
        return data[:at] + char.encode("utf-8") + data[at:]
    if operation == "utf8":
        return data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"])) + data[at:]
    payload = draw(st.sampled_from(HOSTILE))
    text = "\n".join(lines)
    if "body: |\n" in text:
        indented = "\n".join("  " + line for line in payload.split("\n"))
        return text.replace("body: |\n", "body: |\n" + indented + "\n", 1).encode("utf-8")
    return (text + "\nbody: " + repr(payload) + "\n").encode("utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "project"
    shutil.copytree(FIXTURES / "minimal", root)
    shutil.copytree(REPO / "content" / "schemas", root / "content" / "schemas")
    return root


#: 2,000 examples or more in all, spread over the files so that workers share them
EXAMPLES_PER_FILE = -(-2000 // len(FILES))


@pytest.mark.parametrize("name", FILES)
@settings(max_examples=EXAMPLES_PER_FILE, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_mutated_content_loads_or_is_refused_cleanly(project: Path, name: str, data) -> None:  # noqa: ANN001
    path = project / name
    original = path.read_bytes()
    mutated = _mutate(original, data.draw)
    _rewrite(path, mutated)
    started = time.monotonic()
    try:
        load_content(project / "content")
    except ContentError as exc:
        for problem in exc.problems:
            text = problem.format()
            assert PROBLEM.match(text), text
            assert problem.line is not None or any(w in problem.message for w in WHOLE_FILE) \
                or problem.path.endswith("/"), text
    finally:
        _rewrite(path, original)
    assert time.monotonic() - started < 10


def _rewrite(path: Path, data: bytes) -> None:
    """Write ``path`` anew: ext4 makes truncating a file and writing it again wait for the disk
    (1.5 ms here, twice an example), so the old file is removed first."""
    path.unlink()
    path.write_bytes(data)


def test_refused_hostile_builds_leave_the_site_alone(tmp_path: Path) -> None:
    project = make_fixture(tmp_path / "project")
    site = project / "site"
    assert run_build(project / "mkdocs.yml", site).returncode == 0
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    target = project / "content" / "programmes" / "test-programme.yml"
    good = target.read_text(encoding="utf-8")
    for hostile in ["title: [" + "[" * 30_000, "body: |\n  {: onmouseover=alert(1) }\n  text\n",
                    "body: |\n  [x][r]\n\n  [r]: javascript:alert(1)\n"]:
        key = hostile.split(":", 1)[0]
        lines = [line for line in good.split("\n") if not line.startswith(key + ":")]
        target.write_text("\n".join(lines) + "\n" + hostile + "\n", encoding="utf-8")
        result = run_build(project / "mkdocs.yml", site)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
        assert after == before
        assert [p.name for p in project.iterdir() if p.name.startswith(".site-")] == []
