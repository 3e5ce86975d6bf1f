"""Every PostgreSQL session of ours has bounded waits (issue 13, decision 72): the settings ride in the URL's
`options`, beside whatever the URL gives (a search_path, say)."""
from __future__ import annotations

from urllib.parse import quote

from sqlalchemy.engine import make_url

from mediator_app.db.engine import PG_SESSION_SETTINGS, with_session_settings


def test_the_settings_join_the_options_a_url_has() -> None:
    url = f"postgresql+psycopg://u@h/db?options={quote('-csearch_path=t_1')}"
    options = make_url(with_session_settings(url)).query["options"]
    assert "-csearch_path=t_1" in options
    for name, value in PG_SESSION_SETTINGS.items():
        assert f"-c {name}={value}" in options


def test_a_setting_the_url_gives_is_kept() -> None:
    url = f"postgresql+psycopg://u@h/db?options={quote('-c lock_timeout=100')}"
    options = make_url(with_session_settings(url)).query["options"]
    assert options.count("lock_timeout") == 1 and "lock_timeout=100" in options


def test_a_setting_the_url_gives_in_other_letters_is_kept() -> None:
    url = f"postgresql+psycopg://u@h/db?options={quote('-c timezone=Asia/Shanghai')}"
    options = make_url(with_session_settings(url)).query["options"]
    assert options.lower().count("timezone") == 1 and "timezone=Asia/Shanghai" in options
