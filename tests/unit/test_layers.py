"""The runtime library never imports its tools, so a function bundle can leave them out whole."""

from __future__ import annotations

import ast
from pathlib import Path

from tests import paths

PACKAGE = paths.REPO / "shared" / "passport_ocr"
TOOLS = PACKAGE / "tools"


def _imported_modules(source: Path) -> set[str]:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _runtime_sources() -> list[Path]:
    return [path for path in PACKAGE.rglob("*.py") if TOOLS not in path.parents]


def test_the_runtime_library_is_most_of_the_package() -> None:
    assert len(_runtime_sources()) > 40
    assert list(TOOLS.rglob("*.py"))


def test_no_runtime_module_imports_the_tools() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            name for name in _imported_modules(path) if name.startswith("passport_ocr.tools")
        )
        for path in _runtime_sources()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_handlers_import_only_the_runtime_library() -> None:
    for handler in (paths.REPO / "functions").rglob("*.py"):
        assert not [n for n in _imported_modules(handler) if n.startswith("passport_ocr.tools")]
