"""The case view: header, every clock in two zones, the three proposal panes, gap meter, timeline, evidence, messages.

Cases are built through the real feed path (`ingest_events`) and clerk actions (`casework`), then read with
`workbench.case_detail` exactly as the window does.
"""
from __future__ import annotations

import base64
import hashlib
import threading
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Iterator

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QColor, QFontDatabase, QImage, QPainter
from pytestqt.qtbot import QtBot

from mediator_app.domain.policy import ALIEXPRESS_2024
from mediator_app.domain.time import FixedClock
from mediator_app.services import casework, workbench
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from mediator_app.services.workstation import WorkstationServices
from mediator_app.ui.case_view import CaseView
from mediator_app.ui.clocks_view import COL_EXPIRY, COL_LEFT, COL_LOCAL, COL_PLATFORM, COL_WHY, due_text
from mediator_app.ui.formatting import PLATFORM_ZONE, parse_iso
from mediator_app.ui.operations import Operations
from tests.feeds import T0, event, money, opened

POLICY_HOURS = ALIEXPRESS_2024.party_response_hours  # the tooltip's values come from the policy
POLICY_DAYS = ALIEXPRESS_2024.platform_intervention_days
OPEN_AT = T0 - timedelta(days=2)  # the clock stands at T0; the dispute opened two days before


def ingest(ctx: Context, *events: dict[str, Any]) -> None:
    report = ingest_events(ctx, list(events))
    assert report.rejected == []


def posted(dispute: str, party: str, proposal_id: str, amount: str, at: datetime, **extra: Any) -> dict[str, Any]:
    proposal = {"proposal_id": proposal_id, "remedy": "refund", "refund": money(amount), **extra}
    return event(dispute, "proposal.posted", at, f"E-{proposal_id}", party=party, proposal=proposal)


def png_bytes(width: int = 400, height: int = 300) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#c8a070"))
    painter = QPainter(image)
    painter.fillRect(40, 40, 120, 90, QColor("#503020"))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def evidence_event(dispute: str, at: datetime, event_id: str, filename: str, media_type: str,
                   content: bytes, party: str = "buyer") -> dict[str, Any]:
    return event(dispute, "evidence.added", at, event_id, party=party, filename=filename, media_type=media_type,
                 sha256=hashlib.sha256(content).hexdigest(), content_base64=base64.b64encode(content).decode())


