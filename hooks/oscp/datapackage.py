"""The figures as a Frictionless Data Package: ``/api/v1/datapackage.json``.

One tabular resource per dataset CSV under ``/api/v1/datasets/``, each with a Table Schema
(field names, types and the dataset's unit), a title, a description, the reports and
paragraphs its figures come from, and the licence, so that a data user can load every
CSV without reading its page. The CSVs themselves are written by :func:`oscp.charts.csv_text`;
the schema here follows the same columns.
"""

from __future__ import annotations

from typing import Any

from .addresses import DATAPACKAGE, api_dataset_csv, entry_url, index_uri, public_url, relative_to
from .model import Content

LICENCE = {
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
PUBLISHER = "Oxford Safer Communities Partnership"


def _field_type(values: list[float | None]) -> str:
    """'integer' when every figure is a whole number (as the CSV writes it), else 'number'."""
    whole = all(v is None or float(v).is_integer() for v in values)
    return "integer" if whole else "number"


def _cites(d: dict[str, Any]) -> list[dict[str, str]]:
    """Every citation of a dataset's figures, once each: its source, each row's, its total's."""
    cites = [d["source"], *d.get("label_sources", [])]
    if "total" in d:
        cites.append(d["total"]["source"])
    unique: list[dict[str, str]] = []
    for cite in cites:
        if cite not in unique:
            unique.append(cite)
    return unique


def _sources(content: Content, d: dict[str, Any], site_url: str) -> list[dict[str, str]]:
    """Data Package sources: the report and the place in it, linked to its entry on /sources/."""
    out = []
    for cite in _cites(d):
        report = content.get("source", cite["source"])
        out.append({"title": f"{report['title']}, {cite['at']}",
                    "path": entry_url(site_url, "source", cite["source"])})
    return out


def _schema(d: dict[str, Any]) -> dict[str, Any]:
    """The Table Schema of a dataset's CSV: the label column, then one column per series."""
    label = d.get("label_heading", "Label")
    fields: list[dict[str, Any]] = [{
        "name": label, "type": "string", "title": label,
        "description": f"Each row's label ({d['period']}).",
    }]
    for series in d["series"]:
        fields.append({
            "name": series["name"], "type": _field_type(series["values"]), "title": series["name"],
            "description": f"{d['measures']} Unit: {d['unit']}. Empty where the report gives no figure.",
            "unit": d["unit"],
        })
    return {"fields": fields, "missingValues": [""]}


def _resource(content: Content, d: dict[str, Any], site_url: str) -> dict[str, Any]:
    description = " ".join([d["measures"], f"Period: {d['period']}.", f"Unit: {d['unit']}.",
                            *d.get("notes", [])])
    return {
        "name": d["id"],
        "path": relative_to(api_dataset_csv(d["id"]), DATAPACKAGE),
        "profile": "tabular-data-resource",
        "title": d["title"],
        "description": description,
        "homepage": entry_url(site_url, "dataset", d["id"]),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": _schema(d),
        "sources": _sources(content, d, site_url),
        "licenses": [LICENCE],
    }


def datapackage(content: Content, site_url: str) -> dict[str, Any]:
    """The Data Package describing every dataset CSV of the open-data API."""
    datasets = sorted(content.data("dataset"), key=lambda d: d["id"])
    return {
        "profile": "tabular-data-package",
        "name": "safer-oxford-figures",
        "title": "Safer Oxford: figures from the Oxford Safer Communities Partnership's reports",
        "description": "Every table on the Safer Oxford site, one CSV per dataset. Each figure is "
                       "transcribed from a published report; each resource names the report and "
                       "paragraph its figures come from.",
        "homepage": public_url(site_url, index_uri("dataset")),
        "licenses": [LICENCE],
        "contributors": [{"title": PUBLISHER, "role": "publisher"}],
        "resources": [_resource(content, d, site_url) for d in datasets],
    }
