"""One walk of the real site in Chromium that records everything the per-page tests check.

Each page is loaded once, in the light palette, and everything the tests need is read
from that one visit: HTTP status, console errors, failed and foreign requests, the Exit
this page controls, every chart drawn (and its size and label), axe-core's findings in the
light palette, then the same page switched to the dark palette (as a reader does, with the
palette toggle, and with the browser's colour preference set to dark too): charts redrawn
in the dark colours and axe-core's findings again. A page with charts is then narrowed to a
phone-sized screen (as turning a tablet or narrowing a window does), to measure its width
once the charts have redrawn to fit, in dark and switched back to light. The tests in this
folder assert on the records, so a slow step (a page load, axe) runs once for all of them.
Each page's search worker is given the real index emptied of documents (the walk asks the
server for that: see server.py's WITHOUT_SEARCH_DOCUMENTS): the page still asks for it and
must get it. Material's search worker rebuilds the whole index on every page load, which was
a sixth of the walk's work and tells nothing about the page; search on the real index is
tested in test_search.py and test_csp.py.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Error, Locator, Page, Response

from tests.browser.server import AXE, AXE_PATH, WITHOUT_SEARCH_DOCUMENTS, PageLog, SiteServer, watch

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCHEMES = {"light": "default", "dark": "slate"}  # colour preference -> material's scheme
CHART_TIMEOUT_MS = 30_000
PHONE = {"width": 360, "height": 740}
#: The walk is cut in small shards that pytest-xdist workers share out (walk_site), so that a
#: worker that has finished waits at most for the few pages another worker is still walking.
SHARDS = 24

#: True once every chart on the page is drawn in the palette the page shows now: plotly
#: has laid the chart out with the theme's current text colour, and the chart's SVG has
#: its role and label (charts.js sets them when drawing ends).
_CHARTS_DRAWN = """() => {
  const text = getComputedStyle(document.body).getPropertyValue('--md-default-fg-color').trim();
  return [...document.querySelectorAll('.oscp-chart')].every(e =>
    e.dataset.drawn === 'true' && e._fullLayout && e._fullLayout.font.color === text &&
    e.querySelector('svg.main-svg[role="img"][aria-label]') !== null);
}"""

_CHART_FACTS = """() => [...document.querySelectorAll('.oscp-chart')].map(e => {
  const svg = e.querySelector('svg.main-svg');
  const box = svg.getBoundingClientRect();
  return {id: e.id, width: box.width, height: box.height,
          label: svg.getAttribute('aria-label'), role: svg.getAttribute('role'),
          modebar: e.querySelectorAll('.modebar').length};
})"""

_EXIT_FACTS = """() => ({
  href: document.querySelector('#oscp-exit')?.getAttribute('href') ?? null,
  skips: [...document.querySelectorAll('a.oscp-skip-exit')].map(a => a.getAttribute('href')),
  banner: document.querySelector('.oscp-emergency-line')?.innerText ?? null,
})"""


def require_axe() -> None:
    """Skip (or in CI fail) an axe test clearly when npm has not installed axe-core."""
    if not AXE.is_file():
        message = f"{AXE} missing: run `npm ci` (make test does this when npm is installed)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@dataclass
class Visit:
    """What one page showed and did during the walk."""

    path: str
    origin: str  # of the server the page was loaded from
    status: int | None = None
    log: PageLog = field(default_factory=PageLog)
    document_cookie: str = ""
    exit: dict = field(default_factory=dict)
    has_charts: bool = False
    charts: list[dict] = field(default_factory=list)
    schemes: dict[str, str] = field(default_factory=dict)   # preference -> material's scheme shown
    axe: dict[str, list[str]] = field(default_factory=dict)  # preference -> violations found
    phone_widths: dict[str, int] = field(default_factory=dict)  # preference -> page width at 360 px
    errors: list[str] = field(default_factory=list)          # steps that could not finish
    violations: list[str] = field(default_factory=list)      # Content-Security-Policy violations

    @classmethod
    def from_json(cls, data: dict) -> Visit:
        return cls(**{**data, "log": PageLog(**data["log"])})


@dataclass
class Walk:
    """Every page's visit, and the cookies the browser kept at the end of the walk."""

    visits: list[Visit]
    cookies: list[dict]

    def foreign_requests(self) -> list[str]:
        return [f"{v.path}: {url}" for v in self.visits for url in v.log.foreign(v.origin)]

    @classmethod
    def from_json(cls, data: dict) -> Walk:
        return cls([Visit.from_json(v) for v in data["visits"]], data["cookies"])


