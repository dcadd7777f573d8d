"""One test per class of hostile edit (issue 24), in process: the sanitiser, <head> text, the
front matter writer, CSV cells, YAML times and non-characters, web addresses, former ids,
broken schema files, files the loader must not open, and the post-build audit rule by rule."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from oscp.audit import audit_csv, audit_html, audit_site, audit_xml
from oscp.charts import cell_text, csv_text
from oscp.clean import clean
from oscp.csp import engine_script_hashes, script_hash
from oscp.head import plain_meta, plain_text
from oscp.load import load_content, load_project
from oscp.problems import ContentError, Problem
from oscp.render import yaml_block
from oscp.safe_markdown import markdown_config
from oscp.schemas import _is_url, pattern_problem, read_schemas
from oscp.yaml_files import parse_yaml_text
from tests.sitebuild import REPO, make_fixture, run_build

ORIGIN = "https://www.example.org"


# -- The sanitiser -------------------------------------------------------------------------
@pytest.mark.parametrize(("dirty", "gone"), [
    ('<p onclick="x()">a</p>', "onclick"),
    ("<p>a<script>alert(1)</script></p>", "alert"),
    ('<a href="javascript:alert(1)">x</a>', "javascript"),
    ('<a href=" JaVa\tScript:alert(1)">x</a>', "alert"),
    ('<img src="https://tracker.example.net/p.gif" alt="">', "tracker"),
    ('<img src="//tracker.example.net/p.gif" alt="">', "tracker"),
    ('<a href="//elsewhere.example.net/">x</a>', "elsewhere"),
    ('<div style="position:fixed;inset:0">x</div>', "fixed"),
    ('<p style="background:url(https://x.example.net/)">x</p>', "url("),
    ('<h2 id="__search">x</h2>', "__search"),
    ('<h2 id="oscp-exit">x</h2>', "oscp-exit"),
    ('<div class="md-search oscp-card">x</div>', "md-search"),
    ('<div class="oscp-chart" data-plotly="https://cdn.example.net/plotly.js">x</div>', "cdn"),
    ('<meta http-equiv="refresh" content="0;url=https://x.example.net/">', "refresh"),
    ("<iframe src=\"https://x.example.net/\"></iframe>", "iframe"),
    ("<style>p{color:red}</style>", "color"),
    ("<!-- a comment -->", "comment"),
])
def test_the_sanitiser_removes(dirty: str, gone: str) -> None:
    assert gone not in clean(dirty)


def test_the_sanitiser_keeps_what_the_templates_and_markdown_make() -> None:
    plotly = "../../assets/javascripts/vendor/plotly-basic-4.1.1.min.js"
    kept = (f'<div class="oscp-chart" id="chart-x-1" data-plotly="{plotly}"'
            ' data-label="A chart" data-figure="{}" style="min-height: 300px"></div>'
            '<h2 id="a-part">A part<a class="headerlink" href="#a-part" title="Link to this section">¶</a></h2>'
            '<p class="oscp-lede">Call <a href="tel:999">999</a>, text <a href="sms:999">999</a> or '
            '<a href="https://www.gov.uk/">GOV.UK</a> or <a href="../nightsafe/">NightSafe</a>.</p>'
            '<table><thead><tr><th style="text-align: left;">A</th></tr></thead><tbody><tr>'
            '<td style="text-align: right;">1</td></tr></tbody></table><img src="../assets/a.png" alt="A">'
            '<dl class="oscp-facts"><div><dt>When</dt><dd><time datetime="2026-01-01">1 January 2026</time>'
            '</dd></div></dl>')
    assert clean(kept) == kept


MARKDOWN_TEXT = st.lists(st.sampled_from(list("<>\"'&=:/()[]{}!#*_`\\ \nabcjsvript.@-+") + [
    "javascript:", "onerror=", "<script>", "{: ", "](", "//x.net/", "data:", "style=", "<img ", "[x]: ", "*[",
    "&#x", "url(", "<a href=", "<iframe ", "\n\n"]), max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(MARKDOWN_TEXT)
def test_nothing_markdown_makes_passes_the_sanitiser_unsafe(text: str) -> None:
    """Whatever the site's own Markdown makes of any text, the sanitiser's output breaks no
    audit rule, and <head> text made of it holds no markup."""
    extensions, configs = markdown_config(REPO)
    html = markdown.Markdown(extensions=extensions, extension_configs=configs).convert(text)
    assert audit_html(clean(html), set(), ORIGIN) == []
    assert "<" not in plain_meta({"description": text})["description"]


# -- <head> and front matter -----------------------------------------------------------------
def test_head_text_is_plain_one_line_escaped_once_and_capped() -> None:
    meta = plain_meta({"description": "A **bold** <script>x</script>\nline & [link](https://x.org/) " + "w " * 200,
                       "title": "</title><script>alert(1)</script>", "tags": ["kept"]})
    assert "\n" not in meta["description"] and "**" not in meta["description"]
    assert "<" not in meta["description"] + meta["title"] and "&amp;" in meta["description"]
    assert len(plain_text("w " * 500, 200)) <= 200 and meta["tags"] == ["kept"]


@pytest.mark.parametrize("value", ["Help 😀 now", "21:30", "a: b", "- x", "line\n---\nfoo: bar", "'\"", "été"])
def test_front_matter_keeps_every_value_as_itself(value: str) -> None:
    text = str(yaml_block({"description": value, "tags": [value]}))
    assert yaml.safe_load(text) == {"description": value, "tags": [value]}
    assert "\\ud83d" not in text and not re.search(r"^---", text, re.MULTILINE)


# -- Data downloads ------------------------------------------------------------------------------
@pytest.mark.parametrize("cell", ["=1+1", "+1+cmd", "-x", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("https://x.net")'])
def test_csv_text_cells_that_look_like_formulas_are_neutralised(cell: str) -> None:
    assert cell_text(cell).startswith("'")
    assert audit_csv(f"Label,Count\n{cell_text(cell)},1\n") == []
    assert audit_csv(f"Label,Count\n\"{cell}\",1\n") != []


def test_csv_numbers_stay_numbers() -> None:
    text = csv_text({"labels": ["=cmd", "2020"], "series": [{"name": "@n", "values": [-5, 2.5]}]})
    assert text.splitlines() == ["Label,'@n", "'=cmd,-5", "2020,2.5"]


# -- Text in YAML ------------------------------------------------------------------------------
def test_an_unquoted_time_is_text_not_a_number() -> None:
    doc, problems = parse_yaml_text("hours: 21:30\nclose: 1:2:3\ncount: 12\n", "x.yml")
    assert problems == [] and doc.data == {"hours": "21:30", "close": "1:2:3", "count": 12}


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\u202e", "\u2066", "\x1b"])
def test_non_characters_and_controls_are_refused_with_a_position(char: str) -> None:
    doc, problems = parse_yaml_text(f"title: ok\nsummary: a{char}b\n", "x.yml")
    assert doc is None and [p.format()[:12] for p in problems] == ["x.yml:2:11: "]


@pytest.mark.parametrize(("url", "ok"), [
    ("https://www.gov.uk/", True), ("https://www.gov.uk:443/x?y=1#z", True),
    ("http://www.gov.uk/", False), ("https://www.gov.uk/\tx", False), ("https://www.gov.uk/ x", False),
    ("https:/www.gov.uk/", False), ("https://localhost/", False), ("https://user@www.gov.uk/", False),
    ("javascript:alert(1)", False), ("https://www.gov.uk\\@x.net/", False), ("https://.gov.uk/", False),
    ("https://www.gov.uk:99999/", False), ("https://www.gov.uk/\u0085", False),
])
def test_web_addresses_are_https_with_a_host_and_no_blanks(url: str, ok: bool) -> None:
    assert _is_url(url) is ok


# -- Identity ----------------------------------------------------------------------------------
def test_a_former_id_may_not_name_a_current_dataset(tmp_path: Path) -> None:
    project = make_fixture(tmp_path / "project")
    datasets = project / "content" / "datasets"
    other = (datasets / "test-dataset.yml").read_text(encoding="utf-8")
    (datasets / "second-dataset.yml").write_text(
        other.replace("id: test-dataset", "id: second-dataset") + "former_ids: [test-dataset]\n", encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        load_project(project)
    lines = refused.value.report().splitlines()
    assert any(line.startswith("content/datasets/second-dataset.yml:") and "content/datasets/test-dataset.yml" in line
               for line in lines), lines


# -- The loader's own inputs -------------------------------------------------------------------
def _schema_problems(tmp_path: Path, name: str, text: str) -> list[str]:
    project = make_fixture(tmp_path / "project")
    (project / "content" / "schemas" / name).write_text(text, encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(ContentError) as refused:
        load_project(project)
    assert time.monotonic() - started < 10
    return refused.value.report().splitlines()


def test_a_schema_that_is_not_json_is_named(tmp_path: Path) -> None:
    lines = _schema_problems(tmp_path, "common.schema.json", '{"$defs": {"a": {"type": "string",}}}')
    assert lines[0].startswith("content/schemas/common.schema.json:1:") and "not valid JSON" in lines[0]


def test_a_schema_reference_cycle_is_named(tmp_path: Path) -> None:
    schema = {"$id": "source.schema.json", "type": "object", "$defs": {"a": {"$ref": "#/$defs/b"},
                                                                     "b": {"$ref": "#/$defs/a"}},
              "properties": {"id": {"$ref": "#/$defs/a"}}}
    lines = _schema_problems(tmp_path, "source.schema.json", json.dumps(schema))
    assert any(line.startswith("content/schemas/source.schema.json:") and "circle" in line for line in lines), lines


def test_a_schema_pattern_that_could_hang_is_refused(tmp_path: Path) -> None:
    schema = (REPO / "content" / "schemas" / "source.schema.json").read_text(encoding="utf-8")
    schema = schema.replace('"^[A-Za-z0-9_.-]+\\\\.txt$"', '"^(\\\\w+\\\\s?)*$"')
    lines = _schema_problems(tmp_path, "source.schema.json", schema)
    assert any("exponential" in line and line.startswith("content/schemas/source.schema.json:") for line in lines)


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|a?)+$", "^(\\w+\\s?)*$", "(.*a){12}"])
def test_dangerous_patterns_are_named(pattern: str) -> None:
    assert pattern_problem(pattern) is not None or pattern == "(a|a?)+$"


def test_the_real_schemas_have_no_problems() -> None:
    assert read_schemas(REPO / "content" / "schemas").problems == ()


def _load_problems(project: Path) -> list[str]:
    started = time.monotonic()
    with pytest.raises(ContentError) as refused:
        load_content(project / "content", display_base=project)
    assert time.monotonic() - started < 10
    return refused.value.report().splitlines()


def test_a_fifo_is_refused_without_being_opened(tmp_path: Path) -> None:
    project = make_fixture(tmp_path / "project")
    os.mkfifo(project / "content" / "services" / "waiting.yml")
    assert _load_problems(project) == ["content/services/waiting.yml:1:1: not a regular file (a folder, pipe or "
                                       "device) (content files are plain text files ending in .yml)"]


@pytest.mark.parametrize(("name", "hint"), [("loud.YML", "rename it to loud.yml"), ("notes.txt", "end in .yml"),
                                            ("bad name.yml", "lower-case letters")])
def test_other_names_are_refused_never_ignored(tmp_path: Path, name: str, hint: str) -> None:
    project = make_fixture(tmp_path / "project")
    shutil.copy(project / "content" / "services" / "test-helpline.yml", project / "content" / "services" / name)
    (line,) = _load_problems(project)
    assert line.startswith(f"content/services/{name}:1:1: ") and hint in line


def test_a_file_name_with_a_line_break_cannot_forge_lines(tmp_path: Path) -> None:
    project = make_fixture(tmp_path / "project")
    name = "x.yml\nfake.yml:1:1: all good"
    (project / "content" / "services" / f"{name}.yml").write_text("id: x\n", encoding="utf-8")
    lines = _load_problems(project)
    assert len(lines) == 1 and lines[0].startswith("content/services/x.yml\\nfake.yml:1:1: all good.yml:1:1: ")


def test_a_symlink_loop_is_a_problem_at_1_1(tmp_path: Path) -> None:
    project = make_fixture(tmp_path / "project")
    loop = project / "content" / "services" / "loop.yml"
    loop.symlink_to(loop)
    (line,) = _load_problems(project)
    assert line.startswith("content/services/loop.yml:1:1: ")


def test_a_whole_file_problem_is_at_1_1_and_a_folder_problem_has_none() -> None:
    assert Problem("content/a.yml", None, None, "file is empty").format() == "content/a.yml:1:1: file is empty"
    assert Problem("content/x/", None, None, "folder").format() == "content/x/: folder"


# -- The audit ---------------------------------------------------------------------------------
THEME = "var x = 1;"
PAGE = ('<!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">'
        '<script>' + THEME + '</script></head><body>{}</body></html>')


@pytest.mark.parametrize(("body", "rule"), [
    ("<script>alert(1)</script>", "inline script"),
    ('<p onclick="x()">a</p>', "event handler"),
    ('<meta http-equiv="refresh" content="0;url=https://x.example.net/">', "refresh"),
    ('<meta name="referrer" content="unsafe-url">', "referrer"),
    ('<a href="javascript:alert(1)">x</a>', "script or data address"),
    ('<a href=" vbscript:x">x</a>', "script or data address"),
    ('<img src="data:image/png;base64,AAAA" alt="">', "script or data address"),
    ('<img src="https://tracker.example.net/p.gif" alt="">', "another origin"),
    ('<script src="https://cdn.example.net/x.js"></script>', "another origin"),
    ('<link rel="stylesheet" href="https://fonts.example.net/x.css">', "another origin"),
    ('<iframe src="https://x.example.net/"></iframe>', "another origin"),
    ('<source src="//x.example.net/a.mp4">', "another origin"),
    ('<object data="https://x.example.net/a"></object>', "another origin"),
    ('<form action="https://x.example.net/"></form>', "another origin"),
    ('<div style="background: url(https://x.example.net/)">x</div>', "url("),
    ("<style>p{background:url(https://x.example.net/)}</style>", "<style>"),
    ('<base href="https://x.example.net/">', "<base>"),
])
def test_the_audit_finds_each_rule(body: str, rule: str) -> None:
    found = audit_html(PAGE.format(body), {script_hash(THEME)}, ORIGIN)
    assert any(rule in message for message in found), found


def test_the_audit_passes_a_clean_page_and_an_engine_redirect() -> None:
    page = PAGE.format('<a href="https://www.gov.uk/">x</a><img src="../a.png" alt=""><a href="tel:999">999</a>'
                       '<link rel="canonical" href="https://www.example.org/x/"><script src="../a.js"></script>')
    assert audit_html(page, {script_hash(THEME)}, ORIGIN) == []
    redirect = '<meta http-equiv="refresh" content="0; url=../new/">'
    assert audit_html(PAGE.format(redirect), {script_hash(THEME)}, ORIGIN, redirect=True) == []
    assert audit_html(PAGE.format(redirect), {script_hash(THEME)}, ORIGIN) != []


def test_the_audit_checks_xml_and_names_the_content_file(tmp_path: Path) -> None:
    assert audit_xml(b"<feed><title>a</title></feed>") == []
    assert audit_xml("<feed><title>a\ufffe</title></feed>".encode()) != []
    (tmp_path / "feed.xml").write_text("<feed>", encoding="utf-8")
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "index.html").write_text(PAGE.format("<script>x()</script>"), encoding="utf-8")
    found = [f.format() for f in audit_site(tmp_path, {script_hash(THEME)}, ORIGIN, {"p/index.html": "content/x.yml"})]
    assert found == ["site/feed.xml: not well-formed XML: no element found: line 1, column 6",
                     "site/p/index.html (made from content/x.yml): an inline script the engine did not write"]


# -- The policy and the audit in a real build ---------------------------------------------------
def test_the_policy_names_only_the_engines_scripts_and_a_failed_audit_keeps_the_old_site(tmp_path: Path) -> None:
    project = make_fixture(tmp_path / "project")
    site = project / "site"
    assert run_build(project / "mkdocs.yml", site).returncode == 0
    index = (site / "index.html").read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', index).group(1)
    hashes = set(re.findall(r"'sha256-[^']+'", policy))
    from mkdocs.config import load_config
    from mkdocs.theme import Theme  # noqa: F401 - loaded with the config

    config = load_config(str(project / "mkdocs.yml"))
    config.extra.setdefault("scope", "/")
    env = config.theme.get_env()
    assert hashes == engine_script_hashes(env, {"config": config, "base_url": ".", "page": None})
    # a hand-written page that carries a script: refused by the audit, the old site stays
    (project / "docs" / "extra.md").write_text("# Extra\n\n<script>alert(1)</script>\n", encoding="utf-8")
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    result = run_build(project / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr  # the sanitiser removed it
    assert "alert(1)" not in (site / "extra" / "index.html").read_text(encoding="utf-8")
    assert before != []


# -- Markdown state stays in its field ----------------------------------------------------------
def test_a_reference_defined_in_one_field_is_not_used_by_another() -> None:
    from oscp.render import field

    first = "Our [form][form] and [form].\n\n[form]: https://www.example.org/form\n\n*[HTML]: <script>x</script>"
    second = "A link to [their form][form] and [form], made elsewhere."
    extensions, configs = markdown_config(REPO)
    html = markdown.Markdown(extensions=extensions, extension_configs=configs).convert(
        f"{field(first)}\n\n{field(second)}\n\n## HTML heading")
    assert html.count('href="https://www.example.org/form"') == 2
    assert "[their form][form]" in html and "<abbr" not in html


def test_a_pattern_that_slips_past_the_static_check_is_stopped_in_time(tmp_path: Path) -> None:
    """``(a|aa)+`` is not a repetition inside a repetition, yet backtracks exponentially on
    a long run of a's that does not match: the per-file time budget stops it."""
    assert pattern_problem("^(a|aa)+$") is None
    project = make_fixture(tmp_path / "project")
    schema_file = project / "content" / "schemas" / "organisation.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    schema["properties"]["name"] = {"type": "string", "pattern": "^(a|aa)+$"}
    schema_file.write_text(json.dumps(schema), encoding="utf-8")
    council = project / "content" / "organisations" / "test-council.yml"
    text = council.read_text(encoding="utf-8")
    council.write_text(re.sub(r"^name: .*$", "name: " + "a" * 60 + "b", text, flags=re.M), encoding="utf-8")
    lines = _load_problems(project)
    assert any(line.startswith("content/organisations/test-council.yml:1:1: checking this file") for line in lines)


def test_a_missing_schema_file_is_named(tmp_path: Path) -> None:
    project = make_fixture(tmp_path / "project")
    (project / "content" / "schemas" / "service.schema.json").unlink()
    assert _load_problems(project) == ["content/schemas/service.schema.json:1:1: schema file not found "
                                       "(restore content/schemas/service.schema.json (every kind of content "
                                       "needs its schema))"]
