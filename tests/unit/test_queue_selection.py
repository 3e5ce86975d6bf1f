"""The queue's selection across reloads, as the state machine sees it (no Qt)."""
from __future__ import annotations

from mediator_app.ui.queue_selection import SelectionKeeper

LISTED = {"D-1", "D-2", "D-3"}


def listed(dispute_id: str) -> bool:
    return dispute_id in LISTED


def test_the_first_load_selects_the_top_row_and_later_loads_do_not() -> None:
    keeper = SelectionKeeper()
    keeper.reloading()
    assert keeper.head_loaded(listed, loading=False, first="D-1") == ("select", "D-1")
    assert keeper.row_made_current(True, "D-1") and keeper.current == "D-1"
    keeper.current = None  # the clerk cleared it
    keeper.reloading()
    assert keeper.head_loaded(listed, loading=False, first="D-1") == ("clear", None)


def test_a_kept_case_past_the_head_waits_for_the_keys() -> None:
    keeper = SelectionKeeper(current="D-9", first_load=False)
    keeper.reloading()
    assert keeper.head_loaded(listed, loading=True, first="D-1") == ("wait", None)
    LISTED.add("D-9")
    try:
        assert keeper.keys_loaded("D-1", listed, "D-1") == ("select", "D-9")
    finally:
        LISTED.discard("D-9")
    assert keeper.keep is None


def test_a_case_gone_from_the_view_clears_the_selection() -> None:
    keeper = SelectionKeeper(current="D-9", first_load=False)
    keeper.reloading()
    assert keeper.head_loaded(listed, loading=False, first="D-1") == ("clear", None)
    assert keeper.current is None


def test_the_clerks_choice_during_a_load_wins() -> None:
    keeper = SelectionKeeper(current="D-1", first_load=False)
    keeper.reloading(select="D-3")
    assert keeper.row_made_current(True, "D-2")  # chosen while the load runs
    assert keeper.keep is None and keeper.current == "D-2"
    assert keeper.keys_loaded("D-2", listed, "D-1") == ("none", None)


def test_a_row_chosen_before_its_dispute_was_known_is_announced_with_the_keys() -> None:
    keeper = SelectionKeeper(current="D-1", first_load=False)
    assert not keeper.row_made_current(True, None)  # past the head: no dispute yet
    assert keeper.chosen_early
    assert keeper.keys_loaded("D-3", listed, "D-1") == ("announce", "D-3")
    assert keeper.current == "D-3" and not keeper.chosen_early


def test_the_selection_follows_its_case_when_the_order_moved() -> None:
    keeper = SelectionKeeper(current="D-2", first_load=False)
    assert keeper.keys_loaded("D-3", listed, "D-1") == ("follow", "D-2")  # same case: not announced again
    assert not keeper.row_made_current(True, "D-2")
