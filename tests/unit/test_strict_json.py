"""Strict JSON in the feed (issue 13, decision 70): what RFC 8259 refuses is rejected, naming the key."""
from __future__ import annotations

import pytest

from mediator_app.domain.errors import Rejection
from mediator_app.domain.events import LineRejection, event_id_of, parse_line


@pytest.mark.parametrize("line,words", [
    ('{"event_id": "E-1", "amount": NaN}', ("NaN", "'amount'")),
    ('{"event_id": "E-1", "amount": Infinity}', ("Infinity", "'amount'")),
    ('{"event_id": "E-1", "amount": -Infinity}', ("-Infinity", "'amount'")),
    ('{"event_id": "E-1", "order": {"total": {"amount": NaN}}}', ("NaN", "'amount'")),
    ('{"event_id": "E-1", "list": [1, NaN]}', ("NaN", "'list'")),
    ('{"event_id": "E-1", "deep": [[Infinity]]}', ("Infinity",)),
    ('{"event_id": "E-1", "party": "buyer", "text": "x", "party": "seller"}', ("'party'", "more than once")),
    ('{"event_id": "E-1", "order": {"order_id": "O-1", "order_id": "O-2"}}', ("'order_id'", "more than once")),
])
def test_what_is_not_json_is_rejected_naming_the_key(line: str, words: tuple[str, ...]) -> None:
    with pytest.raises(Rejection) as caught:
        parse_line(line)
    for word in words:
        assert word in caught.value.reason
    assert isinstance(caught.value, LineRejection)
    assert event_id_of(caught.value.obj) == "E-1"  # the line's event_id is still reported


def test_a_second_event_id_does_not_win() -> None:
    with pytest.raises(LineRejection) as caught:
        parse_line('{"event_id": "E-1", "type": "message.posted", "event_id": "E-2"}')
    assert "'event_id'" in caught.value.reason
    assert event_id_of(caught.value.obj) == "E-1"


@pytest.mark.parametrize("line", ["NaN", "Infinity", "-Infinity"])
def test_a_bare_constant_is_not_a_line(line: str) -> None:
    with pytest.raises(Rejection, match="not a JSON value"):
        parse_line(line)


def test_an_integer_too_long_to_convert_keeps_the_event_id() -> None:
    line = '{"event_id": "E-big", "type": "message.posted", "n": ' + "7" * 4300 + "1}"
    with pytest.raises(LineRejection) as caught:
        parse_line(line)
    assert "4301 digits" in caught.value.reason and "'n'" in caught.value.reason
    assert event_id_of(caught.value.obj) == "E-big"


def test_numbers_and_keys_that_are_json_still_read() -> None:
    assert parse_line('{"a": 1, "b": -2.5e3, "c": {"a": 1}, "d": [1, 2], "n": ' + "9" * 4300 + "}")["a"] == 1
