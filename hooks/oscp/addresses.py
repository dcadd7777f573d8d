"""Every public address of the site, in one place: entry pages, index pages, data files, the
open-data API, redirects from former ids, and the committed manifest of published URLs.

Addresses are a promise to partners who link to us. Page addresses are declared per kind in
:data:`oscp.model.KINDS`; this module turns them into page sources, public URLs and files,
and nothing else in the engine spells an address out.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from pathlib import Path

from .model import KINDS, Content
from .problems import Problem

# -- Files that are not entry pages ------------------------------------------------------
API_BASE = "api/v1"
API_INDEX = f"{API_BASE}/index.json"
API_SCHEMAS = f"{API_BASE}/schemas"
OPENREFERRAL = "api/openreferral"
OPENREFERRAL_SERVICES = f"{OPENREFERRAL}/services.json"
#: Open Referral UK read shapes: the body of GET /services (one page holding every service)
#: and, per service, of GET /services/{id} (see openreferral_service()).
OPENREFERRAL_SERVICE_LIST = f"{OPENREFERRAL}/service_list.json"
DATAPACKAGE = f"{API_BASE}/datapackage.json"
FEED = "feed.xml"
ROBOTS = "robots.txt"
#: response headers (the security policy) for hosts that read them; written after the build
HEADERS = "_headers"

#: Sections of the Get help page (/get-help/#<id>), one per situation residents come with,
#: most urgent first (not by the alphabet): id -> heading, in residents' words. A service's
#: card there keeps the service's old anchor (/get-help/#<service id>), so these ids and the
#: hub's own ids are not free for services. Ids once published stay (they are anchors).
HELP_SECTIONS = {
    "domestic-abuse": "A partner, an ex or a family member hurts, scares or controls me",
    "sexual-violence": "I was raped or sexually assaulted",
    "night-out": "I feel unsafe on a night out, or I think I was spiked",
    "child-at-risk": "A child is at risk",
    "mental-health-crisis": "I feel I can't go on",
    "stalking": "I am being stalked or harassed",
    "forced-marriage": "My family wants to force me to marry, or controls me over 'honour'",
    "exploitation": "Someone is exploited, trafficked or used by criminals",
    "older-people": "An older person is being abused",
    "image-abuse": "Someone shared, or threatens to share, intimate images of me",
    "hate-crime": "I was targeted because of who I am",
    "own-behaviour": "I am worried about how I treat my partner",
    "scams": "I was scammed",
    "drug-dealing": "Drug dealing near you",
    "anti-social-behaviour": "Neighbours, noise and nuisance",
    "after-a-crime": "I need support after a crime",
    "report-a-crime": "Report a crime",
    "access": "I am deaf, cannot speak, or do not speak English",
    "other-help": "Other help",
}
#: Services shown first on the Get help page, in this order.
URGENT_SERVICES = ("emergency-999", "police-101")
_HELP_PAGE_IDS = {"index", "get-help"}

MANIFEST = "published-urls.txt"
MANIFEST_HEADER = (
    "# Every public address of the site. The build fails if one of these would disappear\n"
    "# without a redirect. After adding or removing pages on purpose, run `make urls`.\n"
)


def page_uri(kind: str, entry_id: str) -> str:
    """The page source (in the docs tree) an entry is published on, with ``#id`` when it is an
    anchor on a shared page: ``programmes/nightsafe.md``, ``get-help/index.md#police-101``."""
    return KINDS[kind].page.format(id=entry_id)


def index_uri(kind: str) -> str:
    """The page listing every entry of a kind."""
    return KINDS[kind].index


def own_page(kind: str) -> bool:
    """Whether each entry of ``kind`` has a page of its own (rather than an anchor)."""
    return "#" not in KINDS[kind].page


def index_anchors(kind: str, ids: Iterable[str]) -> set[str] | None:
    """The anchors a kind's index page is known to have (None: not known before it is built).
    An index lists entries without pages of their own by id; the Get help hub also keeps each
    service's old anchor (/get-help/#<id>) and one per section."""
    if not own_page(kind):
        return set(ids)
    if kind == "service":
        return set(ids) | set(HELP_SECTIONS)
    return None


def help_address_clash(service_id: str, docs_pages: Iterable[str]) -> str | None:
    """What a service's id would clash with under /get-help/, or None: the hub page itself,
    one of its section anchors, or a hand-written page in docs/get-help/."""
    if service_id in _HELP_PAGE_IDS:
        return f"the Get help page's own address (/get-help/{'' if service_id == 'index' else '#' + service_id})"
    if service_id in HELP_SECTIONS:
        return f"the Get help section /get-help/#{service_id}"
    folder = posixpath.dirname(index_uri("service"))
    for uri in docs_pages:
        if uri in (f"{folder}/{service_id}.md", f"{folder}/{service_id}/index.md"):
            return f"the hand-written page docs/{uri}"
    return None


