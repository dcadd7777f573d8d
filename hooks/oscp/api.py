"""Open data: the content as JSON and CSV under /api/v1/, its Data Package, and services in
Open Referral UK shape (built in :mod:`oscp.openreferral`).

Every document is built from the validated content, carries its sources, and is written
with sorted keys so that the same content always gives the same bytes. The JSON Schemas
that describe these documents live in ``api_schemas/`` and are published beside them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import charts
from .addresses import (
    API_INDEX,
    API_SCHEMAS,
    DATAPACKAGE,
    FEED,
    OPENREFERRAL,
    OPENREFERRAL_SERVICE_LIST,
    OPENREFERRAL_SERVICES,
    api_collection,
    api_dataset_csv,
    api_schema,
    entry_url,
    former_urls,
    public_url,
)
from .datapackage import datapackage
from .model import Content, citations
from .openreferral import openreferral_documents, service_uuid  # noqa: F401 (service_uuid: public)

API_VERSION = "1.0.0"
SCHEMA_DIR = Path(__file__).parent / "api_schemas"


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _sources(content: Content, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every report an entry cites, once per place cited, resolved to title and date."""
    seen: list[dict[str, Any]] = []
    for _pointer, cite in citations(data):
        source = content.get("source", cite["source"])
        item = {"id": cite["source"], "title": source["title"], "publisher": source["publisher"],
                "published": source["published"], "at": cite["at"]}
        if item not in seen:
            seen.append(item)
    return seen


def _review(data: dict[str, Any]) -> dict[str, str]:
    return {"last_reviewed": data["last_reviewed"], "review_by": data["review_by"]}


def _programme(content: Content, p: dict[str, Any], site_url: str) -> dict[str, Any]:
    return {
        "slug": p["slug"], "title": p["title"], "summary": p["summary"], "in_short": p["in_short"],
        **_status(content, p),
        "audience": p["audience"],
        "description_markdown": p["body"], "url": entry_url(site_url, "programme", p["slug"]),
        "former_urls": former_urls(site_url, "programme", p),
        "services": p.get("services", []), "partners": p.get("partners", []),
        "datasets": p.get("datasets", []), "keywords": p.get("keywords", []),
        "figures": [{**{k: v for k, v in f.items() if k != "source"},
                     "source": _sources(content, {"source": f["source"]})[0]}
                    for f in p.get("figures", [])],
        "sources": _sources(content, p), **_review(p),
    }


def _status(content: Content, p: dict[str, Any]) -> dict[str, Any]:
    """A programme's status, start and end, each with the report that gives it."""
    status, started = p["status"], p.get("started")
    out: dict[str, Any] = {
        "status": status["state"], "status_year": status["year"],
        "status_source": _sources(content, {"source": status["source"]})[0],
        "started": started["year"] if started else None,
        "started_since_at_least": bool(started and started.get("since_at_least")),
        "started_source": _sources(content, {"source": started["source"]})[0] if started else None,
        "ended": status["year"] if status["state"] == "ended" else None,
    }
    return out


def _service(content: Content, s: dict[str, Any], site_url: str) -> dict[str, Any]:
    keep = ("id", "name", "purpose", "audience", "phone", "phone_note", "text", "text_note", "email", "web",
            "web_label", "address", "hours", "call_cost", "languages", "emergency", "situations", "programmes",
            "keywords", "other_sources")
    out = {k: s[k] for k in keep if k in s}
    contact = dict(s["contact_source"])
    if "source" in contact:
        contact = {**contact, **_sources(content, {"source": {"source": contact["source"],
                                                              "at": contact["at"]}})[0]}
    out.update(url=entry_url(site_url, "service", s["id"]), contact_source=contact,
               sources=_sources(content, s), **_review(s))
    return out


def _dataset(content: Content, d: dict[str, Any], site_url: str) -> dict[str, Any]:
    keep = ("id", "title", "measures", "period", "unit", "label_heading", "labels", "label_sources", "series", "notes",
            "charts")
    out = {k: d[k] for k in keep if k in d}
    if "total" in d:
        out["total"] = {**d["total"], "source": _sources(content, {"source": d["total"]["source"]})[0]}
    out.update(url=entry_url(site_url, "dataset", d["id"]), csv=public_url(site_url, api_dataset_csv(d["id"])),
               source=_sources(content, {"source": d["source"]})[0], sources=_sources(content, d),
               **_review(d))
    return out


def _priorities(content: Content, y: dict[str, Any], site_url: str) -> dict[str, Any]:
    return {"year": y["year"], "partnership": y["partnership"], "intro_markdown": y.get("intro"),
            "priorities": y["priorities"], "url": entry_url(site_url, "priorities", y["year"]),
            "sources": _sources(content, y), **_review(y)}


def _collection(kind: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"api_version": API_VERSION, "kind": kind, "count": len(items), "items": items}


def api_files(content: Content, site_url: str) -> dict[str, str]:
    """Every open-data file, keyed by its path in the site."""
    programmes = [_programme(content, p, site_url) for p in content.data("programme")]
    services = [_service(content, s, site_url) for s in content.data("service")]
    datasets = [_dataset(content, d, site_url) for d in content.data("dataset")]
    years = [_priorities(content, y, site_url) for y in content.data("priorities")]
    files = {
        api_collection("programmes"): _dump(_collection("programmes", programmes)),
        api_collection("services"): _dump(_collection("services", services)),
        api_collection("datasets"): _dump(_collection("datasets", datasets)),
        api_collection("priorities"): _dump(_collection("priorities", years)),
        DATAPACKAGE: _dump(datapackage(content, site_url)),
    }
    files.update({path: _dump(doc) for path, doc in openreferral_documents(content, site_url).items()})
    for d in content.data("dataset"):
        files[api_dataset_csv(d["id"])] = charts.csv_text(d)
    for schema in sorted(SCHEMA_DIR.glob("*.schema.json")):
        folder = OPENREFERRAL if schema.name.startswith("openreferral") else API_SCHEMAS
        files[f"{folder}/{schema.name}"] = schema.read_text(encoding="utf-8")
    index = {
        "api_version": API_VERSION,
        "description": "Open data from the Oxford Safer Communities Partnership. Every figure "
                       "names the report and paragraph it comes from.",
        "licence": "Open Government Licence v3.0",
        "licence_url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "documents": {name: {"url": public_url(site_url, api_collection(name)),
                             "schema": public_url(site_url, api_schema(name))}
                      for name in ("programmes", "services", "datasets", "priorities")},
        "datasets_csv": {d["id"]: public_url(site_url, api_dataset_csv(d["id"])) for d in content.data("dataset")},
        "openreferral": {"url": public_url(site_url, OPENREFERRAL_SERVICES),
                         "schema": public_url(site_url, f"{OPENREFERRAL}/openreferral-service.schema.json")},
        "openreferral_service_list": public_url(site_url, OPENREFERRAL_SERVICE_LIST),
        "datapackage": public_url(site_url, DATAPACKAGE),
        "feed": public_url(site_url, FEED),
        "schema": public_url(site_url, api_schema("index")),
    }
    files[API_INDEX] = _dump(index)
    return files
