"""The skeletons editors start new content files from (`make new-programme NAME=...`,
`python -m oscp new KIND NAME`).

Every text an editor must write is marked "REPLACE: ...". Each skeleton cites the first
report in content/sources/ with `at: "REPLACE: paragraph"`. The review dates are today and
six months from today. An existing file is never overwritten.
"""

from __future__ import annotations

import calendar
import json
import re
import unicodedata
from datetime import date
from pathlib import Path

from .load import display_path
from .model import KINDS

MAX_SLUG = 60
YEAR = re.compile(r"^[0-9]{4}-[0-9]{2}$")
LINE = re.compile(r"^[^\n\r<>]{1,200}$")


class ScaffoldError(Exception):
    """The file cannot be written; the message says why and what to do."""


def slugify(name: str) -> str:
    """Lower-case words joined by hyphens: 'Women's Safety & Support' -> 'womens-safety-and-support'."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = text.replace("&", " and ").replace("'", "").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:MAX_SLUG].rstrip("-")


def add_months(day: date, months: int) -> date:
    """``day`` moved on by ``months`` calendar months (31 August + 6 -> 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def first_source(content: Path) -> str:
    """The id of the first report in content/sources/ (by file name)."""
    files = sorted(p for p in (content / KINDS["source"].folder).glob("*.yml") if not p.name.startswith("."))
    if not files:
        raise ScaffoldError("content/sources/ has no reports to cite: add the report first")
    for line in files[0].read_text(encoding="utf-8").splitlines():
        if line.startswith("id:"):
            return line.split(":", 1)[1].strip().strip("'\"")
    return files[0].stem


def _header(kind: str) -> str:
    return f"# yaml-language-server: $schema=../schemas/{kind}.schema.json\n"


def _dates(today: date) -> str:
    return (f"last_reviewed: {today.isoformat()}\n"
            f"review_by: {add_months(today, 6).isoformat()}\n")


def programme(slug: str, name: str, source: str, today: date) -> str:
    """A programme skeleton."""
    return _header("programme") + f"""slug: {slug}
title: {_q(name)}
summary: "REPLACE: one line saying what the programme does"
in_short: "REPLACE: two or three short, plain sentences saying what it does, for residents"
status:  # running (a report from 2022-23 or later says it runs), last-reported or ended
  state: running
  year: {today.year}  # REPLACE: the year of the report that says so
  source: {{source: {source}, at: "REPLACE: paragraph"}}
# started: {{year: 2010, since_at_least: true, source: {{source: {source}, at: "paragraph"}}}}
#   only when a report gives a start year; since_at_least when it only shows it running then
audience: "REPLACE: who the programme is for"
body: |
  REPLACE: what the programme does, in plain words, as the report says it.

  ### REPLACE: a named part of the programme

  REPLACE: more detail.
# In body, link to another programme like this: [NightSafe](nightsafe.md)
# services: [police-101]          ids of files in content/services/
# partners: [oxford-city-council] ids of files in content/organisations/
# datasets: []                    ids of files in content/datasets/
sources:
  - {{source: {source}, at: "REPLACE: paragraph"}}
keywords: ["REPLACE: a word residents might search for"]
""" + _dates(today)


def service(slug: str, name: str, source: str, today: date) -> str:
    """A service skeleton."""
    return _header("service") + f"""id: {slug}
name: {_q(name)}
purpose: "REPLACE: what the service is for"
audience: "REPLACE: who can use it"
# Add contact details only from a public source, and name it in contact_source:
# phone: "0800 555 111"
# web: https://www.example.org/
# hours: 24 hours a day, every day
emergency: false  # true only for emergency lines such as 999
contact_source:
  title: "REPLACE: title of the report or web page that gives the contact details"
  source: {source}
  at: "REPLACE: paragraph"
  # or, for a web page, instead of source and at:  url: https://... and checked: YYYY-MM-DD
keywords: ["REPLACE: a word residents might search for"]
""" + _dates(today)


def dataset(slug: str, name: str, source: str, today: date) -> str:
    """A dataset skeleton with one chart."""
    return _header("dataset") + f"""id: {slug}
title: {_q(name)}
measures: "REPLACE: what the numbers measure"
period: "REPLACE: the period, e.g. January to December 2024"
unit: "REPLACE: what is counted, e.g. cases"
label_heading: "REPLACE: heading of the label column, e.g. Month"
labels: ["REPLACE: first label", "REPLACE: second label"]
series:
  - name: "REPLACE: what this series counts"
    values: [null, null]  # REPLACE: one number per label, without commas; null where none
source: {{source: {source}, at: "REPLACE: paragraph or table"}}
charts:
  - type: bar  # bar, horizontal-bar, stacked-bar, line or pie
    title: "REPLACE: a title that states the finding"
    summary: "REPLACE: one or two sentences saying what the chart shows"
""" + _dates(today)


def priorities(year: str, source: str, today: date) -> str:
    """A priorities skeleton for one year."""
    return _header("priorities") + f"""year: {_q(year)}
partnership: oscp  # oscp (the city partnership) or sop (the county partnership)
source: {{source: {source}, at: "REPLACE: paragraph"}}
intro: |
  REPLACE: when and how the partnership agreed these priorities.
priorities:
  - id: replace-me  # REPLACE: a short id in lower-case words joined by hyphens
    title: "REPLACE: the priority, in one line"
    # programmes: [nightsafe]   programmes that deliver it
    source: {{source: {source}, at: "REPLACE: paragraph"}}
""" + _dates(today)


def scaffold(kind: str, name: str, root: Path, today: date | None = None) -> Path:
    """Write the skeleton for a new ``kind`` entry called ``name`` under ``root``; return its path."""
    if kind not in SKELETONS:
        raise ScaffoldError(f"unknown kind {kind!r} (use one of: {', '.join(SKELETONS)})")
    today = today or date.today()
    content = root / "content"
    if not content.is_dir():
        raise ScaffoldError(f"{content} not found (run this in the project, or pass --root)")
    source = first_source(content)
    name = name.strip()
    if kind == "priorities":
        if not YEAR.match(name):
            raise ScaffoldError(f"{name!r} is not a year such as 2024-25")
        file_id, text = name, SKELETONS[kind](name, name, source, today)
    else:
        if not LINE.match(name):
            raise ScaffoldError(f"{name!r} must be one line of up to 200 characters, without < or >")
        file_id = slugify(name)
        if not file_id:
            raise ScaffoldError(f"{name!r} has no letters or digits to make a page address from")
        text = SKELETONS[kind](file_id, name, source, today)
    path = content / KINDS[kind].folder / f"{file_id}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{display_path(path, root)} already exists; edit it, or choose another name") from None
    return path


#: The kinds an editor can start from a skeleton; each takes (id or year, name, source, today).
SKELETONS = {"programme": programme, "service": service, "dataset": dataset,
             "priorities": lambda year, _name, source, today: priorities(year, source, today)}
