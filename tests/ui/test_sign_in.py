"""The window on PostgreSQL signs in as the connection's login (§7.1): no picker, a password when the server
asks for one (typed, or kept in the system keyring), and the status bar says who is signed in.

The password is asked for real: .ci/run (and the fixture, where it may) gives the login `t_logins_pw` a
`scram-sha-256` line in pg_hba.conf, so this server asks that one login for its password.
"""
from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any, Iterator

import keyring
import psycopg
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from mediator_app.app import build_main_window, main
from mediator_app.services import sign_in
from mediator_app.ui.dialogs.password_dialog import PasswordDialog
from tests.cli_runner import Mediator
from tests.feeds import T0

LOGIN = "t_logins_pw"  # the one login pg_hba.conf asks a password of (.ci/run)
HBA_LINE = f"host all {LOGIN} 127.0.0.1/32 scram-sha-256\n"
PASSWORD = "correct horse " + uuid.uuid4().hex[:6]


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps its passwords in this process (the test's system keyring)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


def _asks_password(conninfo: dict[str, Any]) -> bool:
    try:
        psycopg.connect(user=LOGIN, **conninfo).close()
    except psycopg.OperationalError as exc:
        return "password" in str(exc)
    return False


@pytest.fixture
def scram_login(db_url: str, capsys: pytest.CaptureFixture[str]) -> Iterator[str]:
    """The URL of the test schema as `t_logins_pw`, a clerk whose server asks for its password."""
    if not db_url.startswith("postgresql"):
        pytest.skip("passwords are PostgreSQL's")
    parsed = make_url(db_url)
    conninfo = {"host": parsed.host, "port": parsed.port or 5432, "dbname": parsed.database}
    admin = create_engine(parsed.set(query={}))
    with admin.begin() as conn:
        hba = str(conn.exec_driver_sql("SHOW hba_file").scalar_one())
        has_line = conn.exec_driver_sql(
            "SELECT 1 FROM pg_hba_file_rules WHERE %s = ANY(user_name) AND auth_method = 'scram-sha-256'",
            (LOGIN,)).first() is not None
    if not has_line:
        try:
            text = Path(hba).read_text()
            Path(hba).write_text(HBA_LINE + text)
        except OSError:
            pytest.skip(f"pg_hba.conf has no scram-sha-256 line for {LOGIN} and cannot be written here")
        with admin.begin() as conn:
            conn.exec_driver_sql("SELECT pg_reload_conf()")
    Mediator(db_url, capsys)  # the administrator's command line below
    import sys

    stdin, sys.stdin = sys.stdin, io.StringIO(PASSWORD + "\n")
    try:
        added = Mediator(db_url, capsys).ok("user", "add", LOGIN, "--role", "clerk", "--password-stdin")
    finally:
        sys.stdin = stdin
    assert added["role"] == "clerk"
    for _ in range(1000):  # the server rereads pg_hba.conf when signalled: until it does, it asks nothing
        if _asks_password(conninfo):
            break
    else:
        pytest.fail(f"the server does not ask {LOGIN} for a password")
    try:
        yield parsed.set(username=LOGIN).render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{LOGIN}"')
        admin.dispose()


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    kept = MemoryKeyring()
    keyring.set_keyring(kept)
    try:
        yield kept
    finally:
        keyring.set_keyring(previous)


def answer_dialog(qtbot: QtBot, password: str, keep: bool, seen: list[str]) -> None:
    """When the password dialog is up, type `password` (tick the keyring box if `keep`) and press OK."""
    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PasswordDialog):
            QTimer.singleShot(10, fill)
            return
        seen.append(dialog.problem.text())
        dialog.findChild(QLineEdit, "passwordEdit").setText(password)
        dialog.keep.setChecked(keep)
        dialog.accept()
    QTimer.singleShot(0, fill)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_server_asks_a_password_and_a_wrong_one_is_asked_again(
        qtbot: QtBot, scram_login: str, memory_keyring: MemoryKeyring) -> None:
    target = sign_in.target(scram_login)
    assert target is not None and target.login == LOGIN
    with pytest.raises(sign_in.PasswordNeeded):
        sign_in.check(scram_login)
    seen: list[str] = []
    answers = iter([("wrong", False), (PASSWORD, True)])

    def ask(login: str, problem: str | None) -> tuple[str, bool] | None:
        seen.append(f"{login}: {problem}")
        return next(answers)

    url = sign_in.signed_in_url(target, ask)
    assert url is not None
    assert seen[0] == f"{LOGIN}: None"
    assert "password authentication failed" in seen[1]
    assert memory_keyring.kept == {(sign_in.KEYRING_SERVICE, target.key): PASSWORD}  # the keyring, no file
    sign_in.check(url)

    never = lambda login, problem: pytest.fail("the kept password is used, not asked")  # noqa: E731
    assert sign_in.signed_in_url(target, never) == url


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_the_window_signs_in_as_the_login_and_says_so(
        qtbot: QtBot, scram_login: str, memory_keyring: MemoryKeyring, tmp_path: Path) -> None:
    target = sign_in.target(scram_login)
    assert target is not None
    seen: list[str] = []
    answer_dialog(qtbot, PASSWORD, False, seen)  # typed in the real dialog, not kept
    url = sign_in.signed_in_url(target, PasswordDialog.ask)
    assert url is not None and seen == [""]
    assert memory_keyring.kept == {}

    from mediator_app.domain.time import FixedClock

    window = build_main_window(url, None, FixedClock(T0))
    qtbot.addWidget(window)
    assert window.ops.user == LOGIN and window.ops.role == "clerk"
    assert window.status_user.text() == f"Signed in as {LOGIN} (clerk)"
    window.close()

    from mediator_app.domain.errors import Rejection

    with pytest.raises(Rejection, match=f"connected as {LOGIN}; cannot act as alice"):
        build_main_window(url, "alice", FixedClock(T0))

    shot = tmp_path / "signed-in.png"
    answer_dialog(qtbot, PASSWORD, False, seen)
    assert main(["--db", scram_login, "--now", "2026-11-01T03:00:00Z", "--screenshot", str(shot),
                 "--size", "900x500"]) == 0
    assert shot.stat().st_size > 0


