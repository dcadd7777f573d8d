"""The publishing workflow (.github/workflows/publish.yml): pinned actions, least permissions,
checks on every pull request and a deployment to GitHub Pages from main."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from tests.sitebuild import REPO

WORKFLOW_PATH = REPO / ".github" / "workflows" / "publish.yml"
TEXT = WORKFLOW_PATH.read_text(encoding="utf-8")
WORKFLOW: dict[Any, Any] = yaml.safe_load(TEXT)
JOBS: dict[str, dict[str, Any]] = WORKFLOW["jobs"]
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")


def _steps(job: str) -> list[dict[str, Any]]:
    return JOBS[job].get("steps", [])


def _runs(job: str) -> list[str]:
    return [line.strip() for step in _steps(job) for line in str(step.get("run", "")).splitlines()]


def _uses(job: str, action: str) -> list[dict[str, Any]]:
    return [step for step in _steps(job) if str(step.get("uses", "")).split("@")[0] == action]


def _pr_job() -> str:
    jobs = [name for name, job in JOBS.items() if "pull_request" in str(job.get("if", ""))]
    assert len(jobs) == 1, f"expected one pull-request job, found {jobs}"
    return jobs[0]


def test_triggers_are_pull_requests_and_pushes_to_main() -> None:
    triggers = WORKFLOW.get("on", WORKFLOW.get(True))  # PyYAML reads a bare `on` as true
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]


def test_every_action_is_pinned_to_a_commit_sha_with_its_version() -> None:
    uses = [step["uses"] for job in JOBS.values() for step in job.get("steps", []) if "uses" in step]
    uses += [job["uses"] for job in JOBS.values() if "uses" in job]
    assert uses, "the workflow uses no actions"
    for ref in uses:
        assert PINNED.match(ref), f"{ref} is not pinned to a full 40-character commit SHA"
    lines = [USES_LINE.match(line) for line in TEXT.splitlines()]
    found = [m for m in lines if m]
    assert len(found) == len(uses)
    for match in found:
        assert re.match(r"^\s*#\s*v\d+(\.\d+)*\s*$", match.group(2)), \
            f"{match.group(1)} needs its release as a comment, e.g. # v4.2.2"


def test_top_level_permissions_are_read_only() -> None:
    assert WORKFLOW["permissions"] == {"contents": "read"}


@pytest.mark.parametrize("job", sorted(JOBS))
def test_permissions_are_strings_or_mappings_never_write_all(job: str) -> None:
    permissions = JOBS[job].get("permissions", {})
    assert isinstance(permissions, dict), f"{job}: give permissions scope by scope"


def test_only_the_deploy_job_can_write_to_pages() -> None:
    writers = {name: job["permissions"] for name, job in JOBS.items()
               if any(level == "write" for level in job.get("permissions", {}).values())}
    assert writers == {"deploy": {"pages": "write", "id-token": "write"}}


def test_pull_request_job_checks_builds_tests_and_uploads_the_site() -> None:
    job = _pr_job()
    runs = _runs(job)
    for command in ("make check", "make build", "bash .ci/run"):
        assert command in runs, f"the pull-request job does not run {command!r}"
    assert runs.index("make check") < runs.index("make build")
    uploads = _uses(job, "actions/upload-artifact")
    assert len(uploads) == 1
    assert uploads[0]["with"]["path"].rstrip("/") == "site"
    assert _uses(job, "actions/checkout")


def test_main_is_built_and_deployed_to_pages_one_at_a_time() -> None:
    deploy = JOBS["deploy"]
    builder = deploy["needs"] if isinstance(deploy["needs"], str) else deploy["needs"][0]
    assert "refs/heads/main" in JOBS[builder]["if"] and "push" in JOBS[builder]["if"]
    assert "make build" in _runs(builder)
    artifact = _uses(builder, "actions/upload-pages-artifact")
    assert len(artifact) == 1 and artifact[0]["with"]["path"].rstrip("/") == "site"
    assert _uses("deploy", "actions/configure-pages")
    assert _uses("deploy", "actions/deploy-pages")
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"]["group"]
    assert deploy["concurrency"]["cancel-in-progress"] is False
