"""Every refusal the window can show reads in Chinese (issue 15: "translate what a person reads, keep the stable
English of the contract for the CLI's JSON").

The texts are enumerated from the code, not listed here: every `Rejection(…)` / `VersionConflict` message and every
reason `domain/permissions.py` returns, in the modules whose calls the window makes. Each f-string becomes a sample
by filling its fields: a field the module can evaluate (`', '.join(REMEDIES)`) is evaluated, a local one takes a
sample from `SAMPLES` by its source text — a new field without a sample fails here, so a new refusal cannot slip
by. Each sample must be known to the phrasebook and leave no English but ids, codes and names.
"""
from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from mediator_app.ui import language
from mediator_app.ui.phrasebook import phrase
from tests.ui.test_translations import chinese, english_in  # noqa: F401 (chinese: the fixture)

PACKAGE = Path(__file__).resolve().parents[2] / "mediator_app"
#: The modules whose refusals reach the window: the actions and their rules (permissions, terms, money,
#: assignment, the desk), the services the window calls (casework, reassign, drafts, sync, reading, users).
#: Not here: the feed's parsing (`events`, `feed_rules`, `time.parse_time`), whose reasons go to `rejected_lines`
#: and the CLI, never to a clerk's window.
MODULES = ("domain/actions.py", "domain/assignment.py", "domain/desk.py", "domain/permissions.py",
           "domain/proposals.py", "domain/money.py", "domain/policy.py", "domain/judge.py", "domain/errors.py",
           "services/casework.py", "services/assignments.py", "services/drafts.py", "services/bundle_sync.py",
           "services/bundles.py", "services/bundle_export.py", "services/reading.py", "services/workbench.py",
           "services/users.py", "services/context.py")
class Code(str):
    """A sample that is a code or an identifier the sentence carries as it is (a database id, a class name)."""


#: A field's sample by its source text (what the value is at run time; ids and names like the demo's)
SAMPLES: dict[str, Any] = {
    "older": "carol", "remedy": "refund", "adopt": "buyer", "to.name": "carol", "to.role": "auditor", "to": "carol",
    "user": "dora", "role": "auditor", "roles[1]": "auditor", "what": "platform proposal", "currency": "XYZ",
    "raw": "12,5x", "digits": 2, "refund": "12.345 USD", "order_total": "66.65 USD", "refund.currency": "EUR",
    "order_total.currency": "USD", "from_user": "dora", "view": "X-1", "dispute_id": "D-404",
    "actor.name": "alice", "actor.role": "auditor", "action": "approve", "facts.stage": "closed",
    "facts.dispute_id": "D-1", "holder": "carol", "facts.held_text(now)": "D-1 is claimed by carol until "
    "2026-11-01T02:30:00Z", "facts.assigned_to": "carol", "facts.assigned_by": "bob",
    "format_utc(self.claim_expires_at)": "2026-11-01T02:30:00Z", "self.dispute_id": "D-1",
    "self.assigned_to": "carol", "self.assigned_by": "bob", "' or '.join(roles)": "supervisor",
    "', '.join(stages)": "awaiting_seller, awaiting_buyer", "expected": 3, "actual": 5, "dispute_id_": "D-1",
    "ran_out(expiries)": "the seller's response time ran out at 2026-11-06T04:00:00Z", "shown": "D-404",
    "key": "k-1", "used_for": "D-2", "label": "propose", "len(key)": 300, "KEY_LIMIT": 200,
    "last['status']": "applied", "origin['database_id']": Code("5ee88478-b5ca-4ce3-ae25-3f4caee4d0fa"),
    "here": Code("8302bda5-44fa-4dd7-9df5-6b14b77f00aa"), "path": "cases.mcase",
    "out": "cases.mcase", "exc.__class__.__name__": Code("DatabaseError"), "evidence_id": 7, "name": "dora",
    "len(name)": 80, "NAME_LIMIT": 64, "based": 7, "version": 9,
    "', '.join(dict.fromkeys(kinds)) or 'no change recorded'": "message.posted, clock.expired",
    "_ran_out(expiries)": "the seller's response time ran out at 2026-11-06T04:00:00Z",
    "exc.reason": "a note needs text", "assigned_to": "dora", "stored": "dora",
    "draft_id": Code("DR-5f0c2a"),
}