class RecordingServices(WorkstationServices):
    """The real services, noting each evidence fetch: which evidence, and whether on the GUI thread."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.evidence_fetches: list[tuple[int, bool]] = []

    def evidence_content(self, evidence_id: int) -> tuple[str, bytes]:
        self.evidence_fetches.append((evidence_id, threading.current_thread() is threading.main_thread()))
        return super().evidence_content(evidence_id)


@pytest.fixture
def services(ctx: Context) -> RecordingServices:
    return RecordingServices(ctx)


@pytest.fixture
def ops(ctx: Context, services: RecordingServices) -> Iterator[Operations]:
    operations = Operations(ctx, "alice", "clerk", services=services)
    yield operations
    operations.wait_for_idle()


@pytest.fixture
def view(qtbot: QtBot, ops: Operations) -> CaseView:
    widget = CaseView(ops)
    qtbot.addWidget(widget)
    widget.resize(1000, 900)
    return widget


def show(view: CaseView, ctx: Context, clock: FixedClock, dispute: str = "D-1") -> workbench.CaseDetail:
    detail = workbench.case_detail(ctx, dispute)
    view.show_case(detail, clock.now())
    return detail


# -- the three panes ----------------------------------------------------------------------------------------


def test_opening_fills_the_buyer_pane_and_waits_for_the_seller(ctx: Context, clock: FixedClock,
                                                             view: CaseView) -> None:
    ingest(ctx, opened("D-1", OPEN_AT))
    show(view, ctx, clock)
    assert view.buyer_pane.objectName() == "buyerPane"
    assert view.seller_pane.objectName() == "sellerPane"
    assert view.platform_pane.objectName() == "platformPane"
    assert view.buyer_pane.active_proposal_id() == "P-D-1-B1"
    assert view.buyer_pane.terms_text() == "refund 66.65 USD"
    assert "awaiting seller" in view.buyer_pane.state_text()
    assert "executes" in view.buyer_pane.preview_text() and "seller stays silent" in view.buyer_pane.preview_text()
    assert view.seller_pane.active_proposal_id() is None
    assert view.seller_pane.state_text().startswith("(none yet)")
    assert view.platform_pane.state_text() == "(none yet)"
    assert view.gap_meter.text().startswith("gap: needs two proposals")


def test_seller_counter_shows_beside_the_buyers_first_proposal(ctx: Context, clock: FixedClock,
                                                              view: CaseView) -> None:
    ingest(ctx, opened("D-1", OPEN_AT),
           posted("D-1", "seller", "P-D-1-S1", "20.00", OPEN_AT + timedelta(hours=5)))
    show(view, ctx, clock)
    assert view.buyer_pane.active_proposal_id() == "P-D-1-B1"
    assert view.seller_pane.active_proposal_id() == "P-D-1-S1"
    assert view.seller_pane.terms_text() == "refund 20.00 USD"
    assert "awaiting buyer" in view.seller_pane.state_text()
    assert "awaiting" not in view.buyer_pane.state_text()
    assert "gap buyer–seller: 46.65 USD" in view.gap_meter.text()
    assert view.gap_meter.gaps()[("buyer", "seller")].amount == Decimal("46.65")
    assert "of order total 66.65 USD" in view.gap_meter.text()


def test_withdrawn_and_superseded_proposals_are_in_that_partys_history(ctx: Context, clock: FixedClock,
                                                                      view: CaseView) -> None:
    ingest(ctx, opened("D-1", OPEN_AT),
           posted("D-1", "seller", "P-D-1-S1", "10.00", OPEN_AT + timedelta(hours=1)),
           posted("D-1", "buyer", "P-D-1-B2", "50.00", OPEN_AT + timedelta(hours=2)),
           event("D-1", "proposal.withdrawn", OPEN_AT + timedelta(hours=3), "E-w", party="seller",
                 proposal_id="P-D-1-S1"),
           posted("D-1", "seller", "P-D-1-S2", "25.00", OPEN_AT + timedelta(hours=4), note="half, and keep it"))
    show(view, ctx, clock)
    buyer, seller = view.buyer_pane, view.seller_pane
    assert buyer.active_proposal_id() == "P-D-1-B2"
    assert buyer.history_count() == 1
    assert buyer.history_texts()[0].startswith("superseded · P-D-1-B1 · refund 66.65 USD")
    assert seller.active_proposal_id() == "P-D-1-S2"
    assert seller.history_count() == 1
    assert seller.history_texts()[0].startswith("withdrawn · P-D-1-S1 · refund 10.00 USD")
    assert "note: half, and keep it" in seller.details.text()
    assert seller.history_button.text() == "history (1)"
    assert not seller.history_expanded() and not seller.history.isVisibleTo(view)
    seller.set_history_expanded(True)
    assert seller.history.isVisibleTo(view)
    assert "withdrawn · P-D-1-S1" in seller.history.text()
    assert not view.platform_pane.history_button.isEnabled()


def test_withdrawal_leaves_the_pane_empty_and_says_so(ctx: Context, clock: FixedClock, view: CaseView) -> None:
    ingest(ctx, opened("D-1", OPEN_AT),
           posted("D-1", "seller", "P-D-1-S1", "10.00", OPEN_AT + timedelta(hours=1)),
           event("D-1", "proposal.withdrawn", OPEN_AT + timedelta(hours=3), "E-w", party="seller",
                 proposal_id="P-D-1-S1"))
    show(view, ctx, clock)
    assert view.seller_pane.active_proposal_id() is None
    assert "withdrew P-D-1-S1" in view.seller_pane.state_text()
    assert view.seller_pane.history_count() == 1


def test_platform_proposal_shows_who_accepted_it(ctx: Context, clock: FixedClock, view: CaseView) -> None:
    ingest(ctx, opened("D-1", OPEN_AT),
           posted("D-1", "seller", "P-D-1-S1", "20.00", OPEN_AT + timedelta(hours=5)))
    case = casework.propose(ctx, "D-1", "alice", "refund", "40.00", note="fair split").case
    platform_id = case["proposals"]["platform"]["proposal_id"]
    show(view, ctx, clock)
    pane = view.platform_pane
    assert pane.active_proposal_id() == platform_id
    assert pane.terms_text() == "refund 40.00 USD"
    assert "awaiting buyer and seller" in pane.state_text()
    assert "unless a party rejects it" in pane.preview_text()

    clock.advance(timedelta(hours=1))
    ingest(ctx, event("D-1", "proposal.accepted", clock.now(), "E-acc", party="seller", proposal_id=platform_id))
    show(view, ctx, clock)
    assert pane.active_proposal_id() == platform_id
    assert "accepted by seller" in pane.state_text()
    assert "awaiting buyer" in pane.state_text()
    assert "gap buyer–platform: 26.65 USD" in view.gap_meter.text()
    assert "gap seller–platform: 20.00 USD" in view.gap_meter.text()


def test_platform_proposal_awaiting_approval(ctx: Context, clock: FixedClock, view: CaseView) -> None:
    ingest(ctx, opened("D-1", OPEN_AT, total="900.00"))
    case = casework.propose(ctx, "D-1", "alice", "refund", "600.00").case
    assert case["pending_approval"]["what"] == "platform_proposal"
    show(view, ctx, clock)
    pane = view.platform_pane
    assert pane.active_proposal_id() is None  # not active until a supervisor approves it
    assert pane.shown_proposal_id() == case["pending_approval"]["proposal"]["proposal_id"]
    assert pane.terms_text() == "refund 600.00 USD"
    assert pane.state_text().startswith("awaiting approval by a supervisor")
    assert "alice" in pane.state_text()
    header = view.header_text()
    assert "Pending approval: platform proposal" in header and "by alice" in header
    assert "refund 600.00 USD" in header


def test_header_names_the_case(ctx: Context, clock: FixedClock, view: CaseView) -> None:
    ingest(ctx, opened("D-1", OPEN_AT, kind="return_and_refund"))
    casework.claim(ctx, "D-1", "alice")
    detail = show(view, ctx, clock)
    header = view.header_text()
    for text in ("D-1", "Return & refund", "not received", "aliexpress-2024", "Awaiting seller", "open",
                 "O-D-1", "B-1", "S-1", "66.65 USD", "return and refund 66.65 USD", "alice",
                 f"version={detail.version}"):
        assert text in header, text
    assert "Outcome" not in header and "Pending approval" not in header


def test_header_says_how_the_case_is_held(ctx: Context, clock: FixedClock, view: CaseView) -> None:
    """The header words what `domain.holding` judged: nobody, a clerk's claim until its lease ends, a
    supervisor's standing assignment by whom — and nobody again once the lease has lapsed."""
    ingest(ctx, opened("D-1", OPEN_AT), opened("D-2", OPEN_AT))
    show(view, ctx, clock)
    assert "nobody" in view.header_text()
    casework.claim(ctx, "D-1", "alice")
    show(view, ctx, clock)
    assert "alice (until " in view.header_text() and "assigned by" not in view.header_text()
    casework.assign(ctx, "D-2", "bob", "carol")
    show(view, ctx, clock, "D-2")
    assert "carol (assigned by bob)" in view.header_text() and "(until " not in view.header_text()
    clock.advance(ALIEXPRESS_2024.claim_lease + timedelta(minutes=1))
    show(view, ctx, clock)
    assert "nobody" in view.header_text() and "alice" not in view.header_text()
    show(view, ctx, clock, "D-2")
    assert "carol (assigned by bob)" in view.header_text()  # an assignment stands until released


