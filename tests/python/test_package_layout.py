"""The package by role: pipeline/ imports neither readers/ nor devtools/ (nor the CLI), readers/ does not import
devtools/ (nor the CLI); devtools/ may import anything. Read from the source with ast, imports inside functions
included, so a lazy import cannot cross a line either."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "renewal_warehouse"
FORBIDDEN = {
    "pipeline": ("renewal_warehouse.readers", "renewal_warehouse.devtools", "renewal_warehouse.cli"),
    "readers": ("renewal_warehouse.devtools", "renewal_warehouse.cli"),
}


def imported_modules(path: Path, root: Path) -> set[str]:
    """Every module a file under `root` (the directory holding the package) imports, absolute; `from a import b`
    counts as a and a.b (b may be a module)."""
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def crossing(role: str, package: Path = PACKAGE) -> list[str]:
    said = []
    for path in sorted((package / role).rglob("*.py")):
        for module in sorted(imported_modules(path, package.parent)):
            if any(module == f or module.startswith(f + ".") for f in FORBIDDEN[role]):
                said.append(f"{path.relative_to(package.parent)} imports {module}")
    return said


@pytest.mark.parametrize("role", sorted(FORBIDDEN))
def test_a_role_imports_only_the_roles_below_it(role):
    assert (PACKAGE / role).is_dir()
    assert crossing(role) == []


def test_the_check_sees_a_crossing(tmp_path):
    """The check itself: a lazy, relative import from pipeline/ into readers/ is found."""
    package = tmp_path / "renewal_warehouse"
    (package / "pipeline").mkdir(parents=True)
    (package / "pipeline" / "bad.py").write_text("def f():\n    from ..readers import dashboards\n")
    assert crossing("pipeline", package) == ["renewal_warehouse/pipeline/bad.py imports renewal_warehouse.readers",
                                    "renewal_warehouse/pipeline/bad.py imports renewal_warehouse.readers.dashboards"]