#: True once every chart on the page is drawn in the palette the page shows now (see
#: _CHARTS_DRAWN). Until then, on every frame, the first chart not yet drawn is scrolled into
#: view if it is off the screen, as a reader scrolls down to it (plotly loads and draws a chart
#: only when it nears the screen): a chart that the page scrolled away again before it was seen
#: (material scrolls to the top after an instant navigation, late on a busy machine) is brought
#: back, not waited for forever. One check, so that no step can pass on the charts of a page
#: that was about to be replaced.
_DRAW_CHARTS = """() => {
  const chart = [...document.querySelectorAll('.oscp-chart')].find(e => e.dataset.drawn !== 'true');
  if (chart) {
    const box = chart.getBoundingClientRect();
    if (box.bottom <= 0 || box.top >= window.innerHeight) chart.scrollIntoView({block: 'center'});
    return false;
  }
  return (""" + _CHARTS_DRAWN + """)();
}"""


def draw_charts(page: Page) -> None:
    """Bring each chart into view (plotly loads when a chart nears the screen) and wait until
    every chart is drawn in the palette the page shows now."""
    page.wait_for_function(_DRAW_CHARTS, timeout=CHART_TIMEOUT_MS)


def chart_facts(page: Page) -> list[dict]:
    """Size, role, label and toolbar of each chart's SVG."""
    return page.evaluate(_CHART_FACTS)


#: True once every chart's drawing fits the width its box has now (after a resize, plotly's
#: responsive layout redraws it a moment later).
_CHARTS_FIT = """() => [...document.querySelectorAll('.oscp-chart')].every(e => {
  const svg = e.querySelector('svg.main-svg');
  return svg !== null && svg.getBoundingClientRect().width <= e.getBoundingClientRect().width + 1;
})"""


def switch_palette(page: Page, preference: str) -> None:
    """Set the browser's colour preference to ``preference`` (a key of SCHEMES), and switch the
    shown page to its palette as a reader does (the palette toggle). In that order, because
    the page then restyles once: the other way round it restyles for the toggle, then again
    for the preference (2% of the walk's work)."""
    toggle = list(SCHEMES).index(preference)  # material's toggles, in mkdocs.yml's order
    page.emulate_media(color_scheme=preference)
    page.evaluate(f"document.getElementById('__palette_{toggle}').click()")  # what its label does
    page.wait_for_function("(scheme) => document.body.dataset.mdColorScheme === scheme",
                           arg=SCHEMES[preference])


#: Runs first in every document of a walk's context: forget the palette a reader chose, so that
#: each page opens as a first-time reader sees it, in the palette of the colour preference.
#: (Material stores the choice, sometimes a moment after a switch, so clearing it between
#: pages would race with it.)
_FORGET_PALETTE = """for (const key of Object.keys(localStorage))
  if (key.endsWith('.__palette')) localStorage.removeItem(key);"""


#: Runs first in every document: records each Content-Security-Policy violation, before any of
#: the page's own scripts runs.
RECORD_VIOLATIONS = """window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI + " " + location.pathname);
});"""


def violations(page: Page) -> list[str]:
    """The policy violations recorded in the page so far."""
    return page.evaluate("window.__violations || []")


def walk_context(browser: Browser, **options: object) -> BrowserContext:
    """A browser context for walking pages: each page opens in the light palette (see
    open_light), and can then be switched to dark (switch_palette); policy violations are
    recorded (violations)."""
    context = browser.new_context(color_scheme="light", **options)
    context.add_init_script(_FORGET_PALETTE)
    context.add_init_script(RECORD_VIOLATIONS)
    return context


def follow(link: Locator, url: str) -> None:
    """Click ``link`` and wait until the page at ``url`` is shown: for material's instant
    navigation, until its content is in place, which page-change.js announces (the address
    changes before that, so a check made then could read the page being left)."""
    page = link.page
    before = page.title()
    link.click()
    page.wait_for_url(url)
    page.wait_for_function("""(before) => document.title !== before &&
      document.querySelector('[data-oscp-page-status]')?.textContent === document.title""", arg=before)


