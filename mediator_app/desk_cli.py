"""The desk's commands of `mediator` (contract §5): assign/reassign, approvals, stats, audit, and `--csv`."""
from __future__ import annotations

import argparse
import io
import sys
from typing import TYPE_CHECKING, Any

from mediator_app import cli_audit
from mediator_app.domain.desk import DAYS_DEFAULT, DAYS_MAX
from mediator_app.cli_users import add_as
from mediator_app.domain.errors import Rejection
from mediator_app.domain.time import parse_time
from mediator_app.lazy import lazy
from mediator_app.services.context import Context

if TYPE_CHECKING:  # each imported when its command runs (decision 190)
    from mediator_app.services import assignments, desk, spreadsheet
else:
    assignments, desk, spreadsheet = (lazy(f"mediator_app.services.{name}")
                                      for name in ("assignments", "desk", "spreadsheet"))

DESK_COMMANDS = ("reassign", "approvals", "stats", "audit")


def add_desk_commands(commands: Any) -> None:
    reassign = commands.add_parser("reassign", help="assign many open cases to one user at once (supervisor)")
    reassign.add_argument("--to", required=True, metavar="USER")
    add_as(reassign)
    which = reassign.add_mutually_exclusive_group(required=True)
    which.add_argument("--ids", nargs="+", metavar="ID")
    which.add_argument("--from", dest="from_user", metavar="USER")
    which.add_argument("--view", metavar="VIEW", help="all, unassigned, due_24h, sla_breached, needs_ruling, "
                                                      "pending_approval")

    approvals = commands.add_parser("approvals", help="what waits for a supervisor's approval, by due time")
    add_as(approvals)
    approvals.add_argument("--csv", action="store_true", help="a spreadsheet (CSV) on stdout")

    stats = commands.add_parser("stats", help="the dashboard's figures at now")
    add_as(stats)
    stats.add_argument("--days", type=int, default=DAYS_DEFAULT, help=f"days of history, 1..{DAYS_MAX}")
    stats.add_argument("--csv", action="store_true", help="a spreadsheet (CSV) on stdout")

    audit = commands.add_parser("audit", help="history rows, oldest first; `audit verify`: check the trail")
    add_as(audit)
    audit.add_argument("--dispute", metavar="ID")
    audit.add_argument("--user", dest="actor", metavar="NAME")
    audit.add_argument("--kind", metavar="KIND")
    audit.add_argument("--since", metavar="TIME", help="inclusive, ISO 8601 with offset")
    audit.add_argument("--until", metavar="TIME", help="exclusive, ISO 8601 with offset")
    audit.add_argument("--limit", type=int, metavar="N")
    audit.add_argument("--csv", action="store_true", help="a spreadsheet (CSV) on stdout")
    cli_audit.add_verify(audit)


def csv_out() -> io.TextIOWrapper:
    """stdout as UTF-8 bytes with CRLF left alone (RFC 4180), whatever the terminal's encoding."""
    sys.stdout.flush()
    return io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)


def _detached(stream: io.TextIOWrapper) -> None:
    stream.flush()
    stream.detach()


def run_desk_command(args: argparse.Namespace, ctx: Context, out: Any) -> int:
    from mediator_app.cli import EXIT_OK, EXIT_REJECTED, UsageError

    command = args.command
    if command == "reassign":
        if args.ids is not None:
            ids = list(args.ids)
        else:
            assignments.target(ctx, args.user, args.to)  # the whole command is judged first
            ids = assignments.cases_of(ctx, args.from_user, args.view)
        result = assignments.reassign(ctx, args.user, args.to, ids)
        out.result(result.to_json(), lambda: "\n".join(
            [f"assigned {len(result.assigned)} to {args.to}"]
            + [f"  {r['dispute_id']}: {r['reason']}" for r in result.rejected]))
        for r in result.rejected if not out.as_json else []:
            print(f"mediator: {r['dispute_id']}: {r['reason']}", file=sys.stderr)
        return EXIT_REJECTED if result.rejected else EXIT_OK
    if command == "approvals":
        rows = desk.approvals(ctx, args.user)
        if args.csv:
            return write_csv(lambda s: spreadsheet.write_approvals(s, rows), EXIT_OK)
        out.result(rows, lambda: "\n".join(
            f"{r['dispute_id']:<12} {r['what']:<18} by {r['by']:<10} due {r['due']}"
            f"{' OVERDUE' if r['overdue'] else ''}{'' if r['can_approve'] else ' (you may not approve)'}"
            for r in rows) or "nothing waits for approval")
        return EXIT_OK
    if command == "stats":
        if not 1 <= args.days <= DAYS_MAX:
            raise UsageError(f"--days must be between 1 and {DAYS_MAX} (got {args.days})")
        figures = desk.stats(ctx, args.user, args.days)
        if args.csv:
            return write_csv(lambda s: spreadsheet.write_stats(s, figures), EXIT_OK)
        out.result(figures, lambda: _human_stats(figures))
        return EXIT_OK
    if command == "audit" and cli_audit.wants_verify(args):
        return cli_audit.run_verify(args, ctx, out)
    if command == "audit":
        if args.user is None:
            raise UsageError("the following arguments are required: --as")
        if args.limit is not None and args.limit < 1:
            raise UsageError(f"--limit must be at least 1 (got {args.limit})")
        try:
            since = parse_time(args.since, "--since") if args.since else None
            until = parse_time(args.until, "--until") if args.until else None
        except Rejection as exc:
            raise UsageError(exc.reason) from None
        flt = desk.AuditFilter(args.dispute, args.actor, args.kind, since, until)
        if args.csv:
            desk.check_reader(ctx, args.user, "audit")
            return write_csv(lambda s: spreadsheet.write_audit(s, desk.audit_stream(ctx, args.user, flt,
                                                                                limit=args.limit)), EXIT_OK)
        rows = desk.audit(ctx, args.user, flt, args.limit)
        out.result(rows, lambda: "\n".join(f"{r['at']} {r['dispute_id']} v{r['version']} {r['kind']} "
                                           f"{r['actor'] or '-'}: {r['summary']}" for r in rows) or "no rows")
        return EXIT_OK
    raise UsageError(f"unknown command {command}")


def write_csv(write: Any, code: int) -> int:
    """`write(stream)` onto stdout as UTF-8 (RFC 4180 line ends kept); returns `code`."""
    stream = csv_out()
    try:
        write(stream)
    finally:
        _detached(stream)
    return code


def _human_stats(s: dict[str, Any]) -> str:
    lines = [f"at {s['at']}: {s['open']} open, {s['sla_breached_open']} with the SLA breached",
             "by stage: " + ", ".join(f"{k} {v}" for k, v in s["by_stage"].items()),
             "due in:   " + ", ".join(f"{k} {v}" for k, v in s["due_in"].items())]
    lines += [f"  {w['user']:<12} {w['role']:<10} holding {w['holding']} ({w['holding_overdue']} overdue), "
              f"decided today {w['decided_today']}" for w in s["workload"]]
    lines += [f"  {d['day']} opened {d['opened']}, resolved {d['resolved']} ({d['resolved_sla_breached']} "
              "after the SLA)" for d in s["days"]]
    return "\n".join(lines)
