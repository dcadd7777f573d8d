"""Open Referral UK documents, checked against the UK profile's own schemas (vendored in
hooks/oscp/api_schemas/openreferral-uk/ from OpenReferralUK/uk-profile): services.json, the
service_list page (GET /services) and one full service per service (GET /services/{id})."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from oscp.addresses import (
    MANIFEST,
    OPENREFERRAL_SERVICE_LIST,
    OPENREFERRAL_SERVICES,
    openreferral_service,
    read_manifest,
    url_for,
)
from oscp.openreferral import service_uuid
from tests.sitebuild import REPO, page

PROFILE = REPO / "hooks" / "oscp" / "api_schemas" / "openreferral-uk"
PAGE_FIELDS = ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty")
#: Fields our full service documents add to the profile: HSDS 3.0's service.phones, which the
#: UK profile leaves out (it has no other place for a phone number).
EXTENSIONS = frozenset({"phones"})
#: Keys that would publish where someone is: never allowed anywhere in these documents.
FORBIDDEN = {"address", "addresses", "location", "locations", "service_at_locations", "latitude",
             "longitude", "postal_code", "address_1"}


def _profile(name: str) -> dict[str, Any]:
    return json.loads((PROFILE / name).read_text(encoding="utf-8"))


def _errors(schema: dict[str, Any], document: Any) -> list[str]:
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def _closed(schema: dict[str, Any], extra: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The schema with every object closed (no properties beyond the profile's), except
    ``extra`` at the top: proves that we publish only fields the profile defines."""
    closed = copy.deepcopy(schema)

    def close(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("properties"), dict):
                node["additionalProperties"] = False
                for child in node["properties"].values():
                    close(child)
            if isinstance(node.get("items"), dict):
                close(node["items"])

    close(closed)
    closed["properties"].update({name: {} for name in extra})
    return closed


def _list_schema() -> dict[str, Any]:
    """The body of the profile's GET /services: its Page fields and service_list contents,
    as the profile's openapi.json defines them; every field required."""
    openapi = _profile("openapi.json")
    response = openapi["paths"]["/services"]["get"]["responses"]["200"]["content"]["application/json"]
    assert response["schema"]["allOf"] == [{"$ref": "#/components/schemas/Page"}]
    assert response["schema"]["properties"]["contents"]["items"]["$ref"].endswith("/schema/compiled/service_list.json")
    page_schema = openapi["components"]["schemas"]["Page"]
    return {
        "type": "object",
        "allOf": [page_schema],
        "required": [*PAGE_FIELDS, "contents"],
        "properties": {"contents": {"type": "array", "items": _profile("service_list.json")}},
    }


def _json(site: Path, path: str) -> Any:
    return json.loads((site / path).read_text(encoding="utf-8"))


def _service_ids() -> list[str]:
    return sorted(p.stem for p in (REPO / "content" / "services").glob("*.yml"))


def _full_services(site: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for sid in _service_ids():
        yield sid, _json(site, openreferral_service(service_uuid(sid)))


def _keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from _keys(item)


def test_the_vendored_profile_is_the_uk_profile() -> None:
    assert _profile("openapi.json")["info"]["title"] == "Open Referral UK Profile"
    assert _profile("service.json")["required"] == ["id", "name", "status"]
    readme = (PROFILE / "README.md").read_text(encoding="utf-8")
    assert "ecdfabf78944d480d7f580d08b702b08cbec4b09" in readme and "Attribution-ShareAlike 4.0" in readme
    assert "Attribution-ShareAlike 4.0" in (PROFILE / "LICENSE").read_text(encoding="utf-8")


def test_services_json_entries_validate_against_the_profile_service(real_site: Path) -> None:
    services = _json(real_site, OPENREFERRAL_SERVICES)
    assert len(services) == len(_service_ids())
    schema = _profile("service.json")
    for service in services:
        assert _errors(schema, service) == [], service["name"]


def test_every_service_has_a_full_document_valid_against_the_profile(real_site: Path) -> None:
    schema = _profile("service.json")
    closed = _closed(schema, EXTENSIONS)
    phone = _profile("phone.json")
    for sid, doc in _full_services(real_site):
        assert doc["id"] == service_uuid(sid)
        assert _errors(schema, doc) == [], sid
        assert _errors(closed, doc) == [], sid  # nothing beyond the profile but phones
        for item in doc["phones"]:
            assert _errors(phone, item) == [], sid
            assert item["service_id"] == doc["id"]
        for nested in ("schedules", "contacts", "cost_options"):
            assert all(item["service_id"] == doc["id"] for item in doc[nested])


def test_the_service_list_page_validates_against_the_profile(real_site: Path) -> None:
    listing = _json(real_site, OPENREFERRAL_SERVICE_LIST)
    assert _errors(_list_schema(), listing) == []
    closed = {**_list_schema(), "properties": {"contents": {"type": "array",
                                                             "items": _closed(_profile("service_list.json"))}}}
    assert _errors(closed, listing) == []
    ids = {service_uuid(sid) for sid in _service_ids()}
    assert {item["id"] for item in listing["contents"]} == ids
    assert listing["total_items"] == listing["size"] == len(ids)
    assert (listing["page_number"], listing["total_pages"], listing["first_page"], listing["last_page"],
            listing["empty"]) == (1, 1, True, True, False)


def test_full_documents_carry_what_the_content_has(real_site: Path) -> None:
    docs = dict(_full_services(real_site))
    police = docs["police-101"]
    assert [p["number"] for p in police["phones"]] == ["101"]
    assert [s["description"] for s in police["schedules"]] == ["24 hours a day, every day"]
    assert police["url"].startswith("http")
    pastors = docs["street-pastors"]
    assert pastors["organization"]["name"] == "Street Pastors"
    assert pastors["organization_id"] == pastors["organization"]["id"]
    assert pastors["schedules"] and not pastors["phones"]  # the reports give no number
    assert all(d["assured_date"] for d in docs.values())


@pytest.mark.parametrize("document", ["services.json", "service_list.json", "services/"])
def test_no_address_or_location_is_ever_published(real_site: Path, document: str) -> None:
    path = real_site / "api" / "openreferral" / document
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(path.glob("*.json"))] \
        if document.endswith("/") else [json.loads(path.read_text(encoding="utf-8"))]
    assert docs
    for doc in docs:
        assert FORBIDDEN.isdisjoint(_keys(doc))


def test_new_documents_are_in_the_manifest_and_on_the_partners_page(real_site: Path) -> None:
    manifest = set(read_manifest(REPO / MANIFEST))
    assert url_for(OPENREFERRAL_SERVICE_LIST) in manifest
    for sid in _service_ids():
        assert url_for(openreferral_service(service_uuid(sid))) in manifest
    text = page(real_site, "for-partners/").get_text()
    assert "/api/openreferral/service_list.json" in text
    assert "/api/openreferral/services/<id>.json" in text
    assert "/api/v1/datapackage.json" in text
