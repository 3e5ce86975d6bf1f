"""Party text is data (issue 13): whitespace-only and invisible messages are rejected; evidence bytes are
re-checked against their sha256 before display; control characters are escaped in human CLI output."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from mediator_app.domain.errors import Rejection
from mediator_app.domain.text import for_terminal, is_blank
from mediator_app.services import casework, workbench
from mediator_app.services.context import Context
from mediator_app.services.feed import ingest_events
from tests.cli_runner import Mediator
from tests.feeds import T0, event, iso, opened

BLANK = ["\u200b", " \u200b\u200c\u200d\u2060\ufeff ", "\u3000\u00a0\u2028", "\t\n", "\u3164"]


@pytest.mark.parametrize("blank", BLANK, ids=[repr(b) for b in BLANK])
def test_a_message_of_only_whitespace_or_invisible_characters_is_rejected(ctx: Context, blank: str) -> None:
    report = ingest_events(ctx, [opened("D-1"), event("D-1", "message.posted", T0, "E-m", party="buyer",
                                                      text=blank)])
    assert report.applied == 1
    assert "missing or empty" in report.rejected[0]["reason"]
    with pytest.raises(Rejection, match="needs text"):
        casework.note(ctx, "D-1", "alice", blank)


def test_visible_text_is_not_blank() -> None:
    assert not is_blank("\u200bhi") and not is_blank("谢谢") and not is_blank("ok\u200d")


def test_evidence_altered_in_the_database_is_not_shown(ctx: Context) -> None:
    content = b"\x89PNG\r\n\x1a\n a photo"
    ingest_events(ctx, [opened("D-1"), event("D-1", "evidence.added", T0, "E-ev", party="buyer",
                                             filename="p.png", media_type="image/png",
                                             sha256=hashlib.sha256(content).hexdigest(),
                                             content_base64=__import__("base64").b64encode(content).decode())])
    evidence_id = workbench.case_detail(ctx, "D-1").evidence[0].id
    assert workbench.evidence_content(ctx, evidence_id) == ("image/png", content)
    with ctx.engine.begin() as conn:  # as someone past the database's refusals (SQLite: who drops 0010's trigger)
        if conn.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER evidence_no_update"))
        conn.execute(text("UPDATE evidence SET content = :c WHERE id = :i"), {"c": content + b"!", "i": evidence_id})
    with pytest.raises(workbench.EvidenceAltered, match="evidence altered"):
        workbench.evidence_content(ctx, evidence_id)


HOSTILE = "\u001b]0;pwned\u0007\u001b[2J"


def test_control_characters_are_escaped_in_human_output(ctx: Context, db_url: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    import base64

    from mediator_app import cli

    content = b"%PDF-1.4 receipt"
    ingest_events(ctx, [opened("D-1"), event("D-1", "message.posted", T0, "E-m", party="buyer",
                                             text="hello " + HOSTILE),
                        event("D-1", "evidence.added", T0, "E-ev", party="buyer", filename="a\n\x1b[31mred.pdf",
                              media_type="application/pdf", sha256=hashlib.sha256(content).hexdigest(),
                              content_base64=base64.b64encode(content).decode())])
    capsys.readouterr()
    assert cli.main(["--db", db_url, "--now", iso(T0), "show", "D-1", "--as", "dora"]) == 0
    shown = capsys.readouterr().out
    assert "\x1b" not in shown and "\x07" not in shown
    assert "\\x1b]0;pwned\\x07\\x1b[2J" in shown
    evidence_line = next(line for line in shown.splitlines() if "evidence.added" in line)
    assert "a\\x0a\\x1b[31mred.pdf" in evidence_line  # one line, not split, not recoloured
    name = tmp_path / "feed\n\x1b[31mred.jsonl"
    name.write_text("{not json\n")
    assert cli.main(["--db", db_url, "--now", iso(T0), "ingest", str(name)]) == 1
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out + captured.err
    # the JSON output carries the text exactly (JSON escapes control characters itself)
    timeline = Mediator(db_url, capsys).ok("show", "D-1", "--as", "dora", now=iso(T0))["timeline"]
    assert any(HOSTILE in t["summary"] for t in timeline)


def test_for_terminal_escapes_controls_and_keeps_text() -> None:
    assert for_terminal("a\x1b[31mb\nc\td\u202ee") == "a\\x1b[31mb\\x0ac\td\\u202ee"
    assert for_terminal("l1\nl2", keep_newlines=True) == "l1\nl2"
    assert for_terminal("谢谢 ok") == "谢谢 ok"
