"""Items of an iterator produced in a thread, a bounded number ahead of the one consuming them.

For reads that wait on a database while the caller works on what came before: the driver releases the GIL
while it waits for the server (PostgreSQL) or steps through its pages (SQLite), so the two overlap. The
iterator and whatever it holds (a connection) are used by the reading thread only until the consumer is done.
"""
from __future__ import annotations

import queue
import threading
from typing import Any, Iterator, TypeVar

T = TypeVar("T")


def read_ahead(items: Iterator[T], depth: int = 4, name: str = "read-ahead") -> Iterator[T]:
    """`items` produced in a thread, at most `depth` ahead of the consumer; an error in the thread is raised to
    the consumer; a consumer that stops early stops the thread (joined before this generator ends)."""
    ahead: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()
    end = object()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        ahead.put(item, timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            ahead.put(end)
        except BaseException as exc:  # handed to the consumer
            ahead.put(exc)

    reader = threading.Thread(target=produce, name=name, daemon=True)
    reader.start()
    try:
        while (item := ahead.get()) is not end:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while reader.is_alive():  # let a reader blocked on a full queue see `stop`
            try:
                ahead.get(timeout=0.1)
            except queue.Empty:
                pass
        reader.join()
