"""The `mediator outbox` commands (§8.2): read, follow, ack, consumers. Who may: `services.outbox.authorize`."""
from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any

from mediator_app.lazy import lazy
from mediator_app.services.context import Context

if TYPE_CHECKING:
    from mediator_app.services import outbox
else:
    outbox = lazy("mediator_app.services.outbox")  # imported when an outbox command runs (decision 190)


class OutboxUsage(Exception):
    """A usage error (exit 2) of the outbox commands."""


def add_outbox_commands(commands: Any) -> None:
    box = commands.add_parser("outbox", help="the outbound feed: events for the marketplace (§8)") \
        .add_subparsers(dest="outbox_command", required=True)
    for name, help_text in (("read", "print committed events after a position, in seq order"),
                            ("follow", "write events as JSON Lines as they commit, until stopped")):
        p = box.add_parser(name, help=help_text)
        p.add_argument("--after", type=int, metavar="SEQ", help="start after this seq (default 0)")
        p.add_argument("--consumer", metavar="NAME", help="start after this consumer's acked position")
        if name == "read":
            p.add_argument("--limit", type=int, default=outbox.DEFAULT_LIMIT, metavar="N",
                           help=f"at most N events (1..{outbox.MAX_LIMIT}, default {outbox.DEFAULT_LIMIT})")
    ack = box.add_parser("ack", help="store a consumer's position (never backwards)")
    ack.add_argument("name")
    ack.add_argument("seq", type=int)
    box.add_parser("consumers", help="every consumer's position and how many events follow it")


def run_outbox_command(args: argparse.Namespace, ctx: Context, out: Any) -> int:
    """`outbox read|follow|ack|consumers` (§8.2). Events are printed as stored (JSON), in every mode."""
    sub = args.outbox_command
    if sub == "ack":
        if args.seq < 0:
            raise OutboxUsage("SEQ must be 0 or more")
        consumer = outbox.ack(ctx, args.name, args.seq)
        out.result(consumer, lambda: f"{consumer['name']} at {consumer['after']} ({consumer['behind']} behind)")
        return 0
    if sub == "consumers":
        rows = outbox.consumers(ctx)
        out.result(rows, lambda: "\n".join(f"{c['name']}\tafter {c['after']}\tbehind {c['behind']}\t{c['acked_at']}"
                                           for c in rows) or "no consumers")
        return 0
    if args.after is not None and args.consumer is not None:
        raise OutboxUsage("--after and --consumer do not go together")
    if args.after is not None and args.after < 0:
        raise OutboxUsage("--after must be 0 or more")
    if sub == "read" and not 1 <= args.limit <= outbox.MAX_LIMIT:
        raise OutboxUsage(f"--limit must be 1..{outbox.MAX_LIMIT}")
    after = outbox.start_after(ctx, args.consumer) if args.consumer is not None else args.after or 0
    if sub == "read":
        sys.stdout.write(outbox.read(ctx, after, args.limit).to_json_text() + "\n")
        return 0
    return _follow(ctx, after, getattr(args, "stop", None) or stop_on_signals())


def stop_on_signals() -> threading.Event:
    """An event set by SIGTERM or SIGINT: a long-running command finishes what it is doing and exits 0."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def _follow(ctx: Context, after: int, stop: threading.Event) -> int:
    """JSON Lines on stdout as events commit; SIGTERM or SIGINT (which set `stop`) end it cleanly (exit 0)."""

    def emit(lines: list[str]) -> None:
        try:
            sys.stdout.write("\n".join(lines) + "\n")
            sys.stdout.flush()
        except BrokenPipeError:  # the reader went away: stop as if told to
            stop.set()

    outbox.follow(ctx, after, emit, stop)
    return 0