def test_the_propose_dialog_stops_what_the_rules_refuse(qtbot: QtBot, ctx: Context, clock: FixedClock) -> None:
    """The dialog's hint and OK follow `domain.proposals.refund_bound`, the bound the rules refuse by: zero and
    above the order total (66.65 USD) are stopped with the reason, the total itself goes through."""
    from PySide6.QtWidgets import QDialogButtonBox

    from mediator_app.ui.dialogs.propose_dialog import ProposeDialog, ProposeDraft

    ingest(ctx, opened("D-1", OPEN_AT))
    dialog = ProposeDialog(workbench.case_detail(ctx, "D-1").view, ProposeDraft(), None)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    for amount, hint in (("0", "greater than zero"), ("66.66", "above the order total 66.65 USD"),
                         ("66.65", "Both parties get"), ("0.01", "Both parties get")):
        dialog.amount.setText(amount)
        assert hint in dialog.hint.text(), (amount, dialog.hint.text())
        assert ok.isEnabled() == hint.startswith("Both"), amount


def test_resolved_case_shows_the_outcome_and_no_clock(ctx: Context, clock: FixedClock, view: CaseView) -> None:
    ingest(ctx, opened("D-1", OPEN_AT),
           posted("D-1", "seller", "P-D-1-S1", "20.00", OPEN_AT + timedelta(hours=5)),
           event("D-1", "proposal.accepted", OPEN_AT + timedelta(hours=6), "E-acc", party="buyer",
                 proposal_id="P-D-1-S1"))
    show(view, ctx, clock)
    header = view.header_text()
    assert "Outcome: agreed in negotiation" in header and "refund 20.00 USD" in header
    assert view.seller_pane.state_text().startswith("executed")
    assert view.buyer_pane.state_text().startswith("not adopted")
    assert view.clocks.rowCount() == 0
    assert view.no_clocks.isVisibleTo(view) and not view.clocks.isVisibleTo(view)