def dataset_csv(dataset_id: str) -> str:
    """The CSV download beside a dataset's page."""
    return f"data/{dataset_id}.csv"


def api_collection(name: str) -> str:
    return f"{API_BASE}/{name}.json"


def api_schema(name: str) -> str:
    return f"{API_SCHEMAS}/{name}.schema.json"


def api_dataset_csv(dataset_id: str) -> str:
    return f"{API_BASE}/datasets/{dataset_id}.csv"


def openreferral_service(service_uuid: str) -> str:
    """The Open Referral UK document of one service, named by its Open Referral id (a UUID),
    so that a host can serve it at the standard's /services/{id}."""
    return f"{OPENREFERRAL}/services/{service_uuid}.json"


def relative_to(src_uri: str, base_file: str) -> str:
    """The path of ``src_uri`` relative to the folder of ``base_file`` (both site paths)."""
    return posixpath.relpath(src_uri, posixpath.dirname(base_file) or ".")


def url_for(src_uri: str) -> str:
    """The public path of a file, by mkdocs's rule for directory URLs ('a/b.md' -> '/a/b/'),
    keeping any ``#anchor``."""
    src_uri, hash_, anchor = src_uri.partition("#")
    if src_uri.endswith(".md"):
        stem = src_uri[: -len(".md")]
        if stem == "index" or stem.endswith("/index"):
            stem = stem[: -len("index")]
        else:
            stem += "/"
        path = "/" + stem
    elif src_uri.endswith("/index.html"):
        path = "/" + src_uri[: -len("index.html")]
    else:
        path = "/" + src_uri
    return path + hash_ + anchor


def public_url(site_url: str, src_uri: str) -> str:
    """The full address of a file on a site whose root is ``site_url`` (ending in '/')."""
    return site_url + url_for(src_uri).lstrip("/")


def entry_url(site_url: str, kind: str, entry_id: str) -> str:
    """The full address of an entry's page (or its anchor on a shared page)."""
    return public_url(site_url, page_uri(kind, entry_id))


def former_urls(site_url: str, kind: str, data: dict[str, object]) -> list[str]:
    """The full addresses an entry had before it was renamed (each now a redirect)."""
    field = KINDS[kind].former_ids
    olds = data.get(field, []) if field else []
    return [entry_url(site_url, kind, str(old)) for old in olds]  # type: ignore[union-attr]


def redirects(content: Content) -> dict[str, tuple[str, str, str]]:
    """Redirect pages for renamed entries: old page file -> (relative URL of the new page,
    kind, current id)."""
    found = {}
    for kind in KINDS.values():
        if kind.former_ids is None or not own_page(kind.name):
            continue
        for entry_id, entry in content.of(kind.name).items():
            new = url_for(page_uri(kind.name, entry_id)).lstrip("/")
            for old in entry.data.get(kind.former_ids, []):
                old_url = url_for(page_uri(kind.name, old)).lstrip("/")
                found[old_url + "index.html"] = (posixpath.relpath(new, old_url) + "/", kind.name, entry_id)
    return found


def planned_urls(docs_dir: Path, generated: Iterable[str]) -> set[str]:
    """Every public URL a build makes: hand-written pages, generated pages and data files."""
    uris = [p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md")]
    uris += list(generated)
    return {url_for(uri) for uri in uris if not uri.startswith(("assets/", "search/", "admin/"))}


def read_manifest(path: Path) -> list[str]:
    """The published URLs in a manifest file, in file order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def write_manifest(path: Path, urls: Iterable[str]) -> None:
    path.write_text(MANIFEST_HEADER + "".join(f"{url}\n" for url in sorted(urls)), encoding="utf-8")


def dropped(manifest: Path, urls: set[str]) -> list[Problem]:
    """A problem for every published URL that this build would no longer serve."""
    if not manifest.is_file():
        return []
    problems = []
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        url = line.strip()
        if url and not url.startswith("#") and url not in urls:
            problems.append(Problem(
                manifest.name, number, 1, f"published address {url} would disappear",
                "if a programme or dataset was renamed, add its old id to former_slugs or former_ids "
                "so the address redirects; if the page was removed on purpose, run `make urls`"))
    return problems
