"""`mediator audit verify [--dispute ID] --as USER` (contract §7.3): the hash chain, the versions, and each
dispute's stored state against the replay of its history. Registered under `audit` by `desk_cli`."""
from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from mediator_app.lazy import lazy
from mediator_app.services.context import Context

if TYPE_CHECKING:
    from mediator_app.services import audit_verify
else:
    audit_verify = lazy("mediator_app.services.audit_verify")  # imported when `audit verify` runs (decision 190)


def add_verify(audit: argparse.ArgumentParser) -> None:
    """`verify` under the `audit` command (whose own listing stays `mediator audit --as USER ...`)."""
    sub = audit.add_subparsers(dest="audit_command", metavar="verify")
    verify = sub.add_parser("verify", help="check the history's hashes and replay every dispute through the rules")
    verify.add_argument("--as", dest="user", metavar="USER", default=argparse.SUPPRESS,
                        help="who checks (a supervisor or auditor; an administrator may leave it out)")
    verify.add_argument("--dispute", metavar="ID")


def wants_verify(args: argparse.Namespace) -> bool:
    return getattr(args, "audit_command", None) == "verify"


def run_verify(args: argparse.Namespace, ctx: Context, out: Any) -> int:
    from mediator_app.cli import EXIT_OK, EXIT_REJECTED

    def progress(done: int, total: int) -> None:
        if not out.as_json and sys.stderr.isatty():
            print(f"\rverified {done:,} of {total:,} disputes", end="", file=sys.stderr, flush=True)

    report = audit_verify.verify_audit(ctx, args.user, args.dispute, progress=progress)
    if not out.as_json and sys.stderr.isatty():
        print(file=sys.stderr)
    out.result(report.to_json(), lambda: "\n".join(
        [f"{report.disputes} disputes, {report.rows} history rows: "
         + (f"{len(report.problems)} problems" if report.problems else "no problem")]
        + [f"  {p.dispute_id} v{p.version}: {p.problem}" for p in report.problems]))
    return EXIT_REJECTED if report.problems else EXIT_OK
