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

from PySide6.QtCore import QLocale

from mediator_app.domain.case_view import Deadline
from mediator_app.domain.evidence import is_image, preview_refusal
from mediator_app.domain.money import parse_money
from mediator_app.domain.time import format_utc, parse_time
from mediator_app.services import case_record
from mediator_app.services.context import Context
from mediator_app.services.workbench import EvidenceAltered
from mediator_app.ui.case_words import expiry_text, return_status_text, timeline_kind
from mediator_app.ui.evidence_images import reason_text as evidence_reason
from mediator_app.ui.formatting import (CLOCKS, KINDS, PARTIES, QT_TR_NOOP, REMEDIES, STAGES, label,
                                        money_text, reason_text, terms_text, tr, when_long)
from mediator_app.ui.phrasebook import phrase
from mediator_app.ui.proposal_texts import HISTORY_STATUS, reached_text

from . import cjk_font
from .image_guard import NoPreview, guarded_image, install_decode_limit

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


#: The words of the case file (context "CaseFile"); the window's labels, phrasebook and locale do the rest
CONTEXT = "CaseFile"
STATUS = {"open": QT_TR_NOOP("open"), "closed": QT_TR_NOOP("closed")}
DRAFT_STATUS = {"pending": QT_TR_NOOP("pending"), "applied": QT_TR_NOOP("applied"),
                "conflict": QT_TR_NOOP("conflict"), "rejected": QT_TR_NOOP("rejected")}
ACTIONS = {"propose": QT_TR_NOOP("propose"), "rule": QT_TR_NOOP("rule"), "note": QT_TR_NOOP("note"),
           "send-back": QT_TR_NOOP("send back"), "approve": QT_TR_NOOP("approve")}
#: Where the document came from (`render`'s `source`, the caller's English: "database …" / "bundle …")
SOURCES = {"database": QT_TR_NOOP("database %1"), "bundle": QT_TR_NOOP("bundle %1")}


def _t(text: str) -> str:
    return tr(text, CONTEXT)


def _word(table: dict[str, str], code: str | None) -> str:
    """A code in the document's words (an unknown one as it is)."""
    if code is None:
        return "—"
    return esc(_t(table[code]) if code in table else code)


def _money(value: dict[str, str] | None) -> str:
    return esc(money_text(parse_money(value))) if value else "—"


def _zoned(text: str | None, zone: str) -> str:
    """The exact UTC time as the record has it, then the platform zone's by the locale, its name in the
    document's language (`2026-11-06 12:00:00 北京时间 (Asia/Shanghai)`)."""
    if not text:
        return "—"
    at = parse_time(text)
    return (f"<span style='white-space:nowrap'>{format_utc(at)}</span> · "
            f"<span style='white-space:nowrap'>{esc(when_long(at, zone))} ({esc(zone)})</span>")


def _local(text: str, zone: str) -> str:
    return esc(when_long(parse_time(text), zone))


def _terms_of(p: dict[str, Any]) -> str:
    refund = p.get("refund")
    return terms_text(p.get("remedy"), parse_money(refund) if refund else None)


def _proposal(p: dict[str, Any] | None) -> str:
    if not p:
        return esc(tr("(none)", "CaseFile"))
    parts = [esc(p.get("proposal_id")), esc(_terms_of(p))]
    if p.get("return_shipping_paid_by"):
        payer = label(PARTIES, p["return_shipping_paid_by"])
        parts.append(esc(tr("return shipping paid by %1", "CaseFile").replace("%1", payer)))
    if p.get("note"):
        parts.append(esc(tr("note: %1", "CaseFile")).replace("%1", esc(p["note"])))  # party text: never translated
    return " · ".join(parts)