# -- clocks ----------------------------------------------------------------------------------------------------


def test_every_running_clock_is_explained_in_both_zones(ctx: Context, clock: FixedClock, view: CaseView) -> None:
    ingest(ctx, opened("D-1", OPEN_AT))
    detail = show(view, ctx, clock)
    deadlines = detail.case["deadlines"]
    assert {d["clock"] for d in deadlines} == {"seller_response", "platform_intervention"}
    table = view.clocks
    assert table.objectName() == "clocksView"
    assert table.rowCount() == len(deadlines)
    assert table.clock_names() == [d["clock"] for d in deadlines]
    for row, deadline in enumerate(deadlines):
        due = parse_iso(deadline["due"])
        assert due is not None
        texts = table.row_texts(row)
        assert texts[COL_LOCAL] == due_text(due, None)
        assert texts[COL_PLATFORM] == due_text(due, PLATFORM_ZONE)
        assert texts[COL_PLATFORM].endswith("CST")
        # the cell says the rule and its start in words; so does the tooltip, with the policy version and event id
        details = table.item(row, COL_WHY).toolTip()  # type: ignore[union-attr]
        assert deadline["rule"] not in details and "(policy aliexpress-2024)" in details
        assert details.startswith("Rule: ") and "\nStarted by: dispute opened (event " in details
        assert deadline["started_by"].split()[1] in details  # the event id
        assert texts[COL_WHY].endswith("after dispute opened")
        if deadline["clock"] == "seller_response":
            assert deadline["on_expiry"] in texts[COL_EXPIRY].replace("\n", " ")  # execute buyer proposal P-D-1-B1
            assert "refund 66.65 USD" in texts[COL_EXPIRY]
            assert f"an answer is due within {POLICY_HOURS} hours" in details and texts[COL_WHY].startswith("120 h")
            assert texts[1] == "seller"
        else:
            assert "nothing executes" in texts[COL_EXPIRY]
            assert (f"the platform must step in within {POLICY_DAYS} calendar days (to the end of the day, CST)"
                    in details and texts[COL_WHY].startswith("7 days"))
    # the platform deadline: end of the 7th day in Shanghai
    platform_row = table.clock_names().index("platform_intervention")
    assert table.row_texts(platform_row)[COL_PLATFORM] == "07 Nov 00:00 CST"


def test_countdown_follows_the_clock_and_marks_overdue_by_text_and_icon(ctx: Context, clock: FixedClock,
                                                                      view: CaseView) -> None:
    ingest(ctx, opened("D-1", OPEN_AT))
    detail = show(view, ctx, clock)
    row = view.clocks.clock_names().index("seller_response")
    due = parse_iso(detail.case["deadlines"][row]["due"])
    assert due is not None
    first = view.clocks.item(row, COL_LEFT).text()
    assert first == "3d 00:00:00 left"
    view.set_now(clock.now() + timedelta(seconds=5))
    assert view.clocks.item(row, COL_LEFT).text() == "2d 23:59:55 left"
    assert not view.clocks.is_overdue(row)
    view.set_now(due + timedelta(hours=2, seconds=3))
    assert view.clocks.item(row, COL_LEFT).text() == "OVERDUE by 02:00:03"
    assert view.clocks.is_overdue(row)
    assert view.clocks.item(row, COL_LEFT).font().bold()


