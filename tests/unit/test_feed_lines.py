"""The feed line reader (issue 13): lines as they arrive, in bounded memory, a line beyond the limit cut."""
from __future__ import annotations

import hashlib
import io

from mediator_app.services.feed_lines import LineReader, LongLine


def read(data: bytes, limit: int = 10) -> list[tuple[int, bytes]]:
    return list(LineReader(io.BytesIO(data), limit=limit))


def test_lines_numbers_blank_lines_crlf_and_bom() -> None:
    data = b"\xef\xbb\xbfa\r\n\n  \nb\nc"
    assert read(data) == [(1, b"a"), (4, b"b"), (5, b"c")]
    assert list(LineReader(data, limit=10)) == [(1, b"a"), (4, b"b"), (5, b"c")]


def test_a_line_at_the_limit_is_whole_and_beyond_it_is_cut_with_its_size_and_hash() -> None:
    exact, over, over_crlf = b"x" * 10, b"y" * 11, b"z" * 25
    got = read(exact + b"\n" + over + b"\n" + over_crlf + b"\r\nlast" + b"w" * 20)
    assert got[0] == (1, exact) and not isinstance(got[0][1], LongLine)
    for (number, line), whole in zip(got[1:], (over, over_crlf, b"last" + b"w" * 20)):
        assert isinstance(line, LongLine)
        assert line == whole[:10]
        assert line.size == len(whole) and line.sha256 == hashlib.sha256(whole).hexdigest()
    assert [n for n, _ in got] == [1, 2, 3, 4]


def test_a_line_across_many_reads_is_read_whole(monkeypatch) -> None:
    import mediator_app.services.feed_lines as feed_lines

    monkeypatch.setattr(feed_lines, "READ_SIZE", 3)
    data = b"first line\nsecond, longer line\n\nthird"
    assert read(data, limit=100) == [(1, b"first line"), (2, b"second, longer line"), (4, b"third")]
    long = read(b"a" * 50 + b"\nok", limit=20)
    assert isinstance(long[0][1], LongLine) and long[0][1].size == 50 and long[1] == (2, b"ok")


def test_an_event_id_is_found_at_the_head_of_a_long_line() -> None:
    line = read(b'{"event_id": "E-7", "text": "' + b"x" * 100 + b'"}', limit=40)[0][1]
    assert isinstance(line, LongLine) and line.event_id() == "E-7"
