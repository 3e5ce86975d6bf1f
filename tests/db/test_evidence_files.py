"""Evidence files (§7.4) through `mediator`, on SQLite and PostgreSQL: bytes that are not what `media_type` says
are rejected with the reason (the line kept with it, the valid lines around it applied); an image whose header
claims 100,000 × 100,000 pixels is accepted, kept, and never decoded for the case file; hostile file names are
kept as sent for the record (also in a bundle) and never used as a path."""
from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage
from sqlalchemy import select, text

from mediator_app.db.schema import RejectedLine
from mediator_app.services.context import Context
from tests.cli_runner import Mediator

from .feeds import T0, evidence, message, opened, t, write_feed, z
from .test_case_file import png, text_of

NOW = z(t(hours=3))
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40
HTML = b"<!DOCTYPE html>\n<html><body><script>alert('x')</script></body></html>\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def bomb() -> bytes:
    """A PNG whose header claims 100,000 × 100,000 pixels (10 gigapixels): a few KB of real deflate data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 2_000_000, 9)  # the first rows of zeros; a decoder would want 30 GB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def rejected_rows(ctx: Context) -> dict[int, Any]:
    with ctx.engine.connect() as conn:
        return {row.line: row for row in conn.execute(select(RejectedLine).order_by(RejectedLine.line))}


def evidence_rows(ctx: Context) -> list[Any]:
    with ctx.engine.connect() as conn:
        return list(conn.execute(text("SELECT filename, media_type, size, sha256 FROM evidence ORDER BY id")))


def test_bytes_that_are_not_their_media_type_are_rejected_with_the_reason(
        ctx: Context, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = write_feed(tmp_path / "feed.jsonl", [
        opened("E-1", "D-1", T0),                                                            # 1
        evidence("E-2", "buyer", t(minutes=1), png(32, 24), filename="parcel.png"),          # 2 applied
        evidence("E-3", "buyer", t(minutes=2), ZIP, filename="parcel2.png"),                 # 3 a ZIP
        message("E-4", "seller", t(minutes=3), "please send a photo"),                       # 4 applied
        evidence("E-5", "buyer", t(minutes=4), HTML, filename="photo.png"),                  # 5 an HTML page
        evidence("E-6", "buyer", t(minutes=5), JPEG, filename="label.png"),                  # 6 a JPEG called PNG
        evidence("E-7", "seller", t(minutes=6), b"%PDF-1.4\n%%EOF\n", media_type="application/pdf",
                 filename="receipt.pdf"),                                                    # 7 applied
        evidence("E-8", "seller", t(minutes=7), HTML, media_type="application/pdf",
                 filename="receipt2.pdf"),                                                   # 8 HTML as PDF
        evidence("E-9", "seller", t(minutes=8), JPEG, media_type="image/jpeg", filename="label.jpg"),  # 9 applied
        evidence("E-10", "buyer", t(minutes=9), b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom",
                 media_type="video/mp4", filename="unboxing.mp4"),                           # 10 applied
        evidence("E-11", "buyer", t(minutes=10), ZIP, media_type="video/mp4", filename="unboxing2.mp4"),  # 11
    ])
    run = Mediator(db_url, capsys)("ingest", str(feed), now=NOW)
    assert run.code == 1
    report = run.json
    assert report["applied"] == 6 and report["duplicates"] == 0
    reasons = {r["line"]: (r["event_id"], r["reason"]) for r in report["rejected"]}
    assert reasons == {
        3: ("E-3", "content is not image/png: it is a ZIP archive"),
        5: ("E-5", "content is not image/png: it is an HTML page"),
        6: ("E-6", "content is not image/png: it is a JPEG image"),
        8: ("E-8", "content is not application/pdf: it is an HTML page"),
        11: ("E-11", "content is not video/mp4: it is a ZIP archive"),
    }
    stored = rejected_rows(ctx)
    assert {line: row.reason for line, row in stored.items()} == {line: r for line, (_e, r) in reasons.items()}
    assert '"event_id": "E-3"' in stored[3].raw  # the whole line is kept for a person to look at
    assert [row.filename for row in evidence_rows(ctx)] == ["parcel.png", "receipt.pdf", "label.jpg",
                                                            "unboxing.mp4"]
    case = Mediator(db_url, capsys).ok("show", "D-1", "--as", "dora", now=NOW)
    assert [e["kind"] for e in case["timeline"]] == ["dispute.opened", "evidence.added", "message.posted",
                                                     "evidence.added", "evidence.added", "evidence.added"]
    assert case["version"] == 6

    fixed = write_feed(tmp_path / "again.jsonl", [  # a rejected event may be sent again, with the right bytes
        evidence("E-3", "buyer", t(minutes=11), png(8, 8), filename="parcel2.png")])
    assert Mediator(db_url, capsys).ok("ingest", str(fixed), now=NOW)["applied"] == 1


def test_an_image_claiming_100000_by_100000_pixels_is_kept_and_never_decoded(
        ctx: Context, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    huge, small = bomb(), png(64, 48)
    assert len(huge) < 16_000
    feed = write_feed(tmp_path / "feed.jsonl", [
        opened("E-1", "D-1", T0),
        evidence("E-2", "buyer", t(minutes=1), huge, filename="huge.png"),
        evidence("E-3", "buyer", t(minutes=2), small, filename="small.png")])
    mediator = Mediator(db_url, capsys)
    assert mediator.ok("ingest", str(feed), now=NOW)["applied"] == 3
    rows = evidence_rows(ctx)
    assert [(r.filename, r.size, r.sha256) for r in rows] == [
        ("huge.png", len(huge), hashlib.sha256(huge).hexdigest()),
        ("small.png", len(small), hashlib.sha256(small).hexdigest())]

    decoded: list[bytes] = []  # every image handed to Qt's decoder while the case file is made
    original = QImage.fromData

    def recording(data: Any, *args: Any) -> QImage:
        decoded.append(bytes(data))
        return original(data, *args)

    monkeypatch.setattr(QImage, "fromData", staticmethod(recording))
    out = tmp_path / "D-1.pdf"
    mediator.ok("case-file", "D-1", "--out", str(out), now=NOW)
    assert small in decoded  # the recorder sees the decoder's calls ...
    assert huge not in decoded  # ... and the bomb never reached it
    words = text_of(out)
    assert "huge.png" in words and "image too large to preview" in words and "small.png" in words
    from PySide6.QtGui import QImageReader

    assert QImageReader.allocationLimit() == 153  # the case file's process has the backstop set


@pytest.mark.qt_log_ignore("exceeds the current allocation limit")
def test_the_backstop_refuses_what_the_header_check_would_miss(qtlog: Any) -> None:
    """Qt's allocation limit, set by the guard, stops an image the domain's header reader did not see: 7,000 ×
    7,000 pixels (49 MP, 196 MB decoded) handed straight to Qt is refused without allocating, where Qt's own
    default (256 MB) would decode it."""
    from PySide6.QtGui import QImageReader

    from mediator_app.report.image_guard import install_decode_limit

    whole = png(7000, 7000, zlib.compress(b"\x00" * (7001 * 7000), 9))  # every row there: ~47 KB
    QImageReader.setAllocationLimit(256)  # Qt's default
    assert QImage.fromData(whole).width() == 7000
    install_decode_limit()
    assert QImageReader.allocationLimit() == 153
    assert QImage.fromData(whole).isNull()
    assert any("allocation limit of 153 megabytes" in record.message for record in qtlog.records)


def test_hostile_file_names_are_kept_as_sent_and_become_safe_names_when_written(
        ctx: Context, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mediator_app.services import evidence_files, workbench

    names = ["../../etc/passwd.png", "C:\\Windows\\evil.png", "x" * 250 + ".png", "CON.png", "a\u202egnp.exe"]
    lines = [opened("E-1", "D-1", T0)] + [
        evidence(f"E-{i}", "buyer", t(minutes=i), png(4, 4), filename=name) for i, name in enumerate(names, 2)]
    feed = write_feed(tmp_path / "feed.jsonl", lines + [
        '{"event_id": "E-nul", "type": "evidence.added", "at": "2026-11-01T03:00:00Z", "dispute_id": "D-1", '
        '"party": "buyer", "filename": "a\\u0000.png"}'])
    run = Mediator(db_url, capsys)("ingest", str(feed), now=NOW)
    assert run.json["applied"] == 6
    assert "NUL" in run.json["rejected"][0]["reason"]  # a NUL never gets in (§2's JSON rules)
    assert len(run.json["rejected"]) == 1
    detail = workbench.case_detail(ctx, "D-1")
    assert [item.filename for item in detail.evidence] == names  # the record keeps them as sent
    copies = evidence_files.ViewerCopies(tmp_path / "copies")
    (tmp_path / "copies").mkdir()
    written = [evidence_files.copy_for_viewer(ctx, item, copies) for item in detail.evidence]
    assert [p.name for p in written] == ["passwd.png", "evil.png", "x" * 116 + ".png", "_CON.png",
                                         "agnp.exe.png"]
    for path in written:
        assert path.parent.parent == tmp_path / "copies"  # inside the copies' folder, nowhere else
        assert path.read_bytes() == png(4, 4)
    assert not (tmp_path / "etc").exists()
    saved = tmp_path / "chosen.png"
    assert evidence_files.save_evidence(ctx, detail.evidence[0].id, saved) == len(png(4, 4))
    assert saved.read_bytes() == png(4, 4) and not list(tmp_path.glob(".mediator-*.part"))

    from mediator_app.services.bundles import open_bundle  # a bundle carries the names as sent, too

    bundle = tmp_path / "cases.mcase"
    Mediator(db_url, capsys).ok("bundle", "export", "--out", str(bundle), "--as", "alice", "--ids", "D-1", now=NOW)
    offline = open_bundle(bundle)
    try:
        bundled = workbench.case_detail(offline, "D-1").evidence
        assert [item.filename for item in bundled] == names
        copies_off = evidence_files.ViewerCopies(tmp_path / "copies-off")
        (tmp_path / "copies-off").mkdir()
        assert [evidence_files.copy_for_viewer(offline, item, copies_off).name for item in bundled] == [
            p.name for p in written]
    finally:
        offline.engine.dispose()


def test_altered_evidence_is_neither_written_nor_opened(
        ctx: Context, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mediator_app.services import evidence_files, workbench

    feed = write_feed(tmp_path / "feed.jsonl", [
        opened("E-1", "D-1", T0), evidence("E-2", "buyer", t(minutes=1), png(4, 4), filename="p.png")])
    Mediator(db_url, capsys).ok("ingest", str(feed), now=NOW)
    (item,) = workbench.case_detail(ctx, "D-1").evidence
    with ctx.engine.begin() as conn:  # as an attacker who holds the file (SQLite) or a superuser would
        if conn.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER IF EXISTS evidence_no_update"))
        conn.execute(text("UPDATE evidence SET content = :c WHERE id = :i"), {"c": png(4, 5), "i": item.id})
    copies = evidence_files.ViewerCopies(tmp_path / "copies")
    (tmp_path / "copies").mkdir()
    with pytest.raises(workbench.EvidenceAltered):
        evidence_files.copy_for_viewer(ctx, item, copies)
    with pytest.raises(workbench.EvidenceAltered):
        evidence_files.save_evidence(ctx, item.id, tmp_path / "saved.png")
    assert not list((tmp_path / "copies").rglob("*.png")) and not (tmp_path / "saved.png").exists()
    out = tmp_path / "D-1.pdf"
    Mediator(db_url, capsys).ok("case-file", "D-1", "--out", str(out), now=NOW)
    assert "evidence altered" in text_of(out)  # the record says so instead of showing the picture
