"""Services in Open Referral UK shape: the read shapes of the standard's API as static files.

Three documents, all built from the validated services:

* ``services.json``: the first Open Referral document we published, kept as it was because
  partners may read it (a bare array of services in HSDS 3 shape);
* ``service_list.json``: the body of the UK profile's ``GET /services``, one page holding
  every service, each with only its one-to-one fields;
* ``services/<id>.json``: the body of ``GET /services/{id}``, one fully nested service.

No address or location is ever published, so nothing here can help anyone find a
Sanctuary Scheme household or a refuge. The profile's schemas are vendored in
``api_schemas/openreferral-uk/`` and the tests validate every document against them.
"""

from __future__ import annotations

import uuid
from typing import Any

from .addresses import (
    OPENREFERRAL_SERVICE_LIST,
    OPENREFERRAL_SERVICES,
    entry_url,
    openreferral_service,
)
from .model import Content

#: Fixed namespace for Open Referral ids, so ids never change when the site moves.
SERVICE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:oscp:services")
#: Fields of a full service that hold lists; a service_list item leaves them out.
NESTED = ("schedules", "contacts", "phones", "cost_options")
PARTNERSHIP = "Oxford Safer Communities Partnership"


def service_uuid(service_id: str) -> str:
    """The stable Open Referral id of a service (or of a part of it, e.g. 'police-101/phone')."""
    return str(uuid.uuid5(SERVICE_NAMESPACE, service_id))


def organisation_uuid(organisation_id: str) -> str:
    """The stable Open Referral id of an organisation."""
    return service_uuid(f"organisation/{organisation_id}")


def legacy_service(s: dict[str, Any], site_url: str) -> dict[str, Any]:
    """One service as ``services.json`` has always published it (HSDS 3 field names).

    Kept unchanged for existing readers: it uses three HSDS 3.0 fields that the UK profile
    leaves out (``eligibility_description``, ``fees_description``, ``phones``).
    """
    service: dict[str, Any] = {
        "id": service_uuid(s["id"]),
        "name": s["name"],
        "description": s["purpose"],
        "status": "active",
        "url": entry_url(site_url, "service", s["id"]),  # our page for the service; its own site is in the page
        "eligibility_description": s["audience"],
        "phones": [],
        "schedules": [],
    }
    if s.get("phone"):
        service["phones"].append({"id": service_uuid(s["id"] + "/phone"), "number": s["phone"],
                                  "description": s.get("phone_note") or s.get("call_cost") or None})
    if s.get("hours"):
        service["schedules"].append({"id": service_uuid(s["id"] + "/hours"), "description": s["hours"]})
    if s.get("call_cost"):
        service["fees_description"] = s["call_cost"]
    return service


def _organisation(content: Content, s: dict[str, Any], site_url: str) -> dict[str, Any] | None:
    """The organisation that is the service, when the content has one with the same id
    (e.g. Street Pastors); the content names no other provider for a service."""
    entry = content.of("organisation").get(s["id"])
    if entry is None:
        return None
    o = entry.data
    org: dict[str, Any] = {
        "id": organisation_uuid(o["id"]),
        "name": o["name"],
        "description": f"{o['name']}: one of the organisations that work together in the "
                       f"{PARTNERSHIP}'s programmes.",
        "uri": entry_url(site_url, "organisation", o["id"]),
    }
    if o.get("web"):
        org["website"] = o["web"]
    return org


def _phones(s: dict[str, Any], sid: str) -> list[dict[str, Any]]:
    """HSDS 3.0 phones (an extension to the UK profile, which has no field for them)."""
    phones = []
    if s.get("phone"):
        notes = [text for text in (s.get("phone_note"), s.get("call_cost")) if text]
        phone = {"id": service_uuid(s["id"] + "/phone"), "service_id": sid, "number": s["phone"],
                 "type": "voice"}
        if notes:
            phone["description"] = "; ".join(notes)
        phones.append(phone)
    if s.get("text"):
        phones.append({"id": service_uuid(s["id"] + "/text"), "service_id": sid, "number": s["text"],
                       "type": "text", "description": "For text messages."})
    return phones


def service_document(content: Content, s: dict[str, Any], site_url: str) -> dict[str, Any]:
    """One fully nested service in the UK profile's shape (``GET /services/{id}``)."""
    sid = service_uuid(s["id"])
    doc: dict[str, Any] = {
        "id": sid,
        "name": s["name"],
        "description": f"{s['purpose']}\n\nWho it is for: {s['audience']}",
        "url": entry_url(site_url, "service", s["id"]),  # our page for the service; its own site is in the page
        "status": "active",
        "assured_date": s["last_reviewed"],
        "schedules": [],
        "contacts": [],
        "phones": _phones(s, sid),
        "cost_options": [],
    }
    organisation = _organisation(content, s, site_url)
    if organisation is not None:
        doc["organization_id"] = organisation["id"]
        doc["organization"] = organisation
    if s.get("hours"):
        doc["schedules"].append({"id": service_uuid(s["id"] + "/hours"), "service_id": sid,
                                 "description": s["hours"]})
    if s.get("call_cost"):
        doc["cost_options"].append({"id": service_uuid(s["id"] + "/cost"), "service_id": sid,
                                    "amount_description": s["call_cost"]})
    return doc


def service_list(services: list[dict[str, Any]]) -> dict[str, Any]:
    """The UK profile's ``GET /services`` page: every service on one page, one-to-one fields only."""
    contents = [{k: v for k, v in doc.items() if k not in NESTED} for doc in services]
    return {"total_items": len(contents), "total_pages": 1, "page_number": 1, "size": len(contents),
            "first_page": True, "last_page": True, "empty": not contents, "contents": contents}


def openreferral_documents(content: Content, site_url: str) -> dict[str, Any]:
    """Every Open Referral document, keyed by its path in the site (not yet serialised)."""
    ordered = sorted(content.data("service"), key=lambda s: s["name"].lower())
    full = [service_document(content, s, site_url) for s in ordered]
    files: dict[str, Any] = {
        OPENREFERRAL_SERVICES: [legacy_service(s, site_url) for s in content.data("service")],
        OPENREFERRAL_SERVICE_LIST: service_list(full),
    }
    for doc in full:
        files[openreferral_service(doc["id"])] = doc
    return files
