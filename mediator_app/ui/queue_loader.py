"""The queue's loading: a key list plus a page cache, loaded off the GUI thread; no view needed.

A load comes in three steps: the head (the first pages' keys and rows) paints at once, the row count follows
(the scroll bar's range), then every matching dispute id of the current `QueueQuery` arrives in display order
(`keys_loaded`). Rows are fetched by page, off the GUI thread, once the view has stopped asking for new pages;
until then the cells show a neutral placeholder. A fetched row stays unparsed until it is first shown
(`StoredLine`), then becomes a `PreparedLine` of display strings. Answers of an older query are recognised by a
generation number and dropped. The page cache keeps the `max_pages` pages used last.

The loader tells whoever shows its rows (`RowListener`: the table model) before and after the row set changes,
so a Qt model can wrap each change in its begin/end calls; without one (tests) nothing is told.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from mediator_app.domain.queue_line import QueueLine
from mediator_app.services import workbench
from mediator_app.services.workbench import QueueQuery, StoredLine
from mediator_app.ui.formatting import tr
from mediator_app.ui.operations import Operations
from mediator_app.ui.queue_lines import PreparedLine, prepared_line

FETCH_SETTLE_MS = 40  # rows are fetched once the view has asked for no new page for this long
HEAD_PAGES = 4  # visible pages up to this one are read with the head; deeper ones after the full key list
RowSource = QueueLine | StoredLine  # a fetched row before its first paint
Page = dict[str, PreparedLine | RowSource | None]


class RowListener(Protocol):
    """What the loader tells the view's model: the row set is about to change, and has changed."""

    def begin_reset(self) -> None: ...
    def end_reset(self) -> None: ...
    def begin_insert(self, first: int, last: int) -> None: ...
    def end_insert(self) -> None: ...
    def begin_remove(self, first: int, last: int) -> None: ...
    def end_remove(self) -> None: ...
    def rows_changed(self, first: int, last: int) -> None: ...


class _Nobody:
    def begin_reset(self) -> None: pass
    def end_reset(self) -> None: pass
    def begin_insert(self, first: int, last: int) -> None: pass
    def end_insert(self) -> None: pass
    def begin_remove(self, first: int, last: int) -> None: pass
    def end_remove(self) -> None: pass
    def rows_changed(self, first: int, last: int) -> None: pass


