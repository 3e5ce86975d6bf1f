"""The LISTEN connection is made with the engine's own connect keywords (decision 192).

It once re-rendered the engine's URL into a libpq string on the way, so a session setting's spaces in
`options=-c …` could reach the server as `+` and the listener then failed (or ran with other settings): windows
got no live updates and `mediator outbox follow` printed nothing. Here a notification must reach the listener on
a plain URL and on one whose options and password hold spaces, and the server must see the options as given.
"""
from __future__ import annotations

import queue
import threading
import uuid
from typing import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url

from mediator_app.db import store
from mediator_app.db.engine import make_engine
from mediator_app.domain.time import FixedClock
from mediator_app.services import changes
from mediator_app.services.context import Context
from tests.conftest import T0, _require_pg

PASSWORD = "a b+c %d 'e'"  # spaces, a plus, a percent sign and quotes


@pytest.fixture
def admin() -> Iterator[Engine]:
    engine = create_engine(_require_pg())
    yield engine
    engine.dispose()


@pytest.fixture
def login(admin: Engine) -> Iterator[str]:
    name = f"t_perf_{uuid.uuid4().hex[:8]}"
    with admin.begin() as conn:
        quoted = PASSWORD.replace("'", "''").replace("%", "%%")  # a literal; `%` doubled for the driver
        conn.exec_driver_sql(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{quoted}'")
    try:
        yield name
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{name}"')


def _delivered(url: str, admin: Engine, application_name: str | None = None) -> set[str]:
    """Start `changes.listen` on `url`, send one notification once it listens, return what it delivered."""
    engine = make_engine(url)
    ctx = Context(engine=engine, clock=FixedClock(T0))
    received: queue.Queue[set[str]] = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=changes.listen, args=(ctx, received.put, stop), daemon=True)
    thread.start()
    try:
        assert received.get(timeout=15) == {changes.ALL}, "listening (the catch-up after a connection)"
        with admin.begin() as conn:
            if application_name is not None:  # the server has the listener's options as they were given
                listening = conn.exec_driver_sql(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND query ILIKE 'LISTEN%%'",
                    (application_name,)).scalar_one()
                assert listening == 1
            conn.exec_driver_sql("SELECT pg_notify(%s, %s)", (store.CHANNEL, '["D-listened"]'))
        return received.get(timeout=15)
    finally:
        stop.set()
        thread.join(timeout=15)
        engine.dispose()
        assert not thread.is_alive()


def test_a_notification_reaches_the_listener_on_a_plain_url(admin: Engine) -> None:
    assert _delivered(_require_pg(), admin) == {"D-listened"}


def test_options_and_a_password_with_spaces_reach_the_listener_as_given(admin: Engine, login: str) -> None:
    application_name = f"t_perf listener {uuid.uuid4().hex[:6]}"
    options = f"-c application_name={application_name.replace(' ', chr(92) + ' ')} -c work_mem=8MB"
    url = make_url(_require_pg()).set(username=login, password=PASSWORD)
    rendered = url.render_as_string(hide_password=False)
    rendered += ("&" if "?" in rendered else "?") + "options=" + quote(options)
    engine = make_engine(rendered)
    keywords = changes.connect_args(engine.url, engine.dialect)
    assert keywords["password"] == PASSWORD and keywords["user"] == login
    assert keywords["options"].startswith(options)  # then our session settings (engine.with_session_settings)
    engine.dispose()
    assert _delivered(rendered, admin, application_name) == {"D-listened"}


def test_connect_args_are_the_engines_own(login: str) -> None:
    """What the listener and the sign-in check connect with is what the engine's pool connects with."""
    url = make_url(_require_pg()).set(username=login, password=PASSWORD,
                                      query={"options": "-c search_path=a\\ b -c work_mem=8MB"})
    engine = make_engine(url.render_as_string(hide_password=False))
    _, pool_keywords = engine.dialect.create_connect_args(engine.url)
    pool_keywords.pop("context", None)
    assert changes.connect_args(engine.url, engine.dialect) == pool_keywords
    assert changes.connect_args(engine.url) == pool_keywords  # the psycopg dialect's, from a URL alone
    engine.dispose()
