"""The engine's imports run one way, as hooks/oscp/__init__.py describes."""

from __future__ import annotations

import ast

from oscp.model import KINDS
from tests.sitebuild import REPO

ENGINE = REPO / "hooks" / "oscp"


def _imports() -> dict[str, set[str]]:
    """Each engine module -> the engine modules and top-level packages it imports."""
    graph: dict[str, set[str]] = {}
    for path in ENGINE.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                found.update([node.module.split(".")[0]] if node.module else [a.name for a in node.names])
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
        graph[path.stem] = found
    return graph


def test_no_import_cycle() -> None:
    graph = _imports()
    engine = set(graph)

    def visit(module: str, path: list[str]) -> None:
        for target in graph[module] & engine:
            assert target not in path, " -> ".join(path + [target])
            visit(target, path + [target])

    for module in graph:
        visit(module, [module])


def test_only_the_loader_imports_schemas_and_checks() -> None:
    importers = {m for m, deps in _imports().items() if deps & {"schemas", "checks"}}
    assert importers == {"load"}


def test_only_the_adapter_and_the_build_import_mkdocs() -> None:
    importers = {m for m, deps in _imports().items() if "mkdocs" in deps}
    assert importers <= {"mkdocs_adapter", "site_build"}


def test_every_kind_has_a_folder_and_a_schema() -> None:
    for kind in KINDS.values():
        assert (REPO / "content" / "schemas" / kind.schema).is_file(), kind.name
        assert (REPO / "content" / kind.folder).is_dir(), kind.name