# -- evidence ----------------------------------------------------------------------------------------------


def test_evidence_thumbnails_load_off_the_gui_thread_and_open_full_size(
        ctx: Context, clock: FixedClock, view: CaseView, qtbot: QtBot, services: RecordingServices) -> None:
    picture = png_bytes(400, 300)
    ingest(ctx, opened("D-1", OPEN_AT),
           evidence_event("D-1", OPEN_AT + timedelta(hours=1), "E-ev1", "parcel.png", "image/png", picture),
           evidence_event("D-1", OPEN_AT + timedelta(hours=2), "E-ev2", "invoice.pdf", "application/pdf",
                          b"%PDF-1.4\n% not really a pdf\n", party="seller"))
    calls = services.evidence_fetches
    detail = show(view, ctx, clock)
    assert view.tabs.tabText(1) == "Evidence (2)"
    evidence = view.evidence
    assert evidence.count() == 2
    qtbot.waitUntil(lambda: evidence.loaded_count() == 1)
    png_tile, pdf_tile = evidence.tiles()
    assert png_tile.loaded and png_tile.thumbnail_size == QSize(128, 96)
    assert not pdf_tile.loaded and "invoice.pdf" in pdf_tile.text()
    png_id = next(e.id for e in detail.evidence if e.filename == "parcel.png")
    assert calls == [(png_id, False)]  # only the image, and in a worker

    png_tile.click()
    qtbot.waitUntil(lambda: evidence.dialog is not None)
    assert evidence.dialog is not None
    assert evidence.dialog.image_size() == QSize(400, 300)
    evidence.dialog.close()
    assert evidence.dialog is None

    png_tile.setFocus()
    with qtbot.waitSignal(evidence.opened, timeout=10_000) as opened_signal:
        qtbot.keyClick(png_tile, Qt.Key.Key_Return)
    assert opened_signal.args == [png_id]
    assert evidence.dialog is not None and evidence.dialog.image_size() == QSize(400, 300)
    evidence.dialog.close()

    with qtbot.waitSignal(evidence.opened, timeout=10_000):
        pdf_tile.click()  # no decode, but its bytes are re-checked (in a worker) before the details show
    assert evidence.dialog is not None and not evidence.dialog.image_size().isValid()
    assert "No preview" in evidence.dialog.picture.text()
    evidence.dialog.close()
    assert all(not on_gui for _, on_gui in calls)
    pdf_id = next(e.id for e in detail.evidence if e.filename == "invoice.pdf")
    assert {i for i, _ in calls} == {png_id, pdf_id}


def test_thumbnails_for_a_case_no_longer_shown_are_ignored(ctx: Context, clock: FixedClock, view: CaseView,
                                                          ops: Operations, qtbot: QtBot) -> None:
    ingest(ctx, opened("D-1", OPEN_AT),
           evidence_event("D-1", OPEN_AT + timedelta(hours=1), "E-ev1", "parcel.png", "image/png", png_bytes()),
           opened("D-2", OPEN_AT, order_id="O-2", event_id="E-open-2"))
    arrived: list[int] = []
    view.evidence.thumbnail_loaded.connect(arrived.append)
    show(view, ctx, clock, "D-1")
    show(view, ctx, clock, "D-2")  # before the worker reports back
    qtbot.waitUntil(lambda: ops.busy == 0)
    assert arrived == []
    assert view.evidence.count() == 0
    assert view.tabs.tabText(1) == "Evidence (0)"

    show(view, ctx, clock, "D-1")
    view.clear()
    qtbot.waitUntil(lambda: ops.busy == 0)
    assert arrived == [] and view.evidence.count() == 0

    with qtbot.waitSignal(view.evidence.thumbnail_loaded, timeout=10_000):
        show(view, ctx, clock, "D-1")
    assert view.evidence.loaded_count() == 1
    show(view, ctx, clock, "D-1")  # a refresh of the same case reuses the thumbnail
    assert view.evidence.loaded_count() == 1 and ops.busy == 0