class QueueLoader(QObject):
    """The keys and rows of one `QueueQuery`, loaded through `Operations`; call `reload()` to load.

    Signals:
        loaded(): the row count and the first page (and the visible pages) of the current query are in
        keys_loaded(): every key of the current query is in (`loading` is False from then on)
        page_loaded(int): a page of rows arrived (page number)
    """

    loaded = Signal()
    keys_loaded = Signal()
    page_loaded = Signal(int)

    def __init__(self, ops: Operations, parent: QObject | None = None, page_size: int = 200, max_pages: int = 50,
                 listener: RowListener | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.page_size = page_size
        self.max_pages = max_pages
        self.listener: RowListener = listener or _Nobody()
        self.query = QueueQuery(view="all", user=ops.user)
        self.count = 0  # rows shown; more than len(_ids) while the full key list is loading
        self._counted: QueueQuery | None = None  # the query `count` was counted for
        self._ids: list[str] = []
        self._rows_by_id: dict[str, int] = {}
        # page -> id -> its line: parsed and formatted on the GUI thread the first time it is shown (a stored
        # line is ~40 µs of Python; in a worker it would compete with the painting for the GIL)
        self._pages: OrderedDict[int, Page] = OrderedDict()
        self._pending: set[int] = set()
        self._failed: set[int] = set()
        self._wanted: set[int] = set()
        self._generation = 0
        self.loading = False  # from `reload()` until every key of the query is in
        # True once the first pages of the running load are in (False during a reload); the row count may still
        # be on its way (until then the rows are the head's, or the last count of the same query)
        self.head_loaded = False
        self.visible = (0, -1)  # the rows the view shows (inclusive; last < first when none)
        # Page requests leave the paint through the event loop, once the view stops asking for new pages: while a
        # clerk drags the scroll bar, pages flying past are never fetched, and no worker competes with the
        # painting for Python's GIL (each cell painted is a call into Python).
        self.fetch_timer = QTimer(self)
        self.fetch_timer.setSingleShot(True)
        self.fetch_timer.setInterval(FETCH_SETTLE_MS)
        self.fetch_timer.timeout.connect(self._on_fetch_timer_timeout)

    def set_query(self, query: QueueQuery) -> bool:
        """Load another query; False (nothing done) when it is the current one. It starts at its top rows."""
        if query == self.query:
            return False
        self.query = query
        first, last = self.visible
        self.visible = (0, last - first)  # a new query shows its top rows: those are the ones to fetch first
        self.reload()
        return True

    # ----- the three steps ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the current query again: its first rows (and the visible pages) first, then the row count and
        every key.

        The head — the first pages' keys and rows — is one small query that the indexes answer in order, so the
        table paints at once. The count (a scan of the query's index entries, ~20 ms over 200,000) and the full
        key list follow in two more workers: the count sizes the scroll bar, the keys complete the model
        (`keys_loaded`). A query whose rows all fit in the head needs neither.
        """
        self._generation += 1
        generation, query, ctx = self._generation, self.query, self.ops.ctx
        self.loading = True
        self.head_loaded = False
        size = self.page_size
        first, last = self.visible
        hint = {0} | ({p for p in range(first // size, last // size + 1)} if last >= first >= 0 else set())
        if max(hint) > HEAD_PAGES:  # scrolled deep (a refresh): the head stays short, the visible pages come
            hint = {0}             # with the full key list
        limit = (max(hint) + 1) * size

        def load_head() -> tuple[list[str], dict[int, dict[str, RowSource | None]]]:
            ids = workbench.queue_head(ctx, query, limit)
            return ids, self._fetch_pages(ctx, ids, hint)

        self.ops.run(load_head, lambda result: self._on_head_loaded(generation, limit, *result),
                     lambda exc: self._on_load_failed(generation, exc), owner=self)

    def _fetch_pages(self, ctx: Any, ids: list[str], pages: set[int]) -> dict[int, dict[str, RowSource | None]]:
        """(worker) The rows of the given pages of `ids`, unparsed."""
        size = self.page_size
        out: dict[int, dict[str, RowSource | None]] = {}
        for page in sorted(p for p in pages if p * size < len(ids)):
            chunk = ids[page * size:(page + 1) * size]
            found = workbench.queue_row_sources(ctx, chunk)
            out[page] = {i: found.get(i) for i in chunk}
        return out

    def _on_head_loaded(self, generation: int, limit: int, ids: list[str],
                        pages: dict[int, dict[str, RowSource | None]]) -> None:
        if generation != self._generation:
            return  # an older query answered late
        complete = len(ids) < limit  # everything that matches is in the head
        query = self.query
        # until the count is in: the last count of this query (a refresh keeps its scroll position), else the head
        provisional = self.count if self._counted == query else 0
        self.listener.begin_reset()
        self.count = len(ids) if complete else max(len(ids), provisional)
        self._ids = ids
        self._rows_by_id = {dispute_id: row for row, dispute_id in enumerate(ids)}
        self._pages = OrderedDict((page, dict(rows)) for page, rows in sorted(pages.items()))
        self._pending.clear()
        self._failed.clear()
        self._wanted.clear()
        self.listener.end_reset()
        self.loading = not complete
        self.head_loaded = True
        if complete:
            self._counted = query
        self.loaded.emit()
        if complete:
            self.keys_loaded.emit()
            return
        ctx = self.ops.ctx

        def load_keys() -> tuple[list[str], dict[str, int]]:
            ids = workbench.queue_ids(ctx, query)
            return ids, dict(zip(ids, range(len(ids))))  # built here, not on the GUI thread

        def load_the_rest() -> None:
            if generation != self._generation:
                return  # another load began meanwhile
            self.ops.run(lambda: workbench.queue_count(ctx, query), lambda n: self._on_counted(generation, n),
                         lambda exc: self._on_load_failed(generation, exc), owner=self)
            self.ops.run(load_keys, lambda keys: self._on_keys_loaded(generation, *keys),
                         lambda exc: self._on_load_failed(generation, exc), owner=self)

        # after the head's paint (posted before this): reading 200,000 keys into Python holds the GIL for tens
        # of milliseconds, which the first paint would otherwise wait for
        QTimer.singleShot(0, self, load_the_rest)

    def _on_counted(self, generation: int, count: int) -> None:
        """The row count is in: the rows past the head appear (placeholders until their keys come)."""
        if generation != self._generation or not self.loading:
            return  # an older query's, or the full key list (which counts too) came first
        self._resize(max(count, len(self._ids)), lambda: None)
        self._counted = self.query

    def _on_keys_loaded(self, generation: int, ids: list[str], rows_by_id: dict[str, int]) -> None:
        """Every key of the query is in: rows past the head become fetchable."""
        if generation != self._generation:
            return
        same_head = ids[:len(self._ids)] == self._ids

        def set_keys() -> None:
            self._ids = ids
            self._rows_by_id = rows_by_id
            if not same_head:  # the order moved under the head: its cached pages no longer line up
                self._pages.clear()

        self._resize(len(ids), set_keys)  # rows came or went between the reads
        self._counted = self.query
        if ids:
            self.listener.rows_changed(0, len(ids) - 1)
        self.loading = False
        self.keys_loaded.emit()
        if self._wanted and not self.fetch_timer.isActive():
            self.fetch_timer.start()

    def _resize(self, count: int, change: Callable[[], None]) -> None:
        """Make `count` rows, applying `change` inside the listener's insert or remove (or alone)."""
        old = self.count
        if count > old:
            self.listener.begin_insert(old, count - 1)
            change()
            self.count = count
            self.listener.end_insert()
        elif count < old:  # a refresh: fewer rows than its last count
            self.listener.begin_remove(count, old - 1)
            change()
            self.count = count
            self.listener.end_remove()
        else:
            change()

    def _on_load_failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self.ops.failed.emit(tr("Could not load the queue: %1", "Queue").replace("%1", str(exc)))

    # ----- keys and rows --------------------------------------------------------------------------------

    def ids(self) -> list[str]:
        """Every dispute id of the current query, in display order (a copy)."""
        return list(self._ids)

    def dispute_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, dispute_id: str) -> int | None:
        return self._rows_by_id.get(dispute_id)

    def cached_line(self, row: int) -> PreparedLine | None:
        """The row's line when its page is loaded (no fetch, no cache reordering)."""
        dispute_id = self.dispute_id(row)
        page = self._pages.get(row // self.page_size)
        if page is None or dispute_id is None:
            return None
        return self._parsed(page, dispute_id)

    @staticmethod
    def _parsed(page: Page, dispute_id: str) -> PreparedLine | None:
        """The row's line, parsed and formatted on first use."""
        value = page.get(dispute_id)
        if value is None or isinstance(value, PreparedLine):
            return value
        line = prepared_line(workbench.row_from_stored(dispute_id, value))
        page[dispute_id] = line
        return line

    def is_page_loaded(self, page: int) -> bool:
        return page in self._pages

    def is_page_pending(self, page: int) -> bool:
        return page in self._pending

    def is_page_failed(self, page: int) -> bool:
        return page in self._failed

    def line(self, row: int) -> tuple[bool, PreparedLine | None]:
        """(page loaded, line) — asks for the page when it is not loaded yet (and its keys are known)."""
        if row >= len(self._ids):
            return False, None  # past the head while the full key list loads; asked again when it is in
        page_number = row // self.page_size
        page = self._pages.get(page_number)
        if page is None:
            self._want(page_number)
            return False, None
        self._pages.move_to_end(page_number)
        return True, self._parsed(page, self._ids[row])

    # ----- fetching pages -------------------------------------------------------------------------------

    def _want(self, page: int) -> None:
        if page in self._pending or page in self._failed or page in self._wanted:
            return
        self._wanted.add(page)
        self.fetch_timer.start()  # (re)starts: a new page wanted means the view is still moving

    def _on_fetch_timer_timeout(self) -> None:
        """Fetch the wanted pages the view still shows (or is next to); pages it scrolled past are dropped and
        asked for again if they come back into view."""
        wanted, self._wanted = sorted(self._wanted), set()
        first, last = self.visible
        if last >= first >= 0:
            near = range(first // self.page_size - 1, last // self.page_size + 2)
            wanted = [page for page in wanted if page in near] or wanted[-2:]
        for page in wanted:
            self._fetch_page(page)

    def _fetch_page(self, page: int) -> None:
        if not self.head_loaded:
            return  # the keys shown are the previous query's: asked again once the head is in
        if page in self._pages or page in self._pending or page * self.page_size >= len(self._ids):
            return
        self._pending.add(page)
        generation, ctx = self._generation, self.ops.ctx
        chunk = self._ids[page * self.page_size:(page + 1) * self.page_size]
        done: Callable[[dict[str, RowSource]], None] = lambda rows: self._on_page_loaded(generation, page, chunk, rows)
        self.ops.run(lambda: workbench.queue_row_sources(ctx, chunk), done,
                     lambda exc: self._on_page_failed(generation, page, exc), owner=self)

    def _on_page_loaded(self, generation: int, page: int, chunk: list[str], rows: dict[str, RowSource]) -> None:
        self._pending.discard(page)
        if generation != self._generation or chunk != self._ids[page * self.page_size:(page + 1) * self.page_size]:
            return  # an older query's, or the keys moved under it since it was asked for
        self._pages[page] = {i: rows.get(i) for i in chunk}
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        first = page * self.page_size
        last = min(first + self.page_size, len(self._ids)) - 1
        if last >= first:
            self.listener.rows_changed(first, last)
        self.page_loaded.emit(page)

    def _on_page_failed(self, generation: int, page: int, exc: Exception) -> None:
        if generation != self._generation:
            return
        self._pending.discard(page)
        self._failed.add(page)  # not asked again until the next reload
        self.ops.failed.emit(tr("Could not load queue rows: %1", "Queue").replace("%1", str(exc)))
