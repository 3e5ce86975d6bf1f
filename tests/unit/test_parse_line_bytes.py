"""Bug 6 of issue 10: a line that is not UTF-8 is a clear rejection, not an AttributeError (a
UnicodeDecodeError has no `.msg`/`.colno`)."""
import pytest

from mediator_app.domain.errors import Rejection
from mediator_app.domain.events import parse_line


def test_bytes_that_are_not_utf8_are_rejected_with_the_byte_offset():
    with pytest.raises(Rejection, match=r"not valid UTF-8: invalid start byte at byte 11"):
        parse_line(b'{"kind": "\xff"}')


def test_utf8_bytes_parse_like_text():
    assert parse_line('{"note": "退款"}'.encode()) == parse_line('{"note": "退款"}') == {"note": "退款"}


def test_bytes_with_a_nul_are_rejected_like_text():
    with pytest.raises(Rejection, match="NUL"):
        parse_line(b'{"a": "\x00"}')
