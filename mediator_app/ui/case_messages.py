"""The case's messages tab: the parties' messages, oldest first, each under its party and time (party text,
escaped: never markup)."""
from __future__ import annotations

import html
from typing import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTextBrowser, QWidget

from mediator_app.services.workbench import Message

from .case_words import due_text
from .formatting import PARTIES, label


def messages_html(messages: Sequence[Message]) -> str:
    blocks = []
    for message in messages:
        head = f"<b>{html.escape(label(PARTIES, message.party))}</b> · {html.escape(due_text(message.at, None))}"
        body = html.escape(message.text).replace("\n", "<br/>")
        blocks.append(f"<p style='margin-bottom:8px'>{head}<br/>{body}</p>")
    return "".join(blocks)


class MessagesView(QTextBrowser):
    """Object name `messagesView`; links are not followed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messagesView")
        self.setAccessibleName(QCoreApplication.translate("CaseView", "Messages"))
        self.setOpenLinks(False)

    def show_messages(self, messages: Sequence[Message]) -> None:
        if not messages:
            self.setPlainText(QCoreApplication.translate("CaseView", "No messages in this case."))
            return
        self.setHtml(messages_html(messages))
