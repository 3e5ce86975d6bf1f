"""The one catalogue of what the services say in English, in the window's language.

The rules and services say why they refuse and what happened in stable English (the CLI's JSON and the stored
history keep it; the contract names those texts). A person at the window reads them here: each entry is a
pattern over that English text and its translatable template (context "Phrases", English = the template);
the pattern's groups become %1, %2, … in order, and a group's name says how its value reads (a party, terms,
a stage, a time, or a nested phrase). Text no entry knows is shown as it is (a new service text reads in
English until it is added here, never wrongly). Party text (messages, notes, file names) is never translated.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Callable

from PySide6.QtCore import QCoreApplication

from mediator_app.ui.case_words import timeline_kind
from mediator_app.ui.formatting import QT_TRANSLATE_NOOP, KINDS, PARTIES, REMEDIES, ROLES, STAGES, chinese, label, reason_text, when

CONTEXT = "Phrases"
_ID = r"[^\s:;,()]+"
_P = r"buyer|seller|platform"

#: (pattern, template): first full match wins; group names: see `_word`
PHRASES: list[tuple[str, str]] = [
    # -- audit verify's problems (§7.3) --
    (r"version (?P<n>\d+) is missing from the history \(a row was deleted\)",
     QT_TRANSLATE_NOOP("Phrases", "version %1 is missing from the history (a row was deleted)")),
    (r"the history row does not match its hash \(its content was changed\)",
     QT_TRANSLATE_NOOP("Phrases", "the history row does not match its hash (its content was changed)")),
    (r"the history row has no hash", QT_TRANSLATE_NOOP("Phrases", "the history row has no hash")),
    (r"the history row carries no replay record", QT_TRANSLATE_NOOP("Phrases", "the history row carries no replay record")),
    (r"the history row differs from its replay \((?P<raw>.+)\)",
     QT_TRANSLATE_NOOP("Phrases", "the history row differs from its replay (%1)")),
    (r"the stored state differs from the replay of its history \((?P<raw>.+)\)",
     QT_TRANSLATE_NOOP("Phrases", "the stored state differs from the replay of its history (%1)")),
    (r"the dispute's columns differ from its stored state \((?P<raw>.+)\)",
     QT_TRANSLATE_NOOP("Phrases", "the dispute's columns differ from its stored state (%1)")),
    (r"the rules refuse it on replay: (?P<text>.+)", QT_TRANSLATE_NOOP("Phrases", "the rules refuse it on replay: %1")),
    (r"on replay no clock is due at this row's time",
     QT_TRANSLATE_NOOP("Phrases", "on replay no clock is due at this row's time")),
    # -- the history (timeline summaries) --
    (rf"buyer opened a (?P<kind>\w+) dispute \((?P<reason>[^)]*)\) asking (?P<terms>.+) on order (?P<id>{_ID})",
     QT_TRANSLATE_NOOP("Phrases", "buyer opened a %1 dispute (%2) asking %3 on order %4")),
    (rf"(?P<text>.+) \(supersedes (?P<id>{_ID})\)", QT_TRANSLATE_NOOP("Phrases", "%1 (supersedes %2)")),
    (rf"(?P<text>.+) \(replaces (?P<id>{_ID})\)", QT_TRANSLATE_NOOP("Phrases", "%1 (replaces %2)")),
    (r"(?P<text>.+); this rejects the platform proposal",
     QT_TRANSLATE_NOOP("Phrases", "%1; this rejects the platform proposal")),
    (rf"(?P<party>{_P}) posted (?P<id>{_ID}): (?P<terms>.+)", QT_TRANSLATE_NOOP("Phrases", "%1 posted %2: %3")),
    (rf"(?P<party>{_P}) withdrew (?P<id>{_ID}) \((?P<terms>.+)\)", QT_TRANSLATE_NOOP("Phrases", "%1 withdrew %2 (%3)")),
    (rf"(?P<party>{_P}) accepted the (?P<party2>{_P})'s proposal (?P<id>{_ID}): (?P<terms>.+)",
     QT_TRANSLATE_NOOP("Phrases", "%1 accepted the %2's proposal %3: %4")),
    (rf"(?P<party>{_P}) accepted platform proposal (?P<id>{_ID}); both accepted: (?P<terms>.+)",
     QT_TRANSLATE_NOOP("Phrases", "%1 accepted platform proposal %2; both accepted: %3")),
    (rf"(?P<party>{_P}) accepted platform proposal (?P<id>{_ID})",
     QT_TRANSLATE_NOOP("Phrases", "%1 accepted platform proposal %2")),
    (rf"(?P<party>{_P}) rejected platform proposal (?P<id>{_ID}): (?P<raw>.*)",
     QT_TRANSLATE_NOOP("Phrases", "%1 rejected platform proposal %2: %3")),
    (rf"(?P<party>{_P}) rejected platform proposal (?P<id>{_ID})",
     QT_TRANSLATE_NOOP("Phrases", "%1 rejected platform proposal %2")),
    (rf"(?P<party>{_P}) asked the platform to arbitrate", QT_TRANSLATE_NOOP("Phrases", "%1 asked the platform to arbitrate")),
    (r"buyer cancelled the dispute \(the (?P<what>.+) awaiting approval is dropped\)",
     QT_TRANSLATE_NOOP("Phrases", "buyer cancelled the dispute (the %1 awaiting approval is dropped)")),
    (r"buyer cancelled the dispute", QT_TRANSLATE_NOOP("Phrases", "buyer cancelled the dispute")),
    (rf"(?P<party>{_P}) added evidence (?P<raw>.+) \((?P<id>[^,()]+), (?P<n>\d+) bytes\)",
     QT_TRANSLATE_NOOP("Phrases", "%1 added evidence %2 (%3, %4 bytes)")),
    (r"buyer shipped the return via (?P<raw>.+), tracking (?P<id>.+)",
     QT_TRANSLATE_NOOP("Phrases", "buyer shipped the return via %1, tracking %2")),
    (r"buyer shipped the return, tracking (?P<id>.+)", QT_TRANSLATE_NOOP("Phrases", "buyer shipped the return, tracking %1")),
    (r"seller confirmed receipt of the return: refund (?P<id>.+) executes",
     QT_TRANSLATE_NOOP("Phrases", "seller confirmed receipt of the return: refund %1 executes")),
    (r"the buyer did not ship the return in time: closed with no refund",
     QT_TRANSLATE_NOOP("Phrases", "the buyer did not ship the return in time: closed with no refund")),
    (r"the seller did not confirm receipt in time: refund (?P<id>.+) executes",
     QT_TRANSLATE_NOOP("Phrases", "the seller did not confirm receipt in time: refund %1 executes")),
    (rf"the (?P<party>\w+) did not respond in time: (?P<party2>{_P}) proposal (?P<id>{_ID}) executes \((?P<terms>.+)\)",
     QT_TRANSLATE_NOOP("Phrases", "the %1 did not respond in time: %2 proposal %3 executes (%4)")),
    (r"the (?P<party>\w+) did not respond in time: closed with no refund",
     QT_TRANSLATE_NOOP("Phrases", "the %1 did not respond in time: closed with no refund")),
    (rf"(?P<name>{_ID}) proposed (?P<id>{_ID}): (?P<terms>.+); awaits a supervisor's approval",
     QT_TRANSLATE_NOOP("Phrases", "%1 proposed %2: %3; awaits a supervisor's approval")),
    (rf"(?P<name>{_ID}) proposed (?P<id>{_ID}): (?P<terms>.+)", QT_TRANSLATE_NOOP("Phrases", "%1 proposed %2: %3")),
    (rf"(?P<text>{_ID} ruled for the .+?) — (?P<raw>.*)", QT_TRANSLATE_NOOP("Phrases", "%1 — %2")),
    (rf"(?P<name>{_ID}) ruled for the (?P<party>{_P}) \((?P<terms>.+)\); awaits a supervisor's approval",
     QT_TRANSLATE_NOOP("Phrases", "%1 ruled for the %2 (%3); awaits a supervisor's approval")),
    (rf"(?P<name>{_ID}) ruled for the (?P<party>{_P}): (?P<id>{_ID}) executes \((?P<terms>.+)\)",
     QT_TRANSLATE_NOOP("Phrases", "%1 ruled for the %2: %3 executes (%4)")),
    (rf"(?P<name>{_ID}) approved (?P<by>{_ID})'s ruling for the (?P<party>{_P}): (?P<id>{_ID}) executes \((?P<terms>.+)\)",
     QT_TRANSLATE_NOOP("Phrases", "%1 approved %2's ruling for the %3: %4 executes (%5)")),
    (rf"(?P<name>{_ID}) approved (?P<by>{_ID})'s platform proposal (?P<id>{_ID}): (?P<terms>.+)",
     QT_TRANSLATE_NOOP("Phrases", "%1 approved %2's platform proposal %3: %4")),
    (rf"(?P<name>{_ID}) sent back (?P<by>{_ID})'s (?P<what>ruling|platform proposal): (?P<raw>.*)",
     QT_TRANSLATE_NOOP("Phrases", "%1 sent back %2's %3: %4")),
    (rf"(?P<name>{_ID}) renewed the claim until (?P<utc>\S+)", QT_TRANSLATE_NOOP("Phrases", "%1 renewed the claim until %2")),
    (rf"(?P<name>{_ID}) took the case over from (?P<by>{_ID})", QT_TRANSLATE_NOOP("Phrases", "%1 took the case over from %2")),
    (rf"(?P<name>{_ID}) claimed the case until (?P<utc>\S+)", QT_TRANSLATE_NOOP("Phrases", "%1 claimed the case until %2")),
    (rf"(?P<name>{_ID}) assigned the case to (?P<to>{_ID}) \(held by (?P<by>{_ID})\)",
     QT_TRANSLATE_NOOP("Phrases", "%1 assigned the case to %2 (held by %3)")),
    (rf"(?P<name>{_ID}) assigned the case to (?P<to>{_ID})", QT_TRANSLATE_NOOP("Phrases", "%1 assigned the case to %2")),
    (rf"(?P<name>{_ID}) released the case \(held by (?P<by>{_ID})\)",
     QT_TRANSLATE_NOOP("Phrases", "%1 released the case (held by %2)")),
    # -- why the rules refuse (rejection reasons) --
    (rf"(?P<ranout>the .+? time) ran out at (?P<utc>[^\s;]+); (?P<text>.+)",
     QT_TRANSLATE_NOOP("Phrases", "%1 ran out at %2; %3")),
    (rf"(?P<ranout>the .+? time) ran out at (?P<utc>\S+): (?P<text>.+)", QT_TRANSLATE_NOOP("Phrases", "%1 ran out at %2: %3")),
    (r"this case has moved on", QT_TRANSLATE_NOOP("Phrases", "this case has moved on")),
    (rf"(?P<name>{_ID}) is a (?P<role>\w+); (?P<action>[\w-]+) needs the role (?P<roles>.+)",
     QT_TRANSLATE_NOOP("Phrases", "%1 is a %2; %3 needs the role %4")),
    (r"(?P<action>[\w-]+) is not allowed in stage (?P<stage>\w+) \(allowed in (?P<stages>.+)\)",
     QT_TRANSLATE_NOOP("Phrases", "%1 is not allowed in stage %2 (allowed in %3)")),
    (rf"nobody approves their own (?P<what>.+) \((?P<name>{_ID}) made it\)",
     QT_TRANSLATE_NOOP("Phrases", "nobody approves their own %1 (%2 made it)")),
    (rf"dispute (?P<id>{_ID}) is closed; a claim on a closed dispute is rejected",
     QT_TRANSLATE_NOOP("Phrases", "dispute %1 is closed; a claim on a closed dispute is rejected")),
    (rf"dispute (?P<id>{_ID}) is closed; it cannot be assigned",
     QT_TRANSLATE_NOOP("Phrases", "dispute %1 is closed; it cannot be assigned")),
    (rf"(?P<id>{_ID}) is claimed by (?P<name>{_ID}) until (?P<utc>\S+); only a supervisor may take it over",
     QT_TRANSLATE_NOOP("Phrases", "%1 is claimed by %2 until %3; only a supervisor may take it over")),
    (rf"(?P<text>{_ID} is assigned to .+); only a supervisor may take it over",
     QT_TRANSLATE_NOOP("Phrases", "%1; only a supervisor may take it over")),
    (rf"(?P<id>{_ID}) is not claimed by anyone", QT_TRANSLATE_NOOP("Phrases", "%1 is not claimed by anyone")),
    (rf"(?P<id>{_ID}) is claimed by (?P<name>{_ID}); only the holder or a supervisor releases it",
     QT_TRANSLATE_NOOP("Phrases", "%1 is claimed by %2; only the holder or a supervisor releases it")),
    (rf"(?P<text>{_ID} is (?:assigned to|claimed by) .+); only the holder or a supervisor releases it",
     QT_TRANSLATE_NOOP("Phrases", "%1; only the holder or a supervisor releases it")),
    (rf"(?P<id>{_ID}) is claimed by (?P<name>{_ID}) until (?P<utc>\S+)",
     QT_TRANSLATE_NOOP("Phrases", "%1 is claimed by %2 until %3")),
    (rf"(?P<id>{_ID}) is assigned to (?P<name>{_ID}) \(by (?P<by>{_ID})\)",
     QT_TRANSLATE_NOOP("Phrases", "%1 is assigned to %2 (by %3)")),
    (rf"already assigned to (?P<name>{_ID})", QT_TRANSLATE_NOOP("Phrases", "already assigned to %1")),
    (r"send-back needs a note saying why", QT_TRANSLATE_NOOP("Phrases", "send-back needs a note saying why")),
    (r"a note needs text", QT_TRANSLATE_NOOP("Phrases", "a note needs text")),
    (rf"(?P<name>{_ID}) is a (?P<role>\w+) and cannot hold cases",
     QT_TRANSLATE_NOOP("Phrases", "%1 is a %2 and cannot hold cases")),
    (rf"the (?P<party>{_P}) has no active proposal to adopt",
     QT_TRANSLATE_NOOP("Phrases", "the %1 has no active proposal to adopt")),
    (r"--adopt must be buyer, seller or platform \(got (?P<raw>.*)\)",
     QT_TRANSLATE_NOOP("Phrases", "--adopt must be buyer, seller or platform (got %1)")),
    (rf"version conflict on (?P<id>{_ID}): expected version (?P<n>\d+), the case is at version (?P<n2>\d+)",
     QT_TRANSLATE_NOOP("Phrases", "version conflict on %1: expected version %2, the case is at version %3")),
    (rf"unknown dispute (?P<id>{_ID}): nothing exported", QT_TRANSLATE_NOOP("Phrases", "unknown dispute %1: nothing exported")),
    (rf"unknown dispute (?P<id>{_ID})", QT_TRANSLATE_NOOP("Phrases", "unknown dispute %1")),
    (r"unknown user (?P<id>.+)", QT_TRANSLATE_NOOP("Phrases", "unknown user %1")),
    (r"unknown evidence (?P<id>\S+)", QT_TRANSLATE_NOOP("Phrases", "unknown evidence %1")),
    (r"unknown policy (?P<raw>.+) \(known: (?P<raw2>.+)\)", QT_TRANSLATE_NOOP("Phrases", "unknown policy %1 (known: %2)")),
    (r"unknown view (?P<raw>.+) \((?:known:|one of) (?P<raw2>.+)\)", QT_TRANSLATE_NOOP("Phrases", "unknown view %1 (one of %2)")),
    (rf"(?P<id>{_ID}) is being written by another process; try again",
     QT_TRANSLATE_NOOP("Phrases", "%1 is being written by another process; try again")),
    (r"a case is being written by another process; try again",
     QT_TRANSLATE_NOOP("Phrases", "a case is being written by another process; try again")),
    # -- idempotency keys (a retried decision) --
    (rf"idempotency key (?P<id>\S+) was used for (?P<action>[\w-]+) \(already used for (?P<id2>{_ID}): a key names one "
     r"action\)", QT_TRANSLATE_NOOP("Phrases", "idempotency key %1 was used for %2 (already used for %3: a key names one action)")),
    (r"idempotency key (?P<id>\S+) was used for (?P<action>[\w-]+) with other arguments",
     QT_TRANSLATE_NOOP("Phrases", "idempotency key %1 was used for %2 with other arguments")),
    (rf"idempotency key (?P<id>\S+) was already used for (?P<id2>{_ID})",
     QT_TRANSLATE_NOOP("Phrases", "idempotency key %1 was already used for %2")),
    (r"the idempotency key is (?P<n>\d+) characters long, above the limit of (?P<n2>\d+)",
     QT_TRANSLATE_NOOP("Phrases", "the idempotency key is %1 characters long, above the limit of %2")),
    # -- offline bundles, drafts and their sync --
    (rf"version (?P<n>\d+) → (?P<n2>\d+): (?P<kinds>.+)", QT_TRANSLATE_NOOP("Phrases", "version %1 → %2: %3")),
    (r"this bundle comes from database (?P<id>\S+); this is database (?P<id2>\S+): nothing synced",
     QT_TRANSLATE_NOOP("Phrases", "this bundle comes from database %1; this is database %2: nothing synced")),
    (r"(?P<action>[\w-]+) is not a draft action \(one of (?P<actions>.+)\)",
     QT_TRANSLATE_NOOP("Phrases", "%1 is not a draft action (one of %2)")),
    (rf"(?P<id>{_ID}) has no drafts", QT_TRANSLATE_NOOP("Phrases", "%1 has no drafts")),
    (rf"(?P<id>{_ID}) is no longer the last draft of (?P<id2>{_ID})",
     QT_TRANSLATE_NOOP("Phrases", "%1 is no longer the last draft of %2")),
    (rf"the last draft of (?P<id>{_ID}) was synced already \((?P<status>\w+)\)",
     QT_TRANSLATE_NOOP("Phrases", "the last draft of %1 was synced already (%2)")),
    (r"(?P<raw>[^:]+) is not an offline bundle \((?P<raw2>\w+)\)", QT_TRANSLATE_NOOP("Phrases", "%1 is not an offline bundle (%2)")),
    (r"(?P<raw>[^:]+) is not an offline bundle", QT_TRANSLATE_NOOP("Phrases", "%1 is not an offline bundle")),
    # an older or newer bundle (services.bundle_upgrade, decision 260)
    (r"(?P<raw>.+) was written by a newer Mediator \(revision (?P<raw2>[^)]+)\); update this workstation",
     QT_TRANSLATE_NOOP("Phrases", "%1 was written by a newer Mediator (revision %2); update this workstation")),
    (r"(?P<raw>.+) was written by an older Mediator \(revision (?P<raw2>[^)]+)\): upgraded to revision "
     r"(?P<raw3>\S+); the original is kept as (?P<raw4>.+)",
     QT_TRANSLATE_NOOP("Phrases", "%1 was written by an older Mediator (revision %2): upgraded to revision %3; "
                                  "the original is kept as %4")),
    (r"(?P<raw>.+) was written by an older Mediator \(revision (?P<raw2>[^)]+)\) and must be upgraded to revision "
     r"(?P<raw3>\S+) to open here, but it cannot be written: make the file and its folder writable \(or copy the "
     r"file to a writable folder\) and open it again; nothing was changed",
     QT_TRANSLATE_NOOP("Phrases", "%1 was written by an older Mediator (revision %2) and must be upgraded to "
                                  "revision %3 to open here, but it cannot be written: make the file and its folder "
                                  "writable (or copy the file to a writable folder) and open it again; nothing was "
                                  "changed")),
    (r"(?P<raw>.+) was written by an older Mediator \(revision (?P<raw2>[^)]+)\) and cannot be written: it is read "
     r"from a copy upgraded to revision (?P<raw3>\S+); to draft in it or sync it, make the file writable and open it "
     r"again",
     QT_TRANSLATE_NOOP("Phrases", "%1 was written by an older Mediator (revision %2) and cannot be written: it is "
                                  "read from a copy upgraded to revision %3; to draft in it or sync it, make the file "
                                  "writable and open it again")),
    (r"(?P<raw>.+) has no single schema revision: it is not a bundle this workstation can open \(damaged, or not "
     r"made by Mediator's export\)",
     QT_TRANSLATE_NOOP("Phrases", "%1 has no single schema revision: it is not a bundle this workstation can open "
                                  "(damaged, or not made by Mediator's export)")),
    (r"cannot copy (?P<raw>.+) to read it \((?P<raw2>.+)\); nothing was changed",
     QT_TRANSLATE_NOOP("Phrases", "cannot copy %1 to read it (%2); nothing was changed")),
    (r"cannot keep a copy of (?P<raw>.+) as (?P<raw2>.+) before upgrading it \((?P<raw3>.+)\); nothing was changed",
     QT_TRANSLATE_NOOP("Phrases", "cannot keep a copy of %1 as %2 before upgrading it (%3); nothing was changed")),
    (r"(?P<raw>.+) could not be upgraded from revision (?P<raw2>\S+) to (?P<raw3>\S+) \((?P<raw4>.+)\); "
     r"nothing was changed",
     QT_TRANSLATE_NOOP("Phrases", "%1 could not be upgraded from revision %2 to %3 (%4); nothing was changed")),
    (r"upgrading (?P<raw>.+) would change its drafts; nothing was changed",
     QT_TRANSLATE_NOOP("Phrases", "upgrading %1 would change its drafts; nothing was changed")),
    (r"(?P<raw>[^:]+) exists already \(give --force to replace it\)",
     QT_TRANSLATE_NOOP("Phrases", "%1 exists already (give --force to replace it)")),
    (r"(?P<raw>[^:]+) is a folder", QT_TRANSLATE_NOOP("Phrases", "%1 is a folder")),
    (r"this database has no database_id: run `mediator db upgrade`",
     QT_TRANSLATE_NOOP("Phrases", "this database has no database_id: run `mediator db upgrade`")),
    # -- users --
    (r"role must be one of (?P<roles>.+) \(got (?P<raw>.*)\)", QT_TRANSLATE_NOOP("Phrases", "role must be one of %1 (got %2)")),
    (r"a user needs a name", QT_TRANSLATE_NOOP("Phrases", "a user needs a name")),
    (r"a user name is at most (?P<n>\d+) characters \(this one has (?P<n2>\d+)\)",
     QT_TRANSLATE_NOOP("Phrases", "a user name is at most %1 characters (this one has %2)")),
    (r"user (?P<raw>.+) already exists", QT_TRANSLATE_NOOP("Phrases", "user %1 already exists")),
    (r"'(?P<raw>.+)' is the existing user '(?P<raw2>.+)': to change that user's role, name it as (?P<raw3>.+)",
     QT_TRANSLATE_NOOP("Phrases", "'%1' is the existing user '%2': to change that user's role, name it as %3")),
    (r"'(?P<raw>.+)' is the existing user '(?P<raw2>.+)': no two users may look alike",
     QT_TRANSLATE_NOOP("Phrases", "'%1' is the existing user '%2': no two users may look alike")),
    (r"--password-stdin is for PostgreSQL logins \(an SQLite workstation has no passwords\)",
     QT_TRANSLATE_NOOP("Phrases", "--password-stdin is for PostgreSQL logins (an SQLite workstation has no passwords)")),
    (r"login (?P<raw>.+) is an administrator \(a superuser or the schema's owner\): an administrator is not made a "
     r"user \(no user's login owns a table\)",
     QT_TRANSLATE_NOOP("Phrases", "login %1 is an administrator (a superuser or the schema's owner): an administrator "
                       "is not made a user (no user's login owns a table)")),
    # -- proposal terms and amounts (`proposals.check_terms`, `money.parse_amount`) --
    (r"remedy (?P<remedy>\w+) needs an amount \(--amount\)",
     QT_TRANSLATE_NOOP("Phrases", "remedy %1 needs an amount (--amount)")),
    (r"(?P<what>[\w ]+): remedy must be one of (?P<remedies>.+) \(got (?P<raw>.*)\)",
     QT_TRANSLATE_NOOP("Phrases", "%1: remedy must be one of %2 (got %3)")),
    (r"(?P<what>[\w ]+): remedy (?P<remedy>\w+) needs a refund amount",
     QT_TRANSLATE_NOOP("Phrases", "%1: remedy %2 needs a refund amount")),
    (r"(?P<what>[\w ]+): refund currency (?P<id>[A-Z]{3}) is not the order's currency (?P<id2>[A-Z]{3})",
     QT_TRANSLATE_NOOP("Phrases", "%1: refund currency %2 is not the order's currency %3")),
    (r"(?P<what>[\w ]+): a no_refund proposal carries no refund",
     QT_TRANSLATE_NOOP("Phrases", "%1: a no_refund proposal carries no refund")),
    (r"(?P<what>[\w ]+): return_shipping_paid_by is only for return_and_refund",
     QT_TRANSLATE_NOOP("Phrases", "%1: return_shipping_paid_by is only for return_and_refund")),
    (r"(?P<what>[\w ]+): return_shipping_paid_by must be buyer, seller or platform",
     QT_TRANSLATE_NOOP("Phrases", "%1: return_shipping_paid_by must be buyer, seller or platform")),
    (r"(?P<what>[\w ]+): proposal_id must be a non-empty string of at most (?P<n>\d+) characters",
     QT_TRANSLATE_NOOP("Phrases", "%1: proposal_id must be a non-empty string of at most %2 characters")),
    (r"(?P<what>[\w ]+): note must be text of at most (?P<n>\d+) characters",
     QT_TRANSLATE_NOOP("Phrases", "%1: note must be text of at most %2 characters")),
    (r"(?P<what>[\w ]+): refund (?P<id>.+) must be greater than zero",
     QT_TRANSLATE_NOOP("Phrases", "%1: refund %2 must be greater than zero")),
    (r"(?P<what>[\w ]+): refund (?P<id>.+) is above the order total (?P<id2>.+)",
     QT_TRANSLATE_NOOP("Phrases", "%1: refund %2 is above the order total %3")),
    (r"(?P<what>[\w ]+) must be an object with amount and currency",
     QT_TRANSLATE_NOOP("Phrases", "%1 must be an object with amount and currency")),
    (r"(?P<what>[\w ]+) must be an object", QT_TRANSLATE_NOOP("Phrases", "%1 must be an object")),
    (r"(?P<what>[\w ]+): unknown currency (?P<raw>.+) \(allowed: (?P<raw2>.+)\)",
     QT_TRANSLATE_NOOP("Phrases", "%1: unknown currency %2 (allowed: %3)")),
    (r"(?P<what>[\w ]+): amount must be a decimal string, not a number \((?P<raw>.*)\)",
     QT_TRANSLATE_NOOP("Phrases", "%1: amount must be a decimal string, not a number (%2)")),
    (r"(?P<what>[\w ]+): amount must be a decimal string", QT_TRANSLATE_NOOP("Phrases", "%1: amount must be a decimal string")),
    (r"(?P<what>[\w ]+): amount (?P<raw>.+) is not a plain decimal string like \"66\.65\"",
     QT_TRANSLATE_NOOP("Phrases", "%1: amount %2 is not a plain decimal string like \"66.65\"")),
    (r"(?P<what>[\w ]+): amount (?P<raw>.+) is not a decimal number",
     QT_TRANSLATE_NOOP("Phrases", "%1: amount %2 is not a decimal number")),
    (r"(?P<what>[\w ]+): (?P<raw>.+) is beyond any order this marketplace takes",
     QT_TRANSLATE_NOOP("Phrases", "%1: %2 is beyond any order this marketplace takes")),
    (r"(?P<what>[\w ]+): (?P<raw>.+) has more than the (?P<n>\d+) minor digits of (?P<id>[A-Z]{3})",
     QT_TRANSLATE_NOOP("Phrases", "%1: %2 has more than the %3 minor digits of %4")),
    # -- a party's or a clerk's own words, after the speaker (last: every other entry is more specific) --
    (rf"(?P<party>{_P}): (?P<raw>.*)", QT_TRANSLATE_NOOP("Phrases", "%1: %2")),
    (rf"(?P<id>{_ID}): (?P<raw>.*)", QT_TRANSLATE_NOOP("Phrases", "%1: %2")),
]
_COMPILED = [(re.compile(pattern, re.S), template) for pattern, template in PHRASES]

_WORDS: dict[str, dict[str, str]] = {
    "action": {"claim": QT_TRANSLATE_NOOP("Phrases", "claim"), "release": QT_TRANSLATE_NOOP("Phrases", "release"),
               "propose": QT_TRANSLATE_NOOP("Phrases", "propose"), "rule": QT_TRANSLATE_NOOP("Phrases", "rule"),
               "note": QT_TRANSLATE_NOOP("Phrases", "note"), "approve": QT_TRANSLATE_NOOP("Phrases", "approve"),
               "send-back": QT_TRANSLATE_NOOP("Phrases", "send back"), "assign": QT_TRANSLATE_NOOP("Phrases", "assign"),
               "approvals": QT_TRANSLATE_NOOP("Phrases", "the approval inbox"),
               "stats": QT_TRANSLATE_NOOP("Phrases", "the desk's figures"),
               "audit": QT_TRANSLATE_NOOP("Phrases", "the audit trail")},
    "what": {"ruling": QT_TRANSLATE_NOOP("Phrases", "ruling"),
             "platform proposal": QT_TRANSLATE_NOOP("Phrases", "platform proposal"),
             "decision": QT_TRANSLATE_NOOP("Phrases", "decision"), "refund": QT_TRANSLATE_NOOP("Phrases", "refund"),
             "amount": QT_TRANSLATE_NOOP("Phrases", "amount")},
    "status": {"pending": QT_TRANSLATE_NOOP("Phrases", "pending"), "applied": QT_TRANSLATE_NOOP("Phrases", "applied"),
               "conflict": QT_TRANSLATE_NOOP("Phrases", "conflict"), "rejected": QT_TRANSLATE_NOOP("Phrases", "rejected")},
    "ranout": {"the seller's response time": QT_TRANSLATE_NOOP("Phrases", "the seller's response time"),
               "the buyer's response time": QT_TRANSLATE_NOOP("Phrases", "the buyer's response time"),
               "the parties' response time": QT_TRANSLATE_NOOP("Phrases", "the parties' response time"),
               "the return shipment time": QT_TRANSLATE_NOOP("Phrases", "the return shipment time"),
               "the seller's receipt confirmation time":
                   QT_TRANSLATE_NOOP("Phrases", "the seller's receipt confirmation time"),
               "the platform's intervention time": QT_TRANSLATE_NOOP("Phrases", "the platform's intervention time"),
               "the platform's ruling time": QT_TRANSLATE_NOOP("Phrases", "the platform's ruling time")},
}
_TERMS = re.compile(r"(?P<remedy>return and refund|refund) (?P<money>\S+ [A-Z]{3})")


def _t(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def _terms(text: str) -> str:
    """`refund 20.00 USD` / `return and refund 66.65 USD` / `no refund`, in the window's words."""
    if text == "no refund":
        return label(REMEDIES, "no_refund")
    match = _TERMS.fullmatch(text)
    if match is None:
        return text
    remedy = "return_and_refund" if match["remedy"] == "return and refund" else "refund"
    return f"{label(REMEDIES, remedy)} {match['money']}"


