"""Signing the window in to PostgreSQL (§7.1): the connection's login is the user; a password, when the server
asks for one, is typed each time or kept in the system keyring (the `keyring` library), never in a file.

No Qt here: the window asks for the password (`ui/dialogs/password_dialog.py`) and calls these.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Final

import psycopg
from sqlalchemy.engine import make_url

from mediator_app.db.engine import normalize_url

from .changes import connect_args

#: The keyring's service name; the entry is named by the login and the server (`Target.key`)
KEYRING_SERVICE: Final = "mediator"
#: libpq's words when the server wants a password that was not given, or refused the one given
_NO_PASSWORD = ("no password supplied", "password authentication failed", "password is required")


class PasswordNeeded(Exception):
    """The server asks for a password (none was given, or the one given was refused)."""

    def __init__(self, refused: bool, message: str) -> None:
        super().__init__(message)
        self.refused = refused  # a password was given and the server refused it


@dataclass(frozen=True)
class Target:
    """Where the window connects: the URL (without a password) and the login it connects as."""

    url: str

    @property
    def login(self) -> str:
        parsed = make_url(self.url)
        if parsed.username:
            return parsed.username
        import getpass  # libpq's default: the operating system's user name

        return getpass.getuser()

    @property
    def key(self) -> str:
        parsed = make_url(self.url)
        return f"{self.login}@{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"

    def with_password(self, password: str | None) -> str:
        if password is None:
            return self.url
        return make_url(self.url).set(password=password).render_as_string(hide_password=False)


def target(url: str) -> Target | None:
    """The PostgreSQL target of `url` (a password the URL carries is used as given); None for SQLite."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() != "postgresql":
        return None
    return Target(parsed.render_as_string(hide_password=False))


def check(url: str) -> None:
    """Connect once to `url`; PasswordNeeded when the server wants a password it was not given (or refused it).
    Any other failure is left to the caller (the window reports an unreachable database as it always did)."""
    parsed = make_url(url)
    try:
        psycopg.connect(**connect_args(parsed), connect_timeout=10).close()
    except psycopg.OperationalError as exc:
        text = str(exc)
        if any(words in text for words in _NO_PASSWORD):
            raise PasswordNeeded(parsed.password is not None, text.strip().splitlines()[-1]) from None
        raise


def keyring_available() -> bool:
    """Whether this machine has a keyring that keeps a password secret: keyring's `fail` and `null` backends mean
    none (`null` drops what it is given), and
    a backend that writes passwords as they are (keyrings.alt's `PlaintextKeyring`, any `…Plaintext…` backend)
    does not count — a password is never stored in plain text (decision 137)."""
    import keyring

    return _keeps_secrets(keyring.get_keyring())


def _keeps_secrets(backend: object) -> bool:
    from keyring.backends import chainer, fail, null

    if isinstance(backend, chainer.ChainerBackend):  # it writes to the first of its backends that takes it
        return bool(backend.backends) and all(_keeps_secrets(b) for b in backend.backends)
    return not isinstance(backend, (fail.Keyring, null.Keyring)) and "plaintext" not in type(backend).__name__.lower()


def remembered(t: Target) -> str | None:
    """The password the keyring keeps for this login and server, if any (None when there is no keyring)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, t.key)
    except KeyringError:
        return None


def remember(t: Target, password: str) -> bool:
    """Keep the password in the system keyring; False when this machine has no keyring (nothing is written)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, t.key, password)
    except KeyringError:
        return False
    return True


def forget(t: Target) -> None:
    """Drop a kept password (the server refused it)."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(KEYRING_SERVICE, t.key)
    except (PasswordDeleteError, KeyringError):
        pass


#: What the window asks: (login, why the last try failed or None) -> (password, keep it in the keyring) or None
Ask = Callable[[str, "str | None"], "tuple[str, bool] | None"]


def signed_in_url(t: Target, ask: Ask) -> str | None:
    """The URL to connect with: as it is when the server asks no password; else with the keyring's password
    for this login, or the one `ask` returns (asked again while the server refuses it). None: cancelled."""
    try:
        check(t.url)
        return t.url
    except PasswordNeeded:
        pass
    kept = remembered(t)
    if kept is not None:
        try:
            check(t.with_password(kept))
            return t.with_password(kept)
        except PasswordNeeded:
            forget(t)  # changed on the server since: ask
    problem: str | None = None
    while True:
        answer = ask(t.login, problem)
        if answer is None:
            return None
        password, keep = answer
        try:
            check(t.with_password(password))
        except PasswordNeeded as exc:
            problem = str(exc)
            continue
        if keep:
            remember(t, password)
        return t.with_password(password)
