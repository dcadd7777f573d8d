"""The figures as a Frictionless Data Package, checked by frictionless itself: the package and
every CSV it describes validate with zero errors, and each resource says what a data user
needs (columns, types, unit, title, description, sources, licence)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from frictionless import validate

from oscp.addresses import DATAPACKAGE, api_dataset_csv
from tests.sitebuild import REPO, page

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def _package(site: Path) -> dict:
    return json.loads((site / DATAPACKAGE).read_text(encoding="utf-8"))


def test_package_and_every_csv_validate_with_frictionless(real_site: Path) -> None:
    report = validate(str(real_site / DATAPACKAGE))
    errors = report.flatten(["type", "note"])
    assert errors == [], errors
    assert report.valid
    assert report.stats["tasks"] == len(_package(real_site)["resources"])


def test_one_resource_per_dataset_csv(real_site: Path) -> None:
    ids = sorted(p.stem for p in (REPO / "content" / "datasets").glob("*.yml"))
    resources = _package(real_site)["resources"]
    assert [r["name"] for r in resources] == ids
    folder = (real_site / DATAPACKAGE).parent
    for resource in resources:
        assert (folder / resource["path"]).resolve() == (real_site / api_dataset_csv(resource["name"])).resolve()


def test_each_resource_describes_its_columns_sources_and_licence(real_site: Path) -> None:
    package = _package(real_site)
    assert package["licenses"][0]["path"] == OGL
    for resource in package["resources"]:
        assert resource["title"] and resource["description"], resource["name"]
        assert resource["licenses"] == [{"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0",
                                         "path": OGL}]
        assert resource["sources"], resource["name"]
        for source in resource["sources"]:
            # the report and the place in it, linked to the report's entry on /sources/
            assert ", " in source["title"] and "/sources/#" in source["path"], source
        fields = resource["schema"]["fields"]
        text = (real_site / api_dataset_csv(resource["name"])).read_text(encoding="utf-8")
        assert [f["name"] for f in fields] == next(csv.reader(io.StringIO(text)))
        assert fields[0]["type"] == "string"
        for field in fields[1:]:
            assert field["type"] in ("integer", "number") and field["unit"], (resource["name"], field)


def test_a_wrong_type_in_a_csv_is_reported(real_site: Path, tmp_path: Path) -> None:
    """The check has teeth: a word in a numeric column is an error."""
    copy = tmp_path / "v1"
    shutil.copytree((real_site / DATAPACKAGE).parent, copy)
    package = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    target = copy / package["resources"][0]["path"]
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    rows[1][1] = "many"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    target.write_text(out.getvalue(), encoding="utf-8")
    report = validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert "type-error" in {error[0] for error in report.flatten(["type"])}


def test_the_data_page_links_the_package(real_site: Path) -> None:
    links = [a["href"] for a in page(real_site, "data/").select("article a[href]")]
    assert "../api/v1/datapackage.json" in links