def _table(headers: list[str], rows: list[list[str]], widths: list[int] | None = None) -> str:
    head = "".join(f"<th align='left'{f' width={w}%' if widths else ''}>{esc(h)}</th>"
                   for h, w in zip(headers, widths or [0] * len(headers)))
    body = "".join("<tr>" + "".join(f"<td valign='top'>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (f"<table border='1' cellspacing='0' cellpadding='3' width='100%' style='border-collapse:collapse'>"
            f"<thead><tr style='background:#e8e8e8'>{head}</tr></thead>{body}</table>")


def _h(level: int, text: str) -> str:
    return f"<h{level}>{esc(text)}</h{level}>"


def _p(text: str) -> str:
    return f"<p>{esc(text)}</p>"


def _expiry(deadline: dict[str, Any], typed: Deadline | None) -> str:
    """What runs out, in words (the typed deadline's expiry); the contract's words when there is none."""
    return esc(expiry_text(typed.expiry) if typed is not None else deadline["on_expiry"])


def _clocks(record: case_record.CaseRecord, zone: str) -> list[str]:
    case = record.case
    typed = {d.clock: d for d in record.view.deadlines} if record.view is not None else {}
    if not case["deadlines"]:
        return [_p(tr("No running clock.", "CaseFile"))]
    rows = []
    must_act, overdue = tr("must act: %1", "CaseFile"), tr("overdue", "CaseFile")
    for d in case["deadlines"]:
        rows.append([
            f"{esc(label(CLOCKS, d['clock']))}<br/>{esc(must_act.replace('%1', label(PARTIES, d['party'])))}",
            f"{esc(d['due'])}" + (f" <b>{esc(overdue)}</b>" if d.get("overdue") else "")
            + f"<br/>{_local(d['due'], zone)} ({esc(zone)})<br/>"
            + esc(tr("started %1", "CaseFile").replace("%1", format_utc(parse_time(d["started_at"])) or "")),
            _expiry(d, typed.get(d["clock"]))])
    return [_table([tr("Clock", "CaseFile"), tr("Due", "CaseFile"), tr("On expiry", "CaseFile")], rows)]


def _outcome(outcome: dict[str, Any], zone: str) -> str:
    rows = [(tr("Reached by", "CaseFile"), esc(reached_text(outcome.get("reached_type"))))]
    if outcome.get("adopted"):
        rows.append((tr("Proposal executed", "CaseFile"), esc(label(PARTIES, outcome["adopted"]))))
    refund = _money(outcome.get("refund")) if outcome.get("refund") else esc(label(REMEDIES, "no_refund"))
    rows.append((tr("Refund", "CaseFile"), refund))
    if outcome.get("return_required"):
        status = return_status_text(outcome.get("return_status")) or tr("required", "CaseFile")
        rows.append((tr("Return", "CaseFile"), esc(status)))
    rows.append((tr("Resolved", "CaseFile"), _zoned(outcome.get("resolved_at"), zone)))
    return "<table cellpadding='2'>" + "".join(f"<tr><td><b>{esc(k)}</b></td><td>{v}</td></tr>" for k, v in rows) \
        + "</table>"


def _who(t: dict[str, Any]) -> str:
    parts = [label(PARTIES, t["party"])] if t.get("party") else []
    if t.get("actor") and t["actor"] != "feed":
        parts.append(str(t["actor"]))
    return esc(" · ".join(parts))


def build_html(record: case_record.CaseRecord, thumbs: dict[int, str | None],
               sizes: dict[int, tuple[int, int]] | None = None) -> str:
    """The document in the application's language (its translators and default QLocale: `language.install`)."""
    sizes = sizes or {}
    case, zone = record.case, record.platform_zone
    out = [_h(1, tr("Case file %1", "CaseFile").replace("%1", case["dispute_id"]))]
    if "bundle" in case:
        b = case["bundle"]
        out.append("<p><b>" + esc(tr("From an offline bundle", "CaseFile")) + "</b> " + esc(
            tr("exported %1 by %2 from database %3. Drafts are shown applied and marked as drafts.", "CaseFile")
            .replace("%1", b["exported_at"]).replace("%2", b["exported_by"]).replace("%3", b["database_id"])) + "</p>")
    header = [
        (tr("Dispute", "CaseFile"), esc(case["dispute_id"])), (tr("Order", "CaseFile"), esc(case["order_id"])),
        (tr("Buyer", "CaseFile"), esc(case["buyer_id"])), (tr("Seller", "CaseFile"), esc(case["seller_id"])),
        (tr("Kind / reason", "CaseFile"), f"{esc(label(KINDS, case['kind']))} / {esc(reason_text(case['reason']))}"),
        (tr("Policy", "CaseFile"), esc(case["policy"])),
        (tr("Status / stage", "CaseFile"), f"{_word(STATUS, case['status'])} / {esc(label(STAGES, case['stage']))}"),
        (tr("Version", "CaseFile"), str(case["version"])),
        (tr("Order total", "CaseFile"), _money(case["order_total"])),
        (tr("Opened", "CaseFile"), _zoned(case["opened_at"], zone)),
        (tr("Held by", "CaseFile"), esc(case.get("assigned_to") or tr("nobody", "CaseFile"))),
        (tr("SLA breached", "CaseFile"),
         esc(tr("yes", "CaseFile") if case.get("sla_breached") else tr("no", "CaseFile"))),
    ]
    out.append("<table cellpadding='2'>" + "".join(f"<tr><td><b>{esc(k)}</b></td><td>{v}</td></tr>"
                                                   for k, v in header) + "</table>")
    out.append(_h(2, tr("Clocks", "CaseFile")))
    out += _clocks(record, zone)
    out.append(_h(2, tr("Proposals", "CaseFile")))
    current, draft = tr("Current: %1", "CaseFile"), tr("draft", "CaseFile")
    for party in ("buyer", "seller", "platform"):
        out.append(_h(3, label(PARTIES, party).capitalize()))
        out.append(f"<p>{esc(current).replace('%1', _proposal(case['proposals'].get(party)))}</p>")
        items = record.history.get(party) or []
        if items:
            out.append(_table([tr("At (UTC)", "CaseFile"), tr("Proposal", "CaseFile"), tr("Status", "CaseFile")], [
                [esc(i["at"]), _proposal(i["proposal"]), _word(HISTORY_STATUS, i["status"])] for i in items]))
    if case.get("pending_approval"):
        p = case["pending_approval"]
        what = tr("ruling", "CaseFile") if p["what"] == "ruling" else tr("platform proposal", "CaseFile")
        line = esc(tr("%1 by %2: %3", "CaseFile").replace("%1", what).replace("%2", p["by"]))
        out.append("<p><b>" + esc(tr("Awaiting approval:", "CaseFile")) + "</b> "
                   + line.replace("%3", _proposal(p.get("proposal"))) + "</p>")
    out.append(_h(2, tr("Outcome", "CaseFile")))
    outcome = case.get("outcome")
    out.append(_outcome(outcome, zone) if outcome else _p(tr("Not resolved.", "CaseFile")))
    out.append(_h(2, tr("Timeline", "CaseFile")))
    out.append(_table([tr("Version", "CaseFile"), tr("At (UTC)", "CaseFile"), tr("What", "CaseFile"),
                       tr("Who", "CaseFile"), tr("Summary", "CaseFile")], [
        [str(t["version"]) + (f" <i>{esc(draft)}</i>" if t.get("draft_id") else ""), esc(t["at"]),
         esc(timeline_kind(t["kind"])), _who(t), esc(phrase(t["summary"]))] for t in case["timeline"]]))
    out.append(_h(2, tr("Messages", "CaseFile")))
    if record.messages:
        out.append(_table([tr("At (UTC)", "CaseFile"), tr("Party", "CaseFile"), tr("Message", "CaseFile")], [
            [esc(m["at"]), esc(label(PARTIES, m["party"])), esc(m["text"])] for m in record.messages]))
    else:
        out.append(_p(tr("No messages.", "CaseFile")))
    out.append(_h(2, tr("Evidence", "CaseFile")))
    if record.evidence:
        rows = []
        for item in record.evidence:
            thumb = thumbs.get(item["id"])
            picture = (f"<img src='{thumb}' width='{sizes[item['id']][0]}' height='{sizes[item['id']][1]}' />"
                       if thumb and thumb.startswith("thumb:")
                       else esc(evidence_reason(thumb) if thumb else tr("no preview", "CaseFile")))
            size = tr("%1 bytes", "CaseFile").replace("%1", QLocale().toString(int(item["size"])))
            rows.append([picture, f"<b>{esc(item['filename'])}</b><br/>{esc(item['media_type'])} · "
                                  f"{esc(size)} · {esc(label(PARTIES, item['party']))}<br/>"
                                  f"<span style='font-size:7pt'>sha256 {esc(item['sha256'])}</span>"])
        out.append(_table([tr("Preview", "CaseFile"), tr("File", "CaseFile")], rows))
    else:
        out.append(_p(tr("No evidence.", "CaseFile")))
    if case.get("drafts"):
        out.append(_h(2, tr("Drafts", "CaseFile")))
        out.append(_table([tr("Draft", "CaseFile"), tr("Action", "CaseFile"), tr("Based on version", "CaseFile"),
                           tr("Status", "CaseFile")], [
            [esc(d["draft_id"]), _word(ACTIONS, d["action"]), str(d["based_on_version"]),
             _word(DRAFT_STATUS, d["status"])] for d in case["drafts"]]))
    return "<html><body>" + "".join(out) + "</body></html>"  # the document's default font: FAMILIES


def source_text(source: str) -> str:
    """`database 5f3…` / `bundle x.mediator` in the document's words (another source as it is)."""
    kind, _, name = source.partition(" ")
    return _t(SOURCES[kind]).replace("%1", name) if kind in SOURCES and name else source


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
        images[item["id"]] = preview_refusal(media_type, data) or data  # its words when drawn: evidence_reason
    return Material(record, images, format_utc(ctx.clock.now()) or "")


def write_case_file(ctx: Context, dispute_id: str, out: str | Path, source: str,
                    lang: str | None = None) -> dict[str, Any]:
    """Write the PDF (the command line); returns {"file", "pages", "language", …}. `source` names the database or
    bundle it came from. The language: `lang` (`--lang`), else $MEDIATOR_LANG, else the system locale's (the
    window's own choice in Settings is the window's; its export renders in the window's language)."""
    from mediator_app.ui import language

    ensure_gui()
    chosen = language.resolve(lang)
    before, locale = language.current(), QLocale()
    language.install(chosen)
    try:
        report = render(collect(ctx, dispute_id), out, source)
    finally:
        language.install(before)
        QLocale.setDefault(locale)
    return {**report, "language": chosen}


def render(material: Material, out: str | Path, source: str) -> dict[str, Any]:
    """The drawing (the GUI thread in the window; the command line's only thread), in the application's language
    (its translators and default QLocale, as `language.install` left them)."""
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
    writer.setTitle(tr("Case file %1", "CaseFile").replace("%1", dispute_id))
    footer = (tr("Case file %1 · generated at %2 from %3", "CaseFile").replace("%1", dispute_id).replace("%2", generated)
              .replace("%3", source_text(source)))
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
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom), footer)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                             tr("page %1 of %2", "CaseFile").replace("%1", str(number + 1)).replace("%2", str(pages)))
    finally:
        painter.end()
    return {"file": str(path), "pages": pages, "dispute_id": dispute_id, "generated_at": generated}
