"""The case file (§6): a PDF for the record, made by Qt's own document engine (QTextDocument on QPdfWriter).

A4, text that is text. Fonts: DejaVu Sans as the main font with Noto Sans CJK SC as its fallback (reported: with
the CJK font as the *main* font, Qt's PDF text layer lost every digit), the fallback being the installed Noto Sans
CJK SC with its radical blocks taken out of its character map (`cjk_font`: else 一 (U+4E00) extracts as ⼀ (U+2F00)
whatever font is first). Every page carries its number and where and when it was made.
Party text (messages, file names, notes) is escaped: it is data, never markup.
"""
from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from mediator_app.domain.evidence import is_image, preview_refusal
from mediator_app.domain.time import format_utc, parse_time
from mediator_app.services import case_record
from mediator_app.services.workbench import EvidenceAltered

from . import cjk_font
from .image_guard import NoPreview, guarded_image, install_decode_limit
from mediator_app.services.context import Context

FAMILIES = ["DejaVu Sans", "Noto Sans CJK SC"]
THUMB_PX = 360  # at most, in the PDF's 300 dpi: 3 cm
MARGIN_MM = 15
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def ensure_gui() -> Any:
    """An application object for the document engine (offscreen when the command line has no display). A
    QApplication, not the QGuiApplication the engine needs: in a process that later shows widgets (the tests)
    a QGuiApplication would make every widget abort."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication(["mediator"])
    install_decode_limit()
    return app


def esc(value: Any) -> str:
    """Party text as HTML text: escaped, control characters shown as escapes, line breaks kept."""
    text = "" if value is None else str(value)
    text = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text.replace("\r\n", "\n"))
    return html.escape(text).replace("\n", "<br/>")


def _money(value: dict[str, str] | None) -> str:
    return f"{value['amount']} {value['currency']}" if value else "—"


def _zoned(text: str | None, zone: str) -> str:
    if not text:
        return "—"
    at = parse_time(text)
    local = at.astimezone(ZoneInfo(zone))
    return (f"<span style='white-space:nowrap'>{format_utc(at)}</span> · "
            f"<span style='white-space:nowrap'>{local.strftime('%Y-%m-%d %H:%M:%S')} {esc(zone)}</span>")


def _local(text: str, zone: str) -> str:
    return parse_time(text).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")


def _proposal(p: dict[str, Any] | None) -> str:
    if not p:
        return "(none)"
    parts = [esc(p.get("proposal_id")), esc(p.get("remedy")), _money(p.get("refund"))]
    if p.get("return_shipping_paid_by"):
        parts.append(f"return shipping paid by {esc(p['return_shipping_paid_by'])}")
    if p.get("note"):
        parts.append(f"note: {esc(p['note'])}")
    return " · ".join(parts)


def _table(headers: list[str], rows: list[list[str]], widths: list[int] | None = None) -> str:
    head = "".join(f"<th align='left'{f' width={w}%' if widths else ''}>{h}</th>"
                   for h, w in zip(headers, widths or [0] * len(headers)))
    body = "".join("<tr>" + "".join(f"<td valign='top'>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (f"<table border='1' cellspacing='0' cellpadding='3' width='100%' style='border-collapse:collapse'>"
            f"<thead><tr style='background:#e8e8e8'>{head}</tr></thead>{body}</table>")


def build_html(record: case_record.CaseRecord, thumbs: dict[int, str | None],
               sizes: dict[int, tuple[int, int]] | None = None) -> str:
    sizes = sizes or {}
    case, zone = record.case, record.platform_zone
    out = [f"<h1>Case file {esc(case['dispute_id'])}</h1>"]
    if "bundle" in case:
        b = case["bundle"]
        out.append(f"<p><b>From an offline bundle</b> exported {esc(b['exported_at'])} by {esc(b['exported_by'])} "
                   f"from database {esc(b['database_id'])}. Drafts are shown applied and marked as drafts.</p>")
    header = [
        ("Dispute", esc(case["dispute_id"])), ("Order", esc(case["order_id"])),
        ("Buyer", esc(case["buyer_id"])), ("Seller", esc(case["seller_id"])),
        ("Kind / reason", f"{esc(case['kind'])} / {esc(case['reason'])}"), ("Policy", esc(case["policy"])),
        ("Status / stage", f"{esc(case['status'])} / {esc(case['stage'])}"), ("Version", str(case["version"])),
        ("Order total", _money(case["order_total"])), ("Opened", _zoned(case["opened_at"], zone)),
        ("Held by", esc(case.get("assigned_to") or "nobody")),
        ("SLA breached", "yes" if case.get("sla_breached") else "no"),
    ]
    out.append("<table cellpadding='2'>" + "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in header)
               + "</table>")
    out.append("<h2>Clocks</h2>")
    if case["deadlines"]:
        out.append(_table(["Clock", "Due", "On expiry"], [
            [f"{esc(d['clock'])}<br/>party: {esc(d['party'])}",
             f"{esc(d['due'])} (UTC)" + (" <b>overdue</b>" if d.get("overdue") else "")
             + f"<br/>{_local(d['due'], zone)} ({esc(zone)})<br/>started {esc(d['started_at'])}",
             esc(d["on_expiry"])] for d in case["deadlines"]]))
    else:
        out.append("<p>No running clock.</p>")
    out.append("<h2>Proposals</h2>")
    for party in ("buyer", "seller", "platform"):
        out.append(f"<h3>{party.capitalize()}</h3><p>Current: {_proposal(case['proposals'].get(party))}</p>")
        items = record.history.get(party) or []
        if items:
            out.append(_table(["At", "Proposal", "Status"], [
                [esc(i["at"]), _proposal(i["proposal"]), esc(i["status"])] for i in items]))
    if case.get("pending_approval"):
        p = case["pending_approval"]
        out.append(f"<p><b>Awaiting approval:</b> {esc(p['what'])} by {esc(p['by'])}: "
                   f"{_proposal(p.get('proposal'))}</p>")
    out.append("<h2>Outcome</h2>")
    outcome = case.get("outcome")
    if outcome:
        out.append("<table cellpadding='2'>" + "".join(
            f"<tr><td><b>{esc(k)}</b></td><td>{_money(v) if isinstance(v, dict) and 'amount' in v else esc(v)}"
            f"</td></tr>" for k, v in outcome.items()) + "</table>")
    else:
        out.append("<p>Not resolved.</p>")
    out.append("<h2>Timeline</h2>")
    out.append(_table(["Version", "At (UTC)", "What", "Who", "Summary"], [
        [str(t["version"]) + (" <i>draft</i>" if t.get("draft_id") else ""), esc(t["at"]), esc(t["kind"]),
         esc(t.get("actor") or t.get("party") or ""), esc(t["summary"])] for t in case["timeline"]]))
    out.append("<h2>Messages</h2>")
    if record.messages:
        out.append(_table(["At (UTC)", "Party", "Message"], [
            [esc(m["at"]), esc(m["party"]), esc(m["text"])] for m in record.messages]))
    else:
        out.append("<p>No messages.</p>")
    out.append("<h2>Evidence</h2>")
    if record.evidence:
        rows = []
        for item in record.evidence:
            thumb = thumbs.get(item["id"])
            picture = (f"<img src='{thumb}' width='{sizes[item['id']][0]}' height='{sizes[item['id']][1]}' />"
                       if thumb and thumb.startswith("thumb:")
                       else esc(thumb or "no preview"))
            rows.append([picture, f"<b>{esc(item['filename'])}</b><br/>{esc(item['media_type'])} · "
                                  f"{item['size']} bytes · {esc(item['party'])}<br/>"
                                  f"<span style='font-size:7pt'>sha256 {esc(item['sha256'])}</span>"])
        out.append(_table(["Preview", "File"], rows))
    else:
        out.append("<p>No evidence.</p>")
    if case.get("drafts"):
        out.append("<h2>Drafts</h2>")
        out.append(_table(["Draft", "Action", "Based on version", "Status"], [
            [esc(d["draft_id"]), esc(d["action"]), str(d["based_on_version"]), esc(d["status"])]
            for d in case["drafts"]]))
    return "<html><body>" + "".join(out) + "</body></html>"  # the document's default font: FAMILIES


@dataclass
class Material:
    """What a case file is made of, read in a worker: the record and each image's bytes (None: not decoded)."""

    record: case_record.CaseRecord
    images: dict[int, bytes | str | None]  # evidence id -> bytes, or why there is no preview
    generated_at: str


