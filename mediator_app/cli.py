"""The `mediator` command (contract §4)."""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, Sequence

from mediator_app import early_signals

early_signals.hold()  # a signal that comes while the imports below run waits for the command (§8.2)

from sqlalchemy.engine import Engine  # noqa: E402
from sqlalchemy.exc import DataError, DBAPIError, OperationalError, SQLAlchemyError

from mediator_app import cli_offline
from mediator_app.cli_outbox import OutboxUsage, add_outbox_commands, run_outbox_command, stop_on_signals
from mediator_app.cli_users import add_as, add_user_commands, resolve, run_user_command
from mediator_app.db import migrate
from mediator_app.db.clock import DatabaseClock
from mediator_app.db.engine import make_engine, resolve_url
from mediator_app.db.store import StaleWrite
from mediator_app.domain.errors import Rejection, VersionConflict
from mediator_app.domain.text import for_terminal
from mediator_app.domain.time import Clock, FixedClock, parse_time
from mediator_app.lazy import lazy
from mediator_app.services.acting import MissingActor
from mediator_app.services.context import Context, DatabaseUnavailable
from mediator_app.desk_cli import DESK_COMMANDS, add_desk_commands, run_desk_command, write_csv

if TYPE_CHECKING:  # each imported when its command runs (decision 190)
    from mediator_app.services import casework, demo, feed, reading, spreadsheet, sweeper
else:
    casework, demo, feed, reading, spreadsheet, sweeper = (
        lazy(f"mediator_app.services.{name}") for name in ("casework", "demo", "feed", "reading", "spreadsheet",
                                                           "sweeper"))

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_CONFLICT, EXIT_DATABASE = 0, 1, 2, 3, 4
INSUFFICIENT_PRIVILEGE = "42501"  # PostgreSQL's SQLSTATE for a privilege or trigger of §7.2 refusing


class DatabaseProblem(Exception):
    """Unreachable database or schema not upgraded (exit 4)."""


class SchemaNotUpgraded(DatabaseProblem):
    """The schema is behind (or this login cannot see it)."""


#: The largest version a dispute can reach (the column is a 32-bit integer)
VERSION_MAX = 2 ** 31 - 1


def bounded(kind: type, low: float, high: float, low_open: bool = False) -> Callable[[str], Any]:
    """An argparse type: a number in [low, high] (or (low, high] with `low_open`); else a usage error, exit 2,
    that gives the range."""
    def number(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else str(x)

    shown = f"{'more than' if low_open else 'from'} {number(low)} {'up ' if low_open else ''}to {number(high)}"

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {'an integer' if kind is int else 'a number'}"
                                             f" ({shown})") from None
        if not (value > low if low_open else value >= low) or not value <= high or value != value:
            raise argparse.ArgumentTypeError(f"{text} is out of range: {shown}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mediator", description="Mediator: dispute workstation command line")
    parser.add_argument("--db", help="database URL (else $MEDIATOR_DB, else an SQLite file in the user data folder)")
    parser.add_argument("--now", help="simulated clock, ISO 8601 with offset (else $MEDIATOR_NOW, else the database clock)")
    parser.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    db = commands.add_parser("db", help="schema").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="create or migrate the schema to the newest revision")
    db.add_parser("info", help="this database's permanent id, schema revision and backend")

    ingest = commands.add_parser("ingest", help="apply feed events from a JSON Lines file ('-' for stdin)")
    ingest.add_argument("file")
    sweep = commands.add_parser("sweep", help="execute every expired party clock exactly once")
    sweep.add_argument("--batch", type=bounded(int, 1, 10_000),  # default: sweeper.BATCH, read when it runs
                       help="disputes per transaction (1 to 10000)")
    sweep.add_argument("--every", type=bounded(float, 0, 86_400, low_open=True), metavar="SECONDS",
                       help="keep sweeping every SECONDS until stopped (SIGTERM or Ctrl+C stop it cleanly)")
    show = commands.add_parser("show", help="one dispute")
    show.add_argument("dispute_id")
    add_as(show)
    queue = commands.add_parser("queue", help="open disputes, most urgent first")
    queue.add_argument("--limit", type=bounded(int, 0, 1_000_000), help="at most this many (0 to 1000000)")
    queue.add_argument("--csv", action="store_true", help="a spreadsheet (CSV) on stdout")
    add_as(queue)

    add_user_commands(commands)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        p = commands.add_parser(name, help=help_text)
        p.add_argument("dispute_id")
        add_as(p)
        p.add_argument("--expect-version", type=bounded(int, 1, VERSION_MAX), metavar="N")
        p.add_argument("--idempotency-key", metavar="KEY",
                       help="a retry with the same key is not applied twice (prints the case as it is)")
        return p

    propose = action("propose", "post or replace the platform proposal")
    propose.add_argument("--remedy", required=True, choices=["refund", "return_and_refund", "no_refund"])
    propose.add_argument("--amount")
    propose.add_argument("--return-shipping-paid-by", choices=["buyer", "seller", "platform"])
    propose.add_argument("--note")
    rule = action("rule", "final ruling")
    rule.add_argument("--adopt", required=True, choices=["buyer", "seller", "platform"])
    rule.add_argument("--note")
    action("approve", "approve a ruling or platform proposal (supervisor)")
    send_back = action("send-back", "send a ruling or platform proposal back (supervisor)")
    send_back.add_argument("--note", required=True)
    action("claim", "take a case")
    assign = action("assign", "a standing assignment of a case to a clerk or supervisor (supervisor)")
    assign.add_argument("--to", required=True, metavar="USER")
    action("release", "give a case back")
    note = action("note", "internal note")
    note.add_argument("--text", required=True)
    add_desk_commands(commands)

    cli_offline.add_arguments(parser, commands)
    add_outbox_commands(commands)

    demo_cmd = commands.add_parser("demo", help="fill the database with a realistic demo marketplace")
    demo_cmd.add_argument("--disputes", type=bounded(int, 1, 1_000_000), default=3000)
    demo_cmd.add_argument("--seed", type=bounded(int, 0, 2 ** 63 - 1), default=2024)
    return parser


