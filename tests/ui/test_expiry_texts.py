"""Every clock × stage says the same thing everywhere the window shows it: the clock table's "On expiry" cell,
the proposal panes' default-judgment line and the queue's "If silent" preview all word `domain.expiry`'s
outcome for that clock, and the header's SLA tooltip names both platform clocks with the policy's lengths."""
from __future__ import annotations

from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot

from mediator_app.domain.case_view import case_view
from mediator_app.domain.expiry import on_expiry_of
from mediator_app.domain.money import parse_money
from mediator_app.domain.policy import get_policy
from mediator_app.domain.queue_line import queue_line, stored_json
from mediator_app.services.workbench import CaseDetail
from mediator_app.ui.case_view import CaseHeader
from mediator_app.ui.clocks_view import COL_EXPIRY, COL_PLATFORM, ClocksView, due_text
from mediator_app.ui.formatting import PARTIES, label, preview_text, terms_text
from mediator_app.ui.proposal_pane import PANE_PARTIES, ProposalPane
from tests.unit.feed_builders import T0, H
from tests.unit.test_rule_homes import IDS, SCENARIOS

POLICY = get_policy("aliexpress-2024")
NOW = T0 + 3 * H


def _parse(at: str | None) -> datetime | None:
    return datetime.fromisoformat(at) if at else None


@pytest.mark.parametrize("name,stage,build", SCENARIOS, ids=IDS)
def test_the_clock_table_the_panes_and_the_queue_word_the_same_expiry(qtbot: QtBot, name, stage, build):
    state = build()
    view = case_view(state, NOW)
    table = ClocksView()
    qtbot.addWidget(table)
    table.show_case(view, NOW)
    panes = {p: ProposalPane(p) for p in PANE_PARTIES}
    for pane in panes.values():
        qtbot.addWidget(pane)
        pane.show_case(CaseDetail(view))
    assert table.clock_names() == [d.clock for d in view.deadlines]
    executing_party = None
    for row, deadline in enumerate(view.deadlines):
        expiry = on_expiry_of(state, deadline.clock)
        cell = table.item(row, COL_EXPIRY)
        assert cell is not None and cell.toolTip() == expiry.words()
        text = cell.text()
        assert table.item(row, COL_PLATFORM).text() == due_text(deadline.due, POLICY.platform_zone)
        if expiry.kind == "execute_proposal":
            assert expiry.proposal is not None and expiry.adopted is not None
            assert expiry.proposal.proposal_id in text and label(PARTIES, expiry.adopted) in text
            assert terms_text(expiry.proposal.remedy, expiry.proposal.refund) in text
            executing_party = expiry.adopted
        elif expiry.kind == "platform_deadline":
            assert "nothing executes" in text
        elif expiry.kind == "refund_on_receipt_timeout":
            assert terms_text("refund", expiry.refund) in text
        else:
            assert "close" in text
        if deadline.executes:  # the queue line stores the facts; its preview words the same outcome
            line = stored_json(queue_line(state, None))["preview"]
            refund = parse_money(line["refund"]) if line["refund"] else None
            shown = preview_text(line["clock"], line["silent"], line["adopted"], line["remedy"], refund,
                                 _parse(line["at"]))
            if expiry.kind == "execute_proposal":
                assert f"{label(PARTIES, expiry.adopted)}'s {terms_text(expiry.proposal.remedy, expiry.proposal.refund)}" in shown  # type: ignore[union-attr]
            elif expiry.kind == "refund_on_receipt_timeout":
                assert terms_text("refund", expiry.refund) in shown
            else:
                assert "no refund" in shown
    for party, pane in panes.items():  # the default-judgment line is on the pane whose proposal executes, only
        assert bool(pane.preview_text()) == (party == executing_party), party


def test_the_sla_tooltip_names_both_platform_clocks_from_the_policy(qtbot: QtBot):
    state = SCENARIOS[0][2]()
    header = CaseHeader()
    qtbot.addWidget(header)
    header.show_case(case_view(state, NOW))
    tip = header.values["sla"].toolTip()
    assert f"{POLICY.platform_intervention_days}-day intervention" in tip
    assert f"{POLICY.platform_ruling_days}-day ruling" in tip