def test_the_password_dialog_hides_what_is_typed_and_offers_the_keyring_only_where_there_is_one(
        qtbot: QtBot) -> None:
    dialog = PasswordDialog(LOGIN, "password authentication failed", keyring_available=False)
    qtbot.addWidget(dialog)
    edit = dialog.findChild(QLineEdit, "passwordEdit")
    assert edit.echoMode() == QLineEdit.EchoMode.Password
    assert not dialog.keep.isEnabled() and dialog.problem.isVisibleTo(dialog)
    edit.setText("s3cret")
    assert dialog.answer() == ("s3cret", False)
    with_keyring = PasswordDialog(LOGIN, None, keyring_available=True)
    qtbot.addWidget(with_keyring)
    assert with_keyring.keep.isEnabled() and not with_keyring.problem.isVisibleTo(with_keyring)


class PlaintextKeyring(KeyringBackend):
    """Stands for keyrings.alt's file backend: it would write the password as it is."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("a password was given to a plain-text keyring")

    def delete_password(self, service: str, username: str) -> None:
        return None


def test_a_keyring_that_keeps_passwords_in_plain_text_is_no_keyring(memory_keyring: MemoryKeyring) -> None:
    from keyring.backends import chainer, fail, null

    assert sign_in.keyring_available()  # the test's in-memory keyring keeps secrets
    for backend in (PlaintextKeyring(), fail.Keyring(), null.Keyring()):
        keyring.set_keyring(backend)
        assert not sign_in.keyring_available(), backend

    class Chained(chainer.ChainerBackend):  # keyring's own chain, over a secret and a plain-text backend
        backends = [memory_keyring, PlaintextKeyring()]

    keyring.set_keyring(Chained())
    assert not sign_in.keyring_available()
    Chained.backends = [memory_keyring]
    assert sign_in.keyring_available()
