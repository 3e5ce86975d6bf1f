"""The layer rules of docs/architecture.md, checked on the source: rules without Qt, widgets without SQL.

Relative imports are resolved against the module's package (`from ..db import store` in `ui/` is
`mediator_app.db.store`), and the top-level modules (`app.py`, `cli.py`, the `demo` package) are checked too.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "mediator_app"
LAYERS = ("domain", "db", "services", "ui", "demo", "report")
TOP_LEVEL = ("__init__.py", "app.py", "cli.py", "desk_cli.py", "cli_offline.py", "cli_users.py", "cli_outbox.py",
             "cli_audit.py", "lazy.py", "early_signals.py")
DRIVERS = {"sqlalchemy", "alembic", "psycopg"}


def module_name(path: Path, root: Path = PACKAGE) -> str:
    """`mediator_app.ui.queue_model` for mediator_app/ui/queue_model.py (a package's `__init__` is the package)."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, root: Path = PACKAGE) -> set[str]:
    """Every module the file imports, absolute; `from X import name` also counts `X.name` (it may be a module)."""
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    mods: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            mods.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)] if node.level > 1 else package
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            mods.add(module)
            mods.update(f"{module}.{alias.name}" for alias in node.names)
    return mods


def imported_roots(path: Path, root: Path = PACKAGE) -> set[str]:
    return {m.split(".")[0] for m in imported_modules(path, root)}


def files_of(layer: str) -> list[Path]:
    if layer == "top":
        return [PACKAGE / name for name in TOP_LEVEL]
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer,forbidden", [
    ("domain", {"PySide6"} | DRIVERS),
    ("db", {"PySide6"}),
    ("services", {"PySide6"}),
    ("ui", DRIVERS),
    ("report", DRIVERS),
    ("demo", {"PySide6"} | DRIVERS),
])
def test_layer_does_not_import(layer: str, forbidden: set[str]) -> None:
    files = files_of(layer)
    assert files, f"no modules found in {layer}/"
    offenders = {str(f.relative_to(PACKAGE)): sorted(imported_roots(f) & forbidden) for f in files}
    assert {k: v for k, v in offenders.items() if v} == {}


def reaching(layer: str, upward: tuple[str, ...]) -> dict[str, set[str]]:
    found = {str(f.relative_to(PACKAGE)): {m for m in imported_modules(f) if m.startswith(upward)}
             for f in files_of(layer)}
    return {k: v for k, v in found.items() if v}


def test_domain_does_not_reach_up_into_db_services_or_ui() -> None:
    assert reaching("domain", ("mediator_app.db", "mediator_app.services", "mediator_app.ui",
                               "mediator_app.demo", "mediator_app.app", "mediator_app.cli")) == {}


def test_ui_does_not_import_the_db_layer() -> None:
    assert reaching("ui", ("mediator_app.db",)) == {}


def _ui_module_file(module: str) -> Path | None:
    path = PACKAGE.parent / (module.replace(".", "/") + ".py")
    return path if path.is_file() else None


def widgets_reached(module: str, seen: set[str] | None = None) -> set[str]:
    """The ui modules `module` reaches (itself included) that import QtWidgets."""
    seen = set() if seen is None else seen
    path = _ui_module_file(module)
    if path is None or module in seen:
        return set()
    seen.add(module)
    mods = imported_modules(path)
    found = {module} if any(m.startswith("PySide6.QtWidgets") for m in mods) else set()
    for inner in mods:
        if inner.startswith("mediator_app.ui."):
            found |= widgets_reached(inner, seen)
    return found


def test_report_is_a_layer_of_its_own() -> None:
    """report/ (documents for the record, made with Qt) reads through services, never the db layer; nothing
    below it imports it. From ui/ it takes only the window's words — modules that reach no widget (decision 180):
    the case file says what the window says, in the window's language."""
    assert reaching("report", ("mediator_app.db",)) == {}
    words = {m for found in reaching("report", ("mediator_app.ui",)).values() for m in found
             if _ui_module_file(m) is not None}
    assert words, "the case file takes its words from ui/"
    assert {m: sorted(widgets_reached(m)) for m in words if widgets_reached(m)} == {}
    for layer in ("domain", "db", "services"):
        assert reaching(layer, ("mediator_app.report",)) == {}


def test_db_and_services_do_not_import_the_ui() -> None:
    assert reaching("db", ("mediator_app.services", "mediator_app.ui")) == {}
    assert reaching("services", ("mediator_app.ui",)) == {}


def test_the_demo_takes_its_rules_from_the_domain_only() -> None:
    assert reaching("demo", ("mediator_app.db", "mediator_app.services", "mediator_app.ui",
                             "mediator_app.app", "mediator_app.cli")) == {}


def test_the_command_line_runs_without_qt() -> None:
    for name in ("cli.py", "desk_cli.py", "cli_users.py", "cli_outbox.py", "cli_audit.py",  # all the command's
                 "early_signals.py"):
        assert "PySide6" not in imported_roots(PACKAGE / name)
        assert reaching("top", ("mediator_app.ui",)).get(name) is None


def test_every_module_belongs_to_a_checked_layer() -> None:
    """A new top-level module or folder must be given its rules here."""
    stray = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
             if p.relative_to(PACKAGE).parts[0] not in LAYERS + TOP_LEVEL]
    assert stray == []


def test_relative_imports_are_resolved(tmp_path: Path) -> None:
    """Bug 7 of issue 10: `from ..db import store` in ui/ passed the old check."""
    ui = tmp_path / "mediator_app" / "ui"
    ui.mkdir(parents=True)
    (ui / "__init__.py").write_text("from . import widgets\n", encoding="utf-8")
    sneaky = ui / "sneaky.py"
    sneaky.write_text("from ..db import store\nfrom .formatting import tr\nfrom ... import outside\n",
                      encoding="utf-8")
    mods = imported_modules(sneaky, tmp_path / "mediator_app")
    assert {"mediator_app.db", "mediator_app.db.store", "mediator_app.ui.formatting"} <= mods
    assert "mediator_app.ui.widgets" in imported_modules(ui / "__init__.py", tmp_path / "mediator_app")