def make_clock(now_text: str | None, engine: Engine) -> Clock:
    text = now_text or os.environ.get("MEDIATOR_NOW")
    if text:
        try:
            return FixedClock(parse_time(text, "--now"))
        except Rejection as exc:
            raise UsageError(exc.reason) from None
    return DatabaseClock(engine)


class UsageError(Exception):
    pass


def check_database(engine: Engine) -> None:
    try:
        up_to_date = migrate.is_up_to_date(engine)
    except OperationalError as exc:
        raise DatabaseProblem(f"database unreachable: {exc.orig}") from None
    if not up_to_date:
        raise SchemaNotUpgraded("database schema is not upgraded: run `mediator db upgrade`")


def check_text_arguments(args: argparse.Namespace) -> None:
    """Arguments become stored text: bytes that are not UTF-8 (which Python keeps as lone surrogates) cannot.
    A file path may hold any bytes the file system allows, so `file` is left alone."""
    for name, value in vars(args).items():
        if name != "file" and isinstance(value, str) and any("\ud800" <= c <= "\udfff" for c in value):
            shown = {"dispute_id": "ID", "name": "NAME", "user": "--as"}.get(name, f"--{name.replace('_', '-')}")
            raise UsageError(f"argument {shown}: not valid UTF-8 text")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # a usage error (exit 2, argparse printed why), or --help (0)
        early_signals.settle(None)  # a signal held meanwhile ends the program as it would have
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    # a command that runs until stopped watches for SIGTERM and SIGINT from here on (one that came already stops it)
    args.stop = stop_on_signals() if runs_until_stopped(args) else None
    early_signals.settle(args.stop)
    out = Output(args.json)
    engines: list[Engine] = []  # closed on the way out: a command run in-process (tests) keeps no connection
    try:
        check_text_arguments(args)
        if args.bundle:  # the bundle is the database (§6)
            ctx = cli_offline.bundle_context(args, lambda e: make_clock(args.now, e))
            engines.append(ctx.engine)
            resolve(args, ctx)
            done = cli_offline.run_in_bundle(args, ctx, out, _human_case, _human_row)
            return run(args, ctx, out) if done is None else done
        if cli_offline.needs_no_database(args):
            return cli_offline.run(args, None, out, lambda e: make_clock(args.now, e)) or EXIT_OK
        url = resolve_url(args.db)
        engine = make_engine(url)
        engines.append(engine)
        ctx = Context(engine, make_clock(args.now, engine))
        if not ((args.command == "db" and args.db_command == "upgrade") or args.command == "demo"):
            try:
                check_database(engine)
            except SchemaNotUpgraded:
                resolve(args, ctx)  # a login that may not see the schema hears that first (exit 1)
                raise
            resolve(args, ctx)
        return run(args, ctx, out)
    except (UsageError, cli_offline.OfflineUsage, OutboxUsage, MissingActor) as exc:
        parser.print_usage(sys.stderr)
        print(f"mediator: error: {exc.reason if isinstance(exc, MissingActor) else exc}", file=sys.stderr)
        return EXIT_USAGE
    except Rejection as exc:
        return out.error(exc.reason, EXIT_REJECTED)
    except VersionConflict as exc:
        return out.error(str(exc), EXIT_CONFLICT, {"expected": exc.expected, "actual": exc.actual})
    except (DatabaseProblem, DatabaseUnavailable) as exc:
        return out.error(str(exc), EXIT_DATABASE)
    except StaleWrite as exc:
        return out.error(f"the database kept changing under this command; try again ({exc})", EXIT_DATABASE)
    except OperationalError as exc:
        return out.error(f"database unreachable: {first_line(exc.orig)}", EXIT_DATABASE)
    except DataError as exc:  # a value the checks let through and a column refuses: a rejection, not a fault
        return out.error(f"a value does not fit the database: {first_line(exc.orig)}", EXIT_REJECTED)
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:  # the database refused this login (§7.2)
            return out.error(f"refused by the database: {first_line(exc.orig)}", EXIT_REJECTED)
        return out.error(f"database error: {first_line(exc.orig)}", EXIT_DATABASE)
    except SQLAlchemyError as exc:
        return out.error(f"database error: {first_line(getattr(exc, 'orig', None) or exc)}", EXIT_DATABASE)
    finally:
        for engine in engines:
            engine.dispose()  # its connections close now, not when the garbage collector finds them