def _kinds(text: str) -> str:
    """`message.posted, clock.expired` (what changed since a draft's version) in the timeline's words."""
    if text == "no change recorded":
        return _t(QT_TRANSLATE_NOOP("Phrases", "no change recorded"))
    return "、".join(timeline_kind(kind.strip()) for kind in text.split(","))


def _utc(text: str) -> str:
    try:
        return when(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return text


def _word(name: str, value: str) -> str:
    """How a group's value reads: by the group's name without its trailing digits."""
    kind = name.rstrip("0123456789")
    readers: dict[str, Callable[[str], str]] = {
        "remedy": lambda v: label(REMEDIES, v), "party": lambda v: label(PARTIES, v), "role": lambda v: label(ROLES, v), "terms": _terms, "kind": lambda v: label(KINDS, v),
        "reason": reason_text, "stage": lambda v: label(STAGES, v), "utc": _utc, "text": phrase,
        "stages": lambda v: "、".join(label(STAGES, s.strip()) for s in v.split(",")),
        "roles": lambda v: " / ".join(_word("role", r.strip()) for r in re.split(r" or |, ", v)),
        "actions": lambda v: "、".join(_word("action", a.strip()) for a in v.split(",")),
        "remedies": lambda v: "、".join(label(REMEDIES, r.strip()) for r in v.split(",")),
        "kinds": _kinds,
    }
    if kind in readers:
        return readers[kind](value)
    if kind in _WORDS:
        known = _WORDS[kind].get(value)
        return _t(known) if known else value
    return value  # ids, names, amounts, and party text (raw) as they are


def word(group: str, value: str) -> str:
    """One value of a group of words (`action`, `status`, `remedy`, `party`, …) in the window's language."""
    return _word(group, value)


def phrase(text: str) -> str:
    """`text` (a service's English) in the window's language; unknown text as it is. In English the service's
    own words are shown unchanged (stage codes and UTC times as the CLI prints them)."""
    if not chinese():
        return text
    for pattern, template in _COMPILED:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        out = _t(template)
        values = [_word(name, value or "") for name, value in match.groupdict().items()]
        # one pass: a value that itself holds "%2" (party text) stays as it is
        return re.sub(r"%(\d)", lambda m: values[int(m[1]) - 1] if int(m[1]) <= len(values) else m[0], out)
    return text
