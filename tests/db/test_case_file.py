"""The case file (§6): a PDF made by Qt's document engine, checked with poppler (pdftotext, pdffonts, pdfinfo)."""
from __future__ import annotations

import re
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from mediator_app.services.context import Context
from tests.cli_runner import Mediator

from .feeds import T0, evidence, message, opened, posted, t, write_feed, z
from .test_offline_bundle import Offline

CHINESE = "一二三：货物没有收到，已等了12天"
NOW = z(t(hours=2))


def png(width: int, height: int, body: bytes | None = None) -> bytes:
    """A PNG: a real one (grey pixels) or, with `body`, a header that claims the size over junk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = body if body is not None else zlib.compress(b"".join(b"\x00" + bytes([(x * 7) % 256 for x in range(width)])
                                                                   for _ in range(height)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def pages_of(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


@pytest.fixture
def rich(db_url: str, ctx: Context, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Offline:
    o = Offline(db_url, capsys, tmp_path)
    lines = [opened("E-1", "D-1", T0, order_id="O-1", total="66.65"),
             posted("E-2", "seller", "P-S1", t(hours=1), amount="20.00"),
             message("E-3", "buyer", t(hours=1, minutes=5), CHINESE),
             evidence("E-4", "buyer", t(hours=1, minutes=6), png(64, 48), filename="包裹 photo.png"),
             evidence("E-5", "seller", t(hours=1, minutes=7), png(8000, 8000, b"junk"), filename="huge.png"),
             evidence("E-6", "seller", t(hours=1, minutes=8), b"%PDF-1.4\n%junk\n", media_type="application/pdf",
                      filename="receipt.pdf")]
    lines += [message(f"E-m{i}", "seller", t(hours=1, minutes=10 + i), f"reply number {i}") for i in range(40)]
    o.feed(*lines)
    o.live.ok("propose", "D-1", "--as", "alice", "--remedy", "refund", "--amount", "30.00", now=NOW)
    return o


def test_the_case_file_holds_the_case_as_text(rich: Offline, tmp_path: Path) -> None:
    out = tmp_path / "D-1.pdf"
    report = rich.live.ok("case-file", "D-1", "--out", str(out), now=NOW)
    assert out.is_file() and report["pages"] == pages_of(out) >= 2
    text = text_of(out)
    assert "D-1" in text
    for amount in ("66.65", "20.00", "30.00"):  # buyer's, seller's and platform's proposals
        assert amount in text, amount
    assert CHINESE in text.replace("\n", "")
    assert "包裹 photo.png" in text and "image too large to preview" in text and "receipt.pdf" in text
    for page in range(1, report["pages"] + 1):
        assert f"page {page} of {report['pages']}" in text
    database_id = rich.live.ok("db", "info")["database_id"]
    assert text.count(f"generated at {NOW} from database {database_id}") == report["pages"]
    assert "2026-11-06T04:00:00Z" in text and "2026-11-06 12:00:00 CST (Asia/Shanghai)" in text  # both zones
    fonts = subprocess.run(["pdffonts", str(out)], check=True, capture_output=True, text=True).stdout
    cjk = [line for line in fonts.splitlines() if "NotoSansCJKsc" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts  # embedded
    png_out = tmp_path / "page1"
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(out), str(png_out)], check=True)
    assert list(tmp_path.glob("page1*.png"))


def test_the_case_file_from_a_bundle_shows_its_drafts(rich: Offline, tmp_path: Path) -> None:
    rich.export("D-1")
    rich.off_ok("note", "D-1", "--as", "alice", "--text", "草稿：部分退款 12.34")
    out = tmp_path / "bundle.pdf"
    run = rich.off("case-file", "D-1", "--out", str(out))
    assert run.code == 0, run.err
    text = text_of(out)
    assert "草稿：部分退款 12.34" in text and "draft" in text
    assert f"from bundle {rich.bundle}" in text.replace("\n", "")


def test_unknown_dispute(rich: Offline, tmp_path: Path) -> None:
    run = rich.live("case-file", "D-404", "--out", str(tmp_path / "x.pdf"), now=NOW)
    assert run.code == 1 and "D-404" in run.json["error"] and not (tmp_path / "x.pdf").exists()


def test_the_case_file_in_chinese(rich: Offline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--lang zh_CN` (else $MEDIATOR_LANG, else the system locale): headings, labels, the platform zone's name in
    Chinese; ids, amounts and the parties' words exactly as they are, digits and 一 extracted as written."""
    from mediator_app.ui import language

    out = tmp_path / "D-1.zh.pdf"
    report = rich.live.ok("case-file", "D-1", "--out", str(out), "--lang", "zh_CN", now=NOW)
    assert report["language"] == "zh_CN" and language.current() != "zh_CN"  # the process's language is restored
    text = text_of(out)
    flat = re.sub(r"\s+", "", text)
    for heading in ("案件档案D-1", "时钟", "方案", "结果", "时间线", "消息", "证据"):
        assert heading in flat, heading
    for english in ("Case file", "Clocks", "Proposals", "Timeline", "Evidence", "Order total", "page 1 of"):
        assert english not in text, english
    for amount in ("66.65", "20.00", "30.00"):
        assert amount in text, amount
    assert "D-1" in text and "O-1" in text and "P-S1" in text and CHINESE in text.replace("\n", "")
    assert "2026-11-06 12:00:00 北京时间 (Asia/Shanghai)" in text  # the platform zone by its Chinese name
    assert "Awaiting both parties" not in text and "parties reply" not in text  # the stage and the clock in words
    assert "图片过大，无法预览" in flat and "包裹 photo.png" in text
    assert f"第1页，共{report['pages']}页" in flat
    database_id = rich.live.ok("db", "info")["database_id"]
    assert flat.count(f"来源：数据库{database_id}") == report["pages"]
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(out), str(tmp_path / "zh")], check=True)
    assert list(tmp_path.glob("zh*.png"))
    monkeypatch.setenv("MEDIATOR_LANG", "zh_CN")  # without --lang: the environment's choice
    again = tmp_path / "env.pdf"
    assert rich.live.ok("case-file", "D-1", "--out", str(again), now=NOW)["language"] == "zh_CN"
    assert "案件档案" in text_of(again)
    monkeypatch.setenv("MEDIATOR_LANG", "en")
    assert rich.live.ok("case-file", "D-1", "--out", str(again), "--lang", "en", now=NOW)["language"] == "en"
    assert "Case file D-1" in text_of(again)


def test_the_bundle_case_file_in_chinese(rich: Offline, tmp_path: Path) -> None:
    """From a bundle: the offline banner, the drafts table and the footer's source in Chinese; the draft's own
    words as written."""
    rich.export("D-1")
    rich.off_ok("note", "D-1", "--as", "alice", "--text", "草稿：部分退款 12.34")
    out = tmp_path / "bundle.zh.pdf"
    run = rich.off("case-file", "D-1", "--out", str(out), "--lang", "zh_CN")
    assert run.code == 0, run.err
    flat = re.sub(r"\s+", "", text_of(out))
    assert "草稿：部分退款12.34" in flat and "来自离线案件包" in flat and "基于版本" in flat and "待同步" in flat
    assert f"来源：案件包{rich.bundle}".replace(" ", "") in flat
    for english in ("From an offline bundle", "Drafts", "Based on version", "from bundle", "pending"):
        assert english not in text_of(out), english
