"""What the window says when a service refuses or fails (the desk and the offline window alike), in the window's language (issue 15): a rule's refusal
and a version conflict through the phrasebook (the services' stable English stays for the CLI's JSON), the
database out of reach in words rather than the driver's text, anything else through the phrasebook too (text
it does not know reads as it is)."""
from __future__ import annotations

from mediator_app.domain.errors import Rejection
from mediator_app.services.context import CaseBusy, DatabaseUnavailable
from mediator_app.ui.formatting import tr
from mediator_app.ui.phrasebook import phrase


def error_text(exc: BaseException) -> str:
    """An exception from a desk call as a person reads it."""
    if isinstance(exc, Rejection):
        return phrase(exc.reason)
    if isinstance(exc, DatabaseUnavailable) and not isinstance(exc, CaseBusy):
        return tr("The database is out of reach.", "Desk")
    return phrase(str(exc).splitlines()[0] if str(exc) else "")