def runs_until_stopped(args: argparse.Namespace) -> bool:
    """`outbox follow` and `sweep --every`: they stop on SIGTERM or SIGINT, with exit 0."""
    return (args.command == "outbox" and args.outbox_command == "follow") or \
        (args.command == "sweep" and args.every is not None)


def first_line(error: object) -> str:
    """A driver's message without the SQL and parameters SQLAlchemy appends."""
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


class Output:
    """stdout for results (JSON with --json), stderr for reasons."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def result(self, data: Any, human: Callable[[], str]) -> None:
        if self.as_json:
            print(json.dumps(data, ensure_ascii=False, indent=2))
        else:  # party text is data: the lines laid out here stay, control characters inside them are escaped
            print(for_terminal(human(), keep_newlines=True))

    def error(self, message: str, code: int, extra: dict[str, Any] | None = None) -> int:
        if self.as_json:
            print(json.dumps({"error": message, **(extra or {})}, ensure_ascii=False))
        print(f"mediator: {for_terminal(message)}", file=sys.stderr)
        return code


def run(args: argparse.Namespace, ctx: Context, out: Output) -> int:
    command = args.command
    offline = cli_offline.run(args, ctx, out, lambda e: make_clock(args.now, e))
    if offline is not None:
        return offline
    if command == "db":
        migrate.upgrade(ctx.engine)
        out.result({"revision": migrate.head_revision()}, lambda: f"schema at revision {migrate.head_revision()}")
        return EXIT_OK
    if command == "ingest":
        if args.file == "-":  # streamed: the lines at hand are committed whenever the pipe pauses
            report = feed.ingest_stream(ctx, sys.stdin.buffer, "stdin")
        else:
            with _open_file(args.file) as handle:  # read chunk by chunk, never whole
                report = feed.ingest_stream(ctx, handle, args.file)
        out.result(report.to_json(), lambda: _human_ingest(report.to_json()))
        return EXIT_REJECTED if report.rejected else EXIT_OK
    if command == "sweep" and args.every is not None:
        return _sweep_service(args, ctx, out)
    if command == "sweep":
        executed = sweeper.sweep(ctx, batch=args.batch or sweeper.BATCH)
        out.result({"executed": executed}, lambda: _human_executed(executed))
        return EXIT_OK
    if command == "show":
        case = reading.show(ctx, args.dispute_id)
        out.result(case, lambda: _human_case(case))
        return EXIT_OK
    if command == "queue":
        if args.csv:  # the sheet's columns only, the open-queue index walked in batches (no state decoded)
            return write_csv(lambda stream: spreadsheet.write_queue_rows(
                stream, spreadsheet.queue_view_sheet(ctx, limit=args.limit)), EXIT_OK)
        cases = reading.queue(ctx, args.limit)
        out.result(cases, lambda: "\n".join(_human_row(c) for c in cases) or "no open disputes")
        return EXIT_OK
    if command == "user":
        return run_user_command(args, ctx, out)
    if command == "demo":
        return _demo(args, ctx, out)
    if command == "outbox":
        return run_outbox_command(args, ctx, out)
    if command in DESK_COMMANDS:
        return run_desk_command(args, ctx, out)
    result = _action(args, ctx)
    out.result(result.case, lambda: f"{result.case['dispute_id']}: {command} done; stage {result.case['stage']}, "
                                    f"version {result.case['version']}")
    return EXIT_OK


def _action(args: argparse.Namespace, ctx: Context) -> casework.ActionResult:
    d, u, v, k = args.dispute_id, args.user, args.expect_version, args.idempotency_key
    if args.command == "propose":
        return casework.propose(ctx, d, u, args.remedy, args.amount, args.return_shipping_paid_by, args.note, v, k)
    if args.command == "rule":
        return casework.rule(ctx, d, u, args.adopt, args.note, v, k)
    if args.command == "approve":
        return casework.approve(ctx, d, u, v, k)
    if args.command == "send-back":
        return casework.send_back(ctx, d, u, args.note, v, k)
    if args.command == "claim":
        return casework.claim(ctx, d, u, v, k)
    if args.command == "release":
        return casework.release(ctx, d, u, v, k)
    if args.command == "assign":
        return casework.assign(ctx, d, u, args.to, v, k)
    if args.command == "note":
        return casework.note(ctx, d, u, args.text, v, k)
    raise UsageError(f"unknown command {args.command}")


def _demo(args: argparse.Namespace, ctx: Context, out: Output) -> int:
    from tqdm import tqdm

    migrate.upgrade(ctx.engine)
    bar = tqdm(total=0, unit="event", desc="demo", disable=args.json or None, file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    report = demo.fill_demo(ctx, args.disputes, args.seed, progress, desk=True)
    bar.close()
    out.result(report.to_json(), lambda: _human_ingest(report.to_json()))
    return EXIT_REJECTED if report.rejected else EXIT_OK


def _sweep_service(args: argparse.Namespace, ctx: Context, out: Output) -> int:
    """The sweeper as a service: one line per run (a JSON object with --json), clean stop on SIGTERM."""
    stop = getattr(args, "stop", None) or stop_on_signals()

    def report(executed: list[dict[str, Any]]) -> None:
        if out.as_json:
            print(json.dumps({"executed": executed}, ensure_ascii=False), flush=True)
        elif executed:
            print(_human_executed(executed), flush=True)

    runs = sweeper.sweep_every(ctx, args.every, stop, report, batch=args.batch or sweeper.BATCH)
    print(f"mediator: sweeper stopped after {runs} runs", file=sys.stderr)
    return EXIT_OK


def _open_file(path: str) -> BinaryIO:
    try:
        return open(path, "rb")
    except OSError as exc:
        raise Rejection(f"cannot read {path}: {exc.strerror}") from None


def _human_ingest(report: dict[str, Any]) -> str:
    lines = [f"applied {report['applied']}, duplicates {report['duplicates']}, rejected {len(report['rejected'])}"]
    lines += [f"  line {r['line']} ({r['event_id'] or 'no event_id'}): {r['reason']}" for r in report["rejected"]]
    lines = [for_terminal(line) for line in lines]  # each line stays one line, whatever it holds
    if report["executed"]:
        lines.append(_human_executed(report["executed"]))
    return "\n".join(lines)


def _human_executed(executed: list[dict[str, Any]]) -> str:
    if not executed:
        return "nothing to execute"
    return "\n".join(for_terminal(f"executed {e['dispute_id']}: {e['clock']} -> "
                                  f"{e.get('reached_type') or e.get('return_status')}") for e in executed)


def _human_row(case: dict[str, Any]) -> str:
    first = case["deadlines"][0] if case["deadlines"] else None
    due = f"{first['due']} {first['clock']} ({first['on_expiry']})" if first else "no running clock"
    return for_terminal(f"{case['dispute_id']:<12} {case['stage']:<26} {due}")


def _human_case(case: dict[str, Any]) -> str:
    total = case["order_total"]
    lines = [f"{case['dispute_id']} · {case['kind']} · {case['reason']} · {case['policy']} · version {case['version']}",
             f"order {case['order_id']} {total['amount']} {total['currency']} · {case['status']} / {case['stage']}"]
    for party, proposal in case["proposals"].items():
        lines.append(f"  {party:<8} {json.dumps(proposal, ensure_ascii=False) if proposal else '(none)'}")
    for d in case["deadlines"]:
        lines.append(f"  clock {d['clock']} ({d['party']}) due {d['due']}: {d['on_expiry']}")
    if case["outcome"]:
        lines.append(f"  outcome {json.dumps(case['outcome'], ensure_ascii=False)}")
    for t in case.get("timeline", []):
        lines.append(f"  {t['at']} {t['kind']}: {t['summary']}")
    return "\n".join(for_terminal(line) for line in lines)  # each line stays one line, whatever it holds


if __name__ == "__main__":
    sys.exit(main())
