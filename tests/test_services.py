"""Help services: a page each, a short Get help hub, phone numbers as tel: links, advice right
for every caller, plain words, search weights, and refusal of bad service files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from oscp import readability
from tests.sitebuild import REPO, html_pages, make_fixture, page, run_oscp

SERVICES = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((REPO / "content" / "services").glob("*.yml"))}
UK_NUMBER = re.compile(r"\b0\d{3,4} \d{3} ?\d{3,4}\b")
RESIDENT_PAGES = ["", "find-help/", "get-help/"] + [f"get-help/{sid}/" for sid in SERVICES]


def _words(soup) -> int:
    return len(soup.select_one("article").get_text(" ", strip=True).split())


def test_every_service_has_its_own_page(real_site: Path) -> None:
    for sid, service in SERVICES.items():
        soup = page(real_site, f"get-help/{sid}/")
        assert soup.h1.contents[0].strip() == service["name"], sid
        text = soup.article.get_text(" ", strip=True)
        for label in ("Who it is for", "About this service"):
            assert label in text, (sid, label)
        if service.get("hours"):
            assert "When it is open" in text and service["hours"] in text, sid
        if service.get("call_cost"):
            assert "What it costs" in text and service["call_cost"] in text, sid
        if service.get("phone"):
            tel = soup.article.select_one(f'a[href="tel:{service["phone"].replace(" ", "")}"]')
            assert tel is not None and tel.get_text() == service["phone"], sid
        if service.get("what_happens"):
            assert "What happens when you call" in text, sid
        assert "Last reviewed" in text and "Next review due" in text, sid


def test_published_urls_list_every_service_page() -> None:
    published = (REPO / "published-urls.txt").read_text(encoding="utf-8").split()
    for sid in SERVICES:
        assert f"/get-help/{sid}/" in published, sid


def test_hub_is_short_urgent_first_and_keeps_every_old_anchor(real_site: Path) -> None:
    soup = page(real_site, "get-help/")
    # a directory of every service by situation: one short card per service and situation
    assert _words(soup) <= 1500
    ids = [e["id"] for e in soup.article.find_all(id=True) if e.name in ("h2", "p", "div")]
    assert ids[:2] == ["emergency-999", "police-101"], "urgent help first: 999, then 101"
    assert soup.article.find("h2")["id"] == "emergency-999"
    assert soup.select_one("#emergency-999").find_parent("div").select_one('a[href="tel:999"]')
    assert soup.select_one("#police-101").find_parent("div").select_one('a[href="tel:101"]')
    for sid in SERVICES:
        holder = soup.find(id=sid)
        assert holder is not None, sid
        box = holder if holder.name == "div" else holder.find_parent("div")
        assert box.find("a", href=f"{sid}/") is not None, f"#{sid} does not lead to its page"


def test_open_referral_points_at_the_service_pages(real_site: Path) -> None:
    data = json.loads((real_site / "api" / "openreferral" / "services.json").read_text(encoding="utf-8"))
    items = data if isinstance(data, list) else data.get("contents") or data.get("services") or []
    by_id = {item["id"]: item for item in items}
    for sid, service in SERVICES.items():
        if sid in by_id and not service.get("web"):
            assert by_id[sid]["url"].endswith(f"/get-help/{sid}/"), sid


def test_every_phone_number_is_a_tel_link_from_a_service_file(real_site: Path) -> None:
    sourced = {s["phone"].replace(" ", "") for s in SERVICES.values() if s.get("phone")}
    for html in html_pages(real_site):
        soup = page(real_site, html.relative_to(real_site).as_posix())
        for link in soup.select('a[href^="tel:"]'):
            digits = link["href"].removeprefix("tel:")
            assert digits.isdigit(), (html, digits)
            assert digits in sourced, f"{html}: {digits} is in no service file"
        article = soup.select_one("article")
        if article is None:
            continue
        for text in article.find_all(string=UK_NUMBER):
            assert text.find_parent("a", href=re.compile("^tel:")), f"{html}: {text.strip()!r} is not a tel: link"


def test_silent_call_advice_is_right_for_mobiles_and_landlines(real_site: Path) -> None:
    for path in ["", "find-help/", "staying-safe-online/", "get-help/", "get-help/emergency-999/"]:
        soup = page(real_site, path)
        banner = soup.select_one(".oscp-emergency-line")
        assert banner.select_one('a[href="tel:999"]') is not None, path
        for text in (banner.get_text(" ", strip=True), soup.article.get_text(" ", strip=True)):
            assert "press 55" in text and "mobile" in text and "landline" in text, path
    assert SERVICES["emergency-999"]["contact_source"]["url"].startswith("https://www.cambs.police.uk/")


def test_domestic_abuse_help_names_services_for_men_and_lgbt_people(real_site: Path) -> None:
    for path in ["", "find-help/", "get-help/national-domestic-abuse-helpline/"]:
        text = page(real_site, path).article.get_text(" ", strip=True)
        assert "National Domestic Abuse Helpline" in text or "Refuge" in text, path
        assert "Men's Advice Line" in text and "Galop" in text, path
    for sid in ("mens-advice-line", "galop-lgbt-helpline"):
        assert SERVICES[sid]["contact_source"]["url"].startswith("https://"), sid
        assert "domestic-abuse" in SERVICES[sid]["programmes"], sid


def test_resident_pages_read_at_grade_eight(real_site: Path) -> None:
    for path in RESIDENT_PAGES + ["staying-safe-online/"]:
        article = page(real_site, path).select_one("article")
        for hidden in article.select(".oscp-review, .oscp-part-of, .headerlink"):
            hidden.decompose()
        found = readability.grade(article.get_text(" . ", strip=True).replace(" .  . ", " . "))
        assert found <= readability.PAGE_GRADE, f"{path or 'home'} reads at grade {found:.1f}"


def test_in_short_paragraphs_read_at_grade_nine(real_site: Path) -> None:
    for path in sorted((REPO / "content" / "programmes").glob("*.yml")):
        soup = page(real_site, f"programmes/{path.stem}/")
        box = soup.select_one(".oscp-in-short p")
        assert box is not None, path.stem
        found = readability.grade(box.get_text(" ", strip=True).removeprefix("In short").strip())
        assert found <= readability.IN_SHORT_GRADE, f"{path.stem}: In short reads at grade {found:.1f}"


def test_search_weights_and_what_is_left_out_of_the_index(real_site: Path) -> None:
    index = json.loads((real_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    boost = {d["location"]: d.get("boost", 1) for d in index["docs"] if "#" not in d["location"]}
    assert boost["get-help/police-101/"] > boost["get-help/"] > boost["data/"]
    assert boost["programmes/nightsafe/"] > boost["partners/"]
    assert all(b < 1 for loc, b in boost.items() if loc.startswith(("data/", "sources/", "partners/")))
    hub_text = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("get-help/#")
                        or d["location"] == "get-help/")
    for service in SERVICES.values():
        if service.get("summary"):
            assert service["summary"] not in hub_text, "the hub's cards must not outrank the service's page"
    assert not any(d.get("tags") for d in index["docs"] if d["location"].startswith("get-help/#")
                   or d["location"] == "get-help/")
    for d in index["docs"]:
        if d["location"].startswith("get-help/emergency-999/"):
            assert "Part of" not in d["text"]


def _check(tmp_path: Path, name: str, text: str) -> str:
    project = make_fixture(tmp_path / "project")
    (project / "content" / "services" / f"{name}.yml").write_text(text, encoding="utf-8")
    if name == "help-clash":
        (project / "docs" / "get-help").mkdir()
        (project / "docs" / "get-help" / "help-clash.md").write_text("# A page\n", encoding="utf-8")
    result = run_oscp(["check", "--root", project], cwd=project)
    assert result.returncode != 0, result.stdout
    return result.stdout + result.stderr


SERVICE = """id: {id}
name: A service
purpose: Help.
audience: Anyone.
emergency: false
contact_source: {{title: Test Report 2023, source: test-report, at: paragraph 2}}
{extra}last_reviewed: 2026-01-01
review_by: 2099-01-01
"""


@pytest.mark.parametrize(("name", "extra", "expected"), [
    ("domestic-abuse", "", "content/services/domestic-abuse.yml:1:5: service id 'domestic-abuse' would clash "
     "with the Get help section /get-help/#domestic-abuse"),
    ("index", "", "content/services/index.yml:1:5: service id 'index' would clash with the Get help page's "
     "own address (/get-help/)"),
    ("help-clash", "", "content/services/help-clash.yml:1:5: service id 'help-clash' would clash with the "
     "hand-written page docs/get-help/help-clash.md"),
    ("too-boosted", "search_boost: 50\n", "content/services/too-boosted.yml:7:15: search_boost is 50, out of range"),
    ("bad-keywords", "keywords: domestic abuse\n", "content/services/bad-keywords.yml:7:11: keywords should be "
     "a list, not text"),
    ("long-keyword", "keywords: [" + "x" * 61 + "]\n", "content/services/long-keyword.yml:7:12: keywords[1] is "
     "too long (keep it to 60 characters)"),
    ("bad-situation", "situations: [nightlife]\n", "content/services/bad-situation.yml:7:14: situations[1] is "
     "'nightlife', not one of the allowed values"),
])
def test_bad_service_files_are_refused_with_file_line_and_column(tmp_path: Path, name: str, extra: str,
                                                                   expected: str) -> None:
    assert expected in _check(tmp_path, name, SERVICE.format(id=name, extra=extra))


def test_unreadable_service_text_is_a_warning_with_its_line(tmp_path: Path) -> None:
    project = make_fixture(tmp_path / "project")
    hard = ("Interdisciplinary safeguarding practitioners operationalise comprehensive, multifaceted "
            "interventions, coordinating institutional responsibilities.")
    (project / "content" / "services" / "hard-words.yml").write_text(
        SERVICE.format(id="hard-words", extra=f"summary: {hard}\n"), encoding="utf-8")
    result = run_oscp(["check", "--root", project], cwd=project)
    out = result.stdout + result.stderr
    assert "content/services/hard-words.yml:7:10: warning: summary reads at Flesch-Kincaid grade" in out \
        or re.search(r"hard-words\.yml:7:\d+: .*summary reads at Flesch-Kincaid grade", out), out


# -- Contact on every page, sources with dates, situations by urgency (issue 25) -------------

NO_DEAD_ENDS = re.compile(r"do(es)? not give contact details|our sources do not say|we could not check", re.I)


def _contact_box(soup):
    return soup.article.select_one("dl.oscp-contact")


def test_every_service_page_shows_a_way_to_make_contact_before_anything_else(real_site: Path) -> None:
    for sid, service in SERVICES.items():
        soup = page(real_site, f"get-help/{sid}/")
        box = _contact_box(soup)
        assert box is not None, sid
        routes = box.select('a[href^="tel:"], a[href^="sms:"], a[href^="https://"], a[href^="mailto:"]')
        assert routes, f"{sid}: no phone, text, website or email on the page"
        if service.get("phone"):
            assert box.select_one(f'a[href="tel:{service["phone"].replace(" ", "")}"]'), sid
        if service.get("text"):
            assert box.select_one(f'a[href="sms:{service["text"].replace(" ", "")}"]'), sid
        if service.get("web"):
            assert box.select_one(f'a[href="{service["web"]}"]'), sid
        first_h2 = soup.article.find("h2")
        assert first_h2 is None or box in first_h2.find_all_previous("dl"), f"{sid}: contact comes after a heading"


def test_no_service_page_says_there_are_no_contact_details(real_site: Path) -> None:
    for sid in SERVICES:
        text = page(real_site, f"get-help/{sid}/").article.get_text(" ", strip=True)
        assert not NO_DEAD_ENDS.search(text), (sid, NO_DEAD_ENDS.search(text).group(0))


def test_every_outside_source_is_named_with_the_date_it_was_checked(real_site: Path) -> None:
    for sid, service in SERVICES.items():
        soup = page(real_site, f"get-help/{sid}/")
        shown = soup.article.select_one(".oscp-contact-source")
        assert shown is not None, sid
        for src in [service["contact_source"], *service.get("other_sources", [])]:
            assert src.get("title"), sid
            if "url" not in src:  # a report of the partnership: its page and paragraph
                assert "source" in src and "at" in src, sid
                continue
            assert src.get("checked"), f"{sid}: {src['url']} has no checked date"
            link = shown.find("a", href=src["url"])
            assert link is not None and link.get_text(strip=True) == src["title"], (sid, src["url"])
            assert shown.find("time", datetime=str(src["checked"])) is not None, (sid, src["url"])


def test_every_need_residents_bring_has_a_page_with_a_way_to_get_in_touch(real_site: Path) -> None:
    needs = ["national-stalking-helpline", "rape-crisis-support-line", "drink-or-needle-spiking", "nspcc-helpline",
             "childline", "action-fraud", "report-scam-texts", "hourglass", "respect-phoneline", "true-vision",
             "stop-hate-uk", "victim-support", "modern-slavery-helpline", "forced-marriage-unit", "karma-nirvana",
             "revenge-porn-helpline", "samaritans", "nhs-111", "clares-law", "emergency-sms", "relay-uk", "bsl-999",
             "ask-for-an-interpreter"]
    for sid in needs:
        assert sid in SERVICES, sid
        assert _contact_box(page(real_site, f"get-help/{sid}/")) is not None, sid


def test_hub_lists_situations_most_urgent_first_with_the_main_line_first(real_site: Path) -> None:
    from oscp.addresses import HELP_SECTIONS

    soup = page(real_site, "get-help/")
    shown = [h["id"] for h in soup.article.find_all("h2") if h.get("id") in HELP_SECTIONS]
    assert shown == [s for s in HELP_SECTIONS if s in shown], "sections are not in HELP_SECTIONS order"
    assert shown[0] == "domestic-abuse" and shown.index("sexual-violence") < shown.index("scams")
    assert shown.index("night-out") < shown.index("anti-social-behaviour")
    for old in ("domestic-abuse", "night-out", "anti-social-behaviour", "drug-dealing", "exploitation",
                "report-a-crime"):
        assert old in shown, f"old anchor /get-help/#{old} is gone"

    def cards(section: str) -> list[str]:
        """The service ids of the cards under one section's heading, in page order."""
        found = []
        for sib in soup.article.find("h2", id=section).find_next_siblings():
            if sib.name == "h2":
                break
            found += [a["href"].strip("/").split("/")[-1] for a in sib.select("strong > a")
                      if sib.get("class") and "oscp-card" in sib["class"]]
        return found

    abuse = cards("domestic-abuse")
    assert abuse[0] == "national-domestic-abuse-helpline", abuse
    assert {"mens-advice-line", "galop-lgbt-helpline"} <= set(abuse[:4]), abuse
    assert cards("sexual-violence")[0] == "rape-crisis-support-line"
    assert cards("night-out")[0] == "drink-or-needle-spiking"


def test_each_card_says_who_the_service_is_for(real_site: Path) -> None:
    soup = page(real_site, "get-help/")
    for sid, service in SERVICES.items():
        if service["emergency"] or sid == "police-101":
            continue
        card = soup.find(id=sid)
        assert card is not None and service["audience"] in card.get_text(" ", strip=True), sid
        assert len(re.findall(r"[.!?](\s|$)", service["audience"])) <= 2, f"{sid}: keep 'audience' short"


def test_domestic_abuse_help_is_not_only_for_people_at_home(real_site: Path) -> None:
    for path in ["", "find-help/", "get-help/", "get-help/national-domestic-abuse-helpline/"]:
        text = page(real_site, path).article.get_text(" ", strip=True)
        assert "someone at home" not in text.lower(), path


def test_a_web_source_without_a_checked_date_is_refused(tmp_path: Path) -> None:
    extra = ""
    text = SERVICE.format(id="unchecked", extra=extra).replace(
        "contact_source: {title: Test Report 2023, source: test-report, at: paragraph 2}",
        "contact_source: {title: A page, url: 'https://example.org/help'}")
    out = _check(tmp_path, "unchecked", text)
    assert "content/services/unchecked.yml:6:17: missing required field 'checked' in contact_source" in out, out
