"""Reading a feed as it arrives: numbered lines from a file, a pipe or bytes, in bounded memory.

A line is kept whole up to `LINE_LIMIT` bytes (a 10 MiB evidence file is ~14 MB of base64); a longer one is not
held: its first `LINE_LIMIT` bytes come as a `LongLine` that carries the size and sha256 of the whole line, and
the rest is hashed as it streams past. Lines end at LF (a CR before it is dropped); a UTF-8 byte order mark at
the start is skipped; blank lines are skipped but keep their place in the numbering.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import select
from functools import partial
from typing import BinaryIO, Callable, Iterator

LINE_LIMIT = 16 * 1024 * 1024
READ_SIZE = 1 << 20
#: How long a pipe may stay silent before the lines already read are committed (the next ones may be minutes off)
PIPE_PAUSE_SECONDS = 0.05
_EVENT_ID = re.compile(rb'"event_id"\s*:\s*"([^"\\]{1,128})"')


class LongLine(bytes):
    """The first `LINE_LIMIT` bytes of a longer line; `size` and `sha256` are those of the whole line."""

    size: int
    sha256: str

    def event_id(self) -> str | None:
        """The event_id named near the start, if any (the line cannot be read as JSON)."""
        found = _EVENT_ID.search(self, 0, 64 * 1024)
        return found.group(1).decode("utf-8", "replace") if found else None


class LineReader:
    """Numbered non-blank lines of `source` (bytes, or a binary file / pipe read as it arrives)."""

    def __init__(self, source: bytes | BinaryIO, limit: int = LINE_LIMIT) -> None:
        self.limit = limit
        self.fd: int | None = None
        self._read: Callable[[int], bytes]
        if isinstance(source, (bytes, bytearray, memoryview)):
            self._read = io.BytesIO(bytes(source)).read
        else:
            try:
                fd = source.fileno()
            except (AttributeError, OSError, io.UnsupportedOperation):
                self._read = getattr(source, "read1", source.read)
            else:
                self.fd = fd
                self._read = partial(os.read, fd)  # what has arrived, without waiting for `n` bytes
        self.buf = bytearray()
        self.pos = 0
        self.eof = False

    def __iter__(self) -> Iterator[tuple[int, bytes]]:
        number = 0
        while (line := self._line()) is not None:
            number += 1
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:] if not isinstance(line, LongLine) else line
            if isinstance(line, LongLine) or line.strip():
                yield number, line

    def idle(self) -> bool:
        """Whether no further line is at hand: none is buffered and a pipe has been silent for a moment. A
        regular file or bytes are never idle (the next line is always at hand)."""
        if self.eof or self.buf.find(b"\n", self.pos) >= 0 or self.fd is None:
            return False
        try:
            ready, _, _ = select.select([self.fd], [], [], PIPE_PAUSE_SECONDS)
        except (OSError, ValueError):
            return False
        return not ready

    def _fill(self) -> bool:
        if self.eof:
            return False
        data = self._read(READ_SIZE)
        if not data:
            self.eof = True
            return False
        if self.pos:
            del self.buf[:self.pos]
            self.pos = 0
        self.buf += data
        return True

    def _line(self) -> bytes | None:
        start = self.pos
        while True:
            end = self.buf.find(b"\n", start)
            if end >= 0 and self._content(end) > self.limit or end < 0 and len(self.buf) - self.pos > self.limit + 1:
                return self._long()
            if end >= 0:
                line = self._take(self.pos, end)
                self.pos = end + 1
                return line[:-1] if line.endswith(b"\r") else line
            start = len(self.buf)
            before = self.pos
            if not self._fill():
                if self._content(len(self.buf)) > self.limit:
                    return self._long()
                if len(self.buf) > self.pos:
                    line = self._take(self.pos, len(self.buf))
                    self.pos = len(self.buf)
                    return line[:-1] if line.endswith(b"\r") else line
                return None
            start -= before  # the buffer was compacted by `before` bytes

    def _content(self, end: int) -> int:
        """Length of the line from `pos` to `end` without its CR."""
        return end - self.pos - (1 if end > self.pos and self.buf[end - 1] == 13 else 0)

    def _take(self, start: int, end: int) -> bytes:
        with memoryview(self.buf) as view:  # one copy, not two (a slice of a bytearray is a copy already)
            return bytes(view[start:end])

    def _long(self) -> LongLine:
        """The rest of a line longer than the limit: hashed as it streams past, only its head kept."""
        digest = hashlib.sha256()
        head = LongLine(self._take(self.pos, self.pos + self.limit))
        size = 0
        while True:
            end = self.buf.find(b"\n", self.pos)
            if end >= 0:
                part = self.buf[self.pos:end]
                self.pos = end + 1
                if part.endswith(b"\r"):
                    part = part[:-1]
                digest.update(part)
                size += len(part)
                break
            with memoryview(self.buf) as view:
                digest.update(view[self.pos:])
            size += len(self.buf) - self.pos
            self.pos = len(self.buf)
            if not self._fill():
                break
        head.size, head.sha256 = size, digest.hexdigest()
        return head