#: Where a field means something else in one module (`module.py:field`): refused input is id-like garbage
MODULE_SAMPLES: dict[str, Any] = {
    "desk.py:what": "stats", "proposals.py:remedy!r": "X-1", "users.py:role!r": "X-1", "actions.py:adopt!r": "X-1",
    "permissions.py:facts.held_text(now)": "D-1 is assigned to carol (by bob)",
}


@dataclass(frozen=True)
class Site:
    where: str  # module:line
    template: ast.expr  # the message: a string or an f-string


def _message_sites(path: Path) -> Iterator[Site]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(PACKAGE)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in ("Rejection", "LineRejection", "CaseBusy", "__init__") and node.args:
                if isinstance(node.args[0], (ast.JoinedStr, ast.Constant)):
                    yield Site(f"{rel}:{node.lineno}", node.args[0])
        if rel.name in ("permissions.py", "judge.py", "bundle_sync.py") and isinstance(node, (ast.Return, ast.Assign)):
            value = node.value
            if isinstance(value, ast.JoinedStr):  # a reason built and returned (permissions), or composed (judge)
                yield Site(f"{rel}:{node.lineno}", value)


def _sample(site: Site, namespace: dict[str, Any], codes: list[str]) -> str:
    """The message with its fields filled; `codes` gets the filled values that are codes (kept as they are)."""
    node = site.template
    if isinstance(node, ast.Constant):
        return str(node.value)
    parts: list[str] = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value))
            continue
        assert isinstance(value, ast.FormattedValue)
        source = ast.unparse(value.value)
        try:
            filled = eval(source, dict(namespace))  # noqa: S307 (the module's own constant expressions)
        except Exception:
            module = Path(site.where.split(":")[0]).name
            keys = [f"{module}:{source}!r"] if value.conversion == ord("r") else []
            found = [MODULE_SAMPLES[k] for k in keys + [f"{module}:{source}"] if k in MODULE_SAMPLES]
            assert found or source in SAMPLES, f"{site.where}: give a sample for the field {{{source}}} in SAMPLES"
            filled = found[0] if found else SAMPLES[source]
            if isinstance(filled, Code):
                codes.append(str(filled))
        else:
            codes.append(str(filled))  # the module's own list (`', '.join(VIEWS)`): codes, unless a reader words them
        parts.append(repr(filled) if value.conversion == ord("r") else str(filled))
    return "".join(parts)


def refusal_samples() -> list[tuple[str, str, list[str]]]:
    """(module:line, the message with sample values, the codes in it)."""
    out = []
    for relative in MODULES:
        path = PACKAGE / relative
        module = importlib.import_module("mediator_app." + relative[:-3].replace("/", "."))
        for site in _message_sites(path):
            codes: list[str] = []
            out.append((site.where, _sample(site, vars(module), codes), codes))
    return out


def english_left(shown: str, codes: list[str]) -> str | None:
    for code in codes:
        shown = shown.replace(code, " ")
    return english_in(shown)


def test_the_enumeration_finds_the_refusals_it_must() -> None:
    """The walk is not empty and sees the kinds of refusal the issue names (it can fail: a walk that found nothing
    would pass the next test)."""
    samples = [text for _where, text, _codes in refusal_samples()]
    assert len(samples) > 60
    for expected in ("send-back needs a note saying why", "nobody approves their own",
                     "is above the order total", "is not a plain decimal string", "cannot hold cases",
                     "version conflict on", "ran out at", "version 7 → 9",
                     "is being written by another process"):
        assert any(expected in s for s in samples), expected


def test_every_refusal_the_window_can_show_reads_in_chinese(chinese: None) -> None:
    untranslated = []
    for where, text, codes in refusal_samples():
        shown = phrase(text)
        if shown == text or english_left(shown, codes):
            untranslated.append(f"{where}: {text!r} → {shown!r} ({english_left(shown, codes)})")
    assert not untranslated, "refusals the phrasebook does not know:\n" + "\n".join(untranslated)


def test_the_cli_keeps_the_contracts_english() -> None:
    """In English (the CLI never translates) each text is shown as the service wrote it."""
    language.install("en")
    for _where, text, _codes in refusal_samples():
        assert phrase(text) == text
