"""`mediator` imports what its command needs (decision 190): the command line's module imports neither Qt nor
Alembic nor the report's PDF library, and a command on an up-to-date database checks its schema without
Alembic. Each check runs in a fresh interpreter (this one has imported everything already)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from mediator_app.db import migrate
from mediator_app.db.engine import make_engine

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("PySide6", "alembic", "reportlab")


def _modules_after(code: str) -> dict[str, bool]:
    script = f"import sys\n{code}\nimport json\nprint(json.dumps({{m: m in sys.modules for m in {HEAVY!r}}}))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=str(ROOT))
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_importing_the_command_line_imports_no_qt_alembic_or_reportlab() -> None:
    assert _modules_after("import mediator_app.cli") == dict.fromkeys(HEAVY, False)


def test_a_command_on_an_up_to_date_database_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    code = ("import contextlib, io\nfrom mediator_app import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    assert cli.main(['--db', {url!r}, '--json', 'outbox', 'read', '--limit', '5']) == 0")
    assert _modules_after(code) == dict.fromkeys(HEAVY, False)


def test_a_database_behind_the_head_is_still_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine, "0010")
    assert not migrate.is_up_to_date(engine)
    migrate.upgrade(engine)
    assert migrate.is_up_to_date(engine)
    engine.dispose()
    fresh = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert not migrate.is_up_to_date(fresh)  # no alembic_version table at all
    fresh.dispose()


def test_the_head_read_from_the_scripts_is_alembics() -> None:
    assert migrate.script_head() == migrate.head_revision()
