"""§7.1's user names: NFKC, lower-case, then `[a-z][a-z0-9._-]*`, 1–63 characters (domain/user_names.py)."""
from __future__ import annotations

import pytest

from mediator_app.domain.errors import Rejection
from mediator_app.domain.user_names import RULE, check_user_name, is_user_name


@pytest.mark.parametrize("typed, stored", [
    ("alice", "alice"), ("ALICE", "alice"), ("Li.Wei", "li.wei"), ("ｂｏｂ", "bob"), ("a", "a"),
    ("a" * 63, "a" * 63), ("clerk-7_x.y", "clerk-7_x.y"), ("ﬁona", "fiona"),
])
def test_names_are_stored_normalised(typed: str, stored: str) -> None:
    assert check_user_name(typed) == stored
    assert is_user_name(stored)


@pytest.mark.parametrize("typed", [
    "", " alice", "alice ", "al ice", "alice\u200b", "\u200balice", "alice\u00a0", "ali\x00ce", "alice\n",
    "a" * 64, "1alice", "-alice", ".alice", "alicé", "алиса", "alice@example", "ali'ce", "ali\"ce",
])
def test_anything_else_is_refused_with_the_rule(typed: str) -> None:
    with pytest.raises(Rejection) as caught:
        check_user_name(typed)
    assert caught.value.reason.startswith(RULE)
    assert repr(typed) in caught.value.reason  # what was typed, escaped: an invisible character shows


@pytest.mark.parametrize("reserved", ["feed", "FEED", "sweeper"])
def test_the_historys_own_actors_are_no_users(reserved: str) -> None:
    with pytest.raises(Rejection, match="history's name"):
        check_user_name(reserved)