def test_thumbnails_are_keyboard_reachable_and_named(ctx: Context, clock: FixedClock, view: CaseView) -> None:
    ingest(ctx, opened("D-1", OPEN_AT),
           evidence_event("D-1", OPEN_AT + timedelta(hours=1), "E-ev1", "parcel.png", "image/png", png_bytes()))
    show(view, ctx, clock)
    (tile,) = view.evidence.tiles()
    assert tile.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert tile.accessibleName() == "Evidence parcel.png from buyer"
    for pane in view.panes():
        assert pane.history_button.accessibleName()
    assert view.gap_meter.bar.accessibleName() == "Gap meter"


# -- timeline and messages ---------------------------------------------------------------------------------


def test_timeline_lists_every_entry_newest_last(ctx: Context, clock: FixedClock, view: CaseView) -> None:
    ingest(ctx, opened("D-1", OPEN_AT),
           posted("D-1", "seller", "P-D-1-S1", "20.00", OPEN_AT + timedelta(hours=5)),
           event("D-1", "message.posted", OPEN_AT + timedelta(hours=6), "E-m1", party="buyer", text="hello"))
    casework.note(ctx, "D-1", "alice", "called the seller")
    detail = show(view, ctx, clock)
    timeline = detail.case["timeline"]
    tree = view.timeline
    assert tree.objectName() == "timelineView"
    assert tree.topLevelItemCount() == len(timeline) == 4
    for index, entry in enumerate(timeline):
        item = tree.topLevelItem(index)
        at = parse_iso(entry["at"])
        assert at is not None
        assert item.text(0) == due_text(at, None)
        assert item.text(3) == entry["summary"]
    assert tree.topLevelItem(3).text(1) == "internal note"
    assert "alice" in tree.topLevelItem(3).text(2)
    assert view.tabs.tabText(0) == "Timeline (4)"


def test_chinese_messages_are_shown(ctx: Context, clock: FixedClock, view: CaseView) -> None:
    chinese = "我们已按时发货，物流显示仍在运输中，请再耐心等几天。"
    ingest(ctx, opened("D-1", OPEN_AT),
           event("D-1", "message.posted", OPEN_AT + timedelta(hours=1), "E-m1", party="buyer",
                 text="Where is my parcel? <b>not bold</b>"),
           event("D-1", "message.posted", OPEN_AT + timedelta(hours=2), "E-m2", party="seller", text=chinese))
    show(view, ctx, clock)
    text = view.messages_text()
    assert chinese in text
    assert "<b>not bold</b>" in text  # shown as typed, never interpreted
    assert text.index("Where is my parcel") < text.index(chinese)
    assert view.tabs.tabText(2) == "Messages (2)"
    assert QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese), "no CJK font installed"


# -- layout ----------------------------------------------------------------------------------------------


def test_clear_and_layout(ctx: Context, clock: FixedClock, view: CaseView, qtbot: QtBot) -> None:
    ingest(ctx, opened("D-1", OPEN_AT),
           posted("D-1", "seller", "P-D-1-S1", "20.00", OPEN_AT + timedelta(hours=5)))
    shown: list[str] = []
    view.case_shown.connect(shown.append)
    show(view, ctx, clock)
    assert shown == ["D-1"] and view.dispute_id() == "D-1"
    view.show()
    qtbot.waitExposed(view)
    image = view.grab()
    assert (image.width(), image.height()) == (1000, 900)
    assert view.scroll_area.horizontalScrollBar().maximum() == 0  # ~1000 px is enough: no sideways scrolling
    view.resize(520, 400)
    qtbot.waitUntil(lambda: view.scroll_area.verticalScrollBar().maximum() > 0)  # small windows scroll
    view.clear()
    assert view.dispute_id() is None
    assert view.placeholder.isVisible()
    assert view.buyer_pane.active_proposal_id() is None and view.buyer_pane.state_text() == ""
    assert view.clocks.rowCount() == 0 and view.timeline.topLevelItemCount() == 0
    assert [view.tabs.tabText(i) for i in range(3)] == ["Timeline (0)", "Evidence (0)", "Messages (0)"]
    view.set_now(clock.now())  # harmless with nothing shown