def follow_to_chart_page(page: Page, server: SiteServer) -> None:
    """From the home page, follow links to a chart page as a reader does, and check that
    material's instant navigation (not a reload) took the page there."""
    page.goto(server.url(""))
    page.evaluate("window.__sameDocument = true")
    follow(page.locator("article a", has_text="Data").first, server.url("data/"))
    follow(page.locator("article a", has_text="Trained domestic abuse Champions").first,
           server.url("data/domestic-abuse-champions/"))
    assert page.evaluate("window.__sameDocument") is True, "expected instant navigation, got a reload"


def open_light(page: Page, url: str) -> Response | None:
    """Load ``url`` in the light palette (a walk context remembers no palette choice)."""
    page.emulate_media(color_scheme="light")
    return page.goto(url, wait_until="load")


#: axe-core's violations, with only what run_axe reports of each (its whole result, passes
#: included, is large, and was a tenth of the walk's work to send from the page to Python)
_AXE_RUN = """([tags, selectors]) => axe.run(document, {runOnly: {type: 'tag', values: tags},
  resultTypes: ['violations'], selectors}).then(result => result.violations.map(v =>
    ({id: v.id, help: v.help, targets: v.nodes.slice(0, 3).map(n => n.target)})))"""


def load_axe(page: Page, server: SiteServer | None = None) -> None:
    """Load axe-core into the page shown now, unless it is there. From ``server``, the page's
    own origin, as a script the page's security policy allows ('self'), so that Chromium reuses
    the code it compiled for it on the pages before; without one (a page made with
    set_content), by evaluating its source through the DevTools protocol, which the policy
    does not govern."""
    if page.evaluate("typeof axe !== 'undefined'"):
        return
    if server is not None:
        page.add_script_tag(url=server.url(AXE_PATH))
    else:
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")


