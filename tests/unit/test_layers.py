"""The layer rules of docs/architecture.md, checked on the source: rules without Qt, widgets without SQL."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "mediator_app"


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def imported_modules(path: Path) -> set[str]:
    mods: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            mods.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            mods.add(node.module)
    return mods


@pytest.mark.parametrize("layer,forbidden", [
    ("domain", {"PySide6", "sqlalchemy", "alembic", "psycopg"}),
    ("db", {"PySide6"}),
    ("services", {"PySide6"}),
    ("ui", {"sqlalchemy", "alembic", "psycopg"}),
    ("report", {"sqlalchemy", "alembic", "psycopg"}),
])
def test_layer_does_not_import(layer: str, forbidden: set[str]) -> None:
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files, f"no modules found in {layer}/"
    offenders = {str(f.relative_to(PACKAGE)): sorted(imported_roots(f) & forbidden) for f in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_domain_does_not_reach_up_into_db_services_or_ui() -> None:
    for path in (PACKAGE / "domain").rglob("*.py"):
        upward = {m for m in imported_modules(path)
                  if m.startswith(("mediator_app.db", "mediator_app.services", "mediator_app.ui"))}
        assert not upward, f"{path.name} imports {upward}"


def test_ui_does_not_import_the_db_layer() -> None:
    for path in (PACKAGE / "ui").rglob("*.py"):
        assert not {m for m in imported_modules(path) if m.startswith("mediator_app.db")}, path.name


def test_report_is_a_layer_of_its_own() -> None:
    """report/ (documents for the record, made with Qt) reads through services; nothing below it imports it, and
    it never reaches into the db layer."""
    for path in (PACKAGE / "report").rglob("*.py"):
        assert not {m for m in imported_modules(path) if m.startswith("mediator_app.db")}, path.name
    for layer in ("domain", "db", "services"):
        for path in (PACKAGE / layer).rglob("*.py"):
            assert not {m for m in imported_modules(path)
                        if m.startswith(("mediator_app.report", "mediator_app.ui"))}, path.name