def collect(ctx: Context, dispute_id: str) -> Material:
    """The reads (any thread): the case, and the bytes of each image small enough to preview. Every item's bytes
    are re-checked against their sha256: altered evidence is said in place of its preview, never shown."""
    record = case_record.gather(ctx, dispute_id)
    images: dict[int, bytes | str | None] = {}
    for item in record.evidence:
        try:
            media_type, data = case_record.evidence_bytes(ctx, item["id"])
        except EvidenceAltered as exc:
            images[item["id"]] = str(exc)
            continue
        if not is_image(media_type):
            images[item["id"]] = None
            continue
        images[item["id"]] = preview_refusal(media_type, data) or data
    return Material(record, images, format_utc(ctx.clock.now()) or "")


def write_case_file(ctx: Context, dispute_id: str, out: str | Path, source: str) -> dict[str, Any]:
    """Write the PDF; returns {"file", "pages", …}. `source` names the database or bundle it came from."""
    return render(collect(ctx, dispute_id), out, source)


def render(material: Material, out: str | Path, source: str) -> dict[str, Any]:
    """The drawing (the GUI thread in the window; the command line's only thread)."""
    from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
    from PySide6.QtGui import (QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument)

    ensure_gui()
    cjk = cjk_font.register()
    record, generated = material.record, material.generated_at
    dispute_id = record.case["dispute_id"]
    doc = QTextDocument()
    font = QFont()
    font.setFamilies([FAMILIES[0], cjk] if cjk else FAMILIES)
    font.setPointSizeF(9)
    for feature in ("liga", "clig"):  # "file", not "ﬁle": the extracted text is what people search
        font.setFeature(QFont.Tag(feature), 0)
    doc.setDefaultFont(font)
    thumbs: dict[int, str | None] = {}
    sizes: dict[int, tuple[int, int]] = {}
    for item in record.evidence:
        data = material.images.get(item["id"])
        if not isinstance(data, bytes):
            thumbs[item["id"]] = data
            continue
        try:
            image = guarded_image(item["media_type"], data, THUMB_PX)
        except NoPreview as exc:
            thumbs[item["id"]] = str(exc)
            continue
        scale = min(3.0, THUMB_PX / max(image.width(), image.height()))  # a small image shown at ~96 dpi
        sizes[item["id"]] = (max(1, int(image.width() * scale)), max(1, int(image.height() * scale)))
        name = f"thumb:{item['id']}"
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        thumbs[item["id"]] = name
    doc.setHtml(build_html(record, thumbs, sizes))

    path = Path(out)
    writer = QPdfWriter(str(path))
    writer.setTitle(f"Case file {dispute_id}")
    writer.setCreator("Mediator")
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                                     QPageLayout.Unit.Millimeter))
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError("the file could not be opened for writing")
    try:
        doc.documentLayout().setPaintDevice(writer)
        page = writer.pageLayout().paintRectPixels(writer.resolution())
        footer_h = int(writer.resolution() * 0.35)
        body = QSizeF(page.width(), page.height() - footer_h)
        doc.setPageSize(body)
        pages = doc.pageCount()
        footer_font = QFont(font)
        footer_font.setPointSizeF(7)
        for number in range(pages):
            if number:
                writer.newPage()
            painter.save()
            painter.translate(0, -number * body.height())
            doc.drawContents(painter, QRectF(0, number * body.height(), body.width(), body.height()))
            painter.restore()
            painter.setFont(footer_font)
            rect = QRectF(0, body.height(), body.width(), footer_h)
            painter.drawLine(0, int(body.height() + footer_h * 0.15), int(body.width()),
                             int(body.height() + footer_h * 0.15))
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
                             f"Case file {dispute_id} · generated at {generated} from {source}")
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                             f"page {number + 1} of {pages}")
    finally:
        painter.end()
    return {"file": str(path), "pages": pages, "dispute_id": dispute_id, "generated_at": generated}