def run_axe(page: Page, path: str, scheme: str) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on the page as shown now (load_axe first), one line
    each naming the rule and up to three elements."""
    # all violations, no passes; CSS selectors for the nodes (slow to make) only when there are any
    violations = page.evaluate(_AXE_RUN, [AXE_TAGS, False])
    if violations:
        violations = page.evaluate(_AXE_RUN, [AXE_TAGS, True])
    return [f"{path} [{scheme}]: {v['id']}: {v['help']} at {[' '.join(target) for target in v['targets']]}"
            for v in violations]


def _step(visit: Visit, what: str, action) -> bool:
    """Run one step of a visit; a failure is recorded against the page, not raised."""
    try:
        action()
    except Error as exc:
        visit.errors.append(f"{visit.path}: {what}: {str(exc).splitlines()[0]}")
        return False
    return True


def visit(page: Page, log: PageLog, server: SiteServer, path: str, axe: bool) -> Visit:
    """Load ``path`` once and read everything the per-page tests check (axe-core's findings
    when ``axe``)."""
    seen = Visit(path, server.origin)
    log.take()  # forget the previous page
    response = open_light(page, server.url(path))
    seen.status = response.status if response else None
    seen.exit = page.evaluate(_EXIT_FACTS)
    seen.has_charts = page.locator(".oscp-chart").count() > 0
    for scheme in SCHEMES:
        if scheme == "dark" and not _step(seen, "switching to the dark palette", lambda: switch_palette(page, "dark")):
            break
        seen.schemes[scheme] = page.evaluate("document.body.dataset.mdColorScheme")
        if seen.has_charts and not _step(seen, f"drawing charts [{scheme}]", lambda: draw_charts(page)):
            continue
        if scheme == "light":
            seen.charts = chart_facts(page)
        if axe and _step(seen, f"loading axe-core [{scheme}]", lambda: load_axe(page, server)):
            seen.axe[scheme] = run_axe(page, path, scheme)
    if seen.has_charts and seen.schemes.get("dark"):
        phone_widths(page, seen)
    # leave only once nothing has been fetched for 500 ms (usually long since true), so that
    # a late request's failure is counted against this page
    page.wait_for_load_state("networkidle")
    seen.log = log.take()
    seen.document_cookie = page.evaluate("document.cookie")
    seen.violations = violations(page)
    return seen


def phone_widths(page: Page, seen: Visit) -> None:
    """Narrow the page (shown in dark, charts drawn) to PHONE size and record how wide the
    page is once its charts have redrawn to fit, in dark and then switched back to light."""
    desktop = page.viewport_size
    page.set_viewport_size(PHONE)
    for scheme in ("dark", "light"):
        if scheme == "light" and not _step(seen, "switching back to light at 360 px",
                                           lambda: switch_palette(page, "light")):
            break
        if not _step(seen, f"drawing charts at 360 px [{scheme}]", lambda: (
                draw_charts(page), page.wait_for_function(_CHARTS_FIT, timeout=CHART_TIMEOUT_MS))):
            break
        seen.phone_widths[scheme] = page.evaluate("document.documentElement.scrollWidth")
    if desktop:
        page.set_viewport_size(desktop)


class Walker:
    """One browser context and page that walk pages (axe-core runs if installed), each page
    given the search index without its documents. One walker walks all the shards a worker
    takes: a new context starts with an empty cache, and fetching and compiling material,
    plotly and axe-core again cost as much as walking five pages."""

    def __init__(self, browser: Browser, server: SiteServer) -> None:
        self.server = server
        self.context = walk_context(browser, extra_http_headers=WITHOUT_SEARCH_DOCUMENTS)
        self.page = self.context.new_page()
        self.log = watch(self.page)
        self.axe = AXE.is_file()

    def walk(self, paths: list[str]) -> Walk:
        """Visit each of ``paths`` once; the cookies are those set during these visits."""
        walk = Walk([visit(self.page, self.log, self.server, path, self.axe) for path in paths], [])
        walk.cookies = self.context.cookies()
        self.context.clear_cookies()
        return walk

    def close(self) -> None:
        self.context.close()


def walk_pages(browser: Browser, server: SiteServer, paths: list[str]) -> Walk:
    """Visit each of ``paths`` once, in a new Walker."""
    walker = Walker(browser, server)
    try:
        return walker.walk(paths)
    finally:
        walker.close()


def walk_site(browser: Browser, server: SiteServer, shared: Path | None, first: int = 0) -> Walk:
    """Visit every page of the site once, in SHARDS shards.

    With ``shared`` (a folder every pytest-xdist worker of this run sees), the workers share
    the walk: a worker walks each shard no other worker has taken (starting at shard
    ``first``) and saves it there, then reads the shards the others walked, waiting for the
    ones still under way. Without it, this process walks every shard. Each process walks its
    shards with one Walker (one browser context, whose cache it keeps).
    """
    paths = server.page_paths()
    shards = [paths[n::SHARDS] for n in range(SHARDS)]
    walker: Walker | None = None

    def walk(shard: list[str]) -> Walk:
        nonlocal walker
        walker = walker or Walker(browser, server)
        return walker.walk(shard)

    try:
        if shared is None:
            return _merge([walk(shard) for shard in shards])
        done: dict[int, Walk] = {}
        waiting = []
        for n in [(first + k) % SHARDS for k in range(SHARDS)]:
            lock = (shared / f"walk-{n}.lock").open("a")
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                waiting.append((n, lock))  # another worker is walking it
                continue
            done[n] = _walked(shared / f"walk-{n}.json", lambda shard=shards[n]: walk(shard))
            lock.close()
        for n, lock in waiting:
            fcntl.flock(lock, fcntl.LOCK_EX)
            done[n] = _walked(shared / f"walk-{n}.json", lambda shard=shards[n]: walk(shard))
            lock.close()
        return _merge([done[n] for n in range(SHARDS)])
    finally:
        if walker is not None:
            walker.close()


def _walked(saved: Path, walk: Callable[[], Walk]) -> Walk:
    """The walk saved in ``saved``, or a new walk, saved there (the caller holds its lock)."""
    if saved.is_file():
        return Walk.from_json(json.loads(saved.read_text(encoding="utf-8")))
    result = walk()
    saved.write_text(json.dumps(asdict(result)), encoding="utf-8")
    return result


def _merge(walks: list[Walk]) -> Walk:
    return Walk([v for w in walks for v in w.visits], [c for w in walks for c in w.cookies])


def chart_pages(server: SiteServer) -> list[str]:
    """The paths of the pages that have a chart, read from the built files."""
    return [path for path in server.page_paths() if not path.endswith(".html")
            if 'class="oscp-chart"' in (Path(server.root) / path / "index.html").read_text(encoding="utf-8")]
