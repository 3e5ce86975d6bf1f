"""The command line of offline review (§6): `db info`, `bundle export|drafts|sync`, `conflicts`, `case-file`, and
the global `--bundle FILE` (reading commands read the bundle; decision commands store drafts in it)."""
from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, Callable

from mediator_app.cli_users import add_as
from mediator_app.domain.errors import Rejection
from mediator_app.domain.time import Clock
from mediator_app.db.queries import BUNDLE_VIEWS
from mediator_app.lazy import lazy
from mediator_app.services.context import Context

if TYPE_CHECKING:  # each imported when its command runs (decision 190)
    from mediator_app.services import bundle_export, bundle_sync, bundles, drafts, identity, reading
else:
    bundle_export, bundle_sync, bundles, drafts, identity, reading = (
        lazy(f"mediator_app.services.{name}") for name in ("bundle_export", "bundle_sync", "bundles", "drafts",
                                                           "identity", "reading"))

#: Commands that read a bundle as they read a database (the desk's `approvals`, `stats`, `audit` included)
READING = ("show", "queue", "approvals", "stats", "audit", "case-file")
NOT_IN_BUNDLE_MESSAGE = "not in an offline bundle"


class OfflineUsage(Exception):
    """A usage error (exit 2) of the offline commands."""


def add_arguments(parser: argparse.ArgumentParser, commands: Any) -> None:
    parser.add_argument("--bundle", metavar="FILE",
                        help="read an offline bundle instead of the database; decisions become drafts in it")
    export = commands.add_parser("bundle", help="offline bundles").add_subparsers(dest="bundle_command",
                                                                                   required=True)
    ex = export.add_parser("export", help="write chosen cases, whole, into a bundle file")
    ex.add_argument("--out", required=True, metavar="FILE")
    add_as(ex)
    which = ex.add_mutually_exclusive_group(required=True)
    which.add_argument("--ids", nargs="+", metavar="ID")
    which.add_argument("--view", choices=list(BUNDLE_VIEWS))
    which.add_argument("--assigned-to", metavar="USER")
    ex.add_argument("--force", action="store_true", help="replace FILE if it exists")
    listing = export.add_parser("drafts", help="the drafts in a bundle and their outcome")
    listing.add_argument("file")
    sync = export.add_parser("sync", help="apply a bundle's pending drafts to the database")
    sync.add_argument("file")
    add_as(sync)
    conflicts = commands.add_parser("conflicts", help="drafts from bundles that could not apply")
    add_as(conflicts)
    case_file = commands.add_parser("case-file", help="the case as a PDF for the record")
    case_file.add_argument("dispute_id")
    case_file.add_argument("--out", required=True, metavar="FILE.pdf")
    case_file.add_argument("--lang", choices=("zh_CN", "en"),
                           help="the case file's language (else $MEDIATOR_LANG, else the system locale's)")


def needs_no_database(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "bundle", None)) or (args.command == "bundle" and args.bundle_command == "drafts")


def bundle_context(args: argparse.Namespace, clock_for: Callable[[Any], Clock]) -> Context:
    """The bundle as an ordinary database: read-only, or writable for the decision commands (drafts)."""
    if args.command not in READING and args.command not in drafts.ACTIONS:
        raise OfflineUsage(f"{args.command}: {NOT_IN_BUNDLE_MESSAGE}")
    if args.command in drafts.ACTIONS and (args.expect_version is not None or args.idempotency_key is not None):
        raise OfflineUsage("--expect-version and --idempotency-key do not apply to a draft (sync sets them)")
    return _opened(args.bundle, bundles.open_bundle(args.bundle, clock_for(None) if _fixed(args) else None,
                                                    writable=args.command in drafts.ACTIONS))


def run_in_bundle(args: argparse.Namespace, ctx: Context, out: Any, human_case: Callable[[dict[str, Any]], str],
                  human_row: Callable[[dict[str, Any]], str]) -> int | None:
    """Run a command over a bundle; None hands it back to the ordinary command (approvals, stats, audit)."""
    if args.command == "show":
        case = drafts.show_drafted(ctx, args.dispute_id)
        out.result(case, lambda: human_case(case))
        return 0
    if args.command == "queue" and not args.csv:  # the spreadsheet: the ordinary command, over the bundle
        cases = reading.queue(ctx, args.limit)
        out.result(cases, lambda: "\n".join(human_row(c) for c in cases) or "no open disputes")
        return 0
    if args.command == "case-file":
        return _case_file(args, ctx, out, source=f"bundle {args.bundle}")
    if args.command in drafts.ACTIONS:
        made = drafts.draft(ctx, args.dispute_id, args.user, args.command, _terms(args))
        out.result(made, lambda: f"{made['dispute_id']}: {made['action']} drafted as {made['draft_id']} "
                                 f"(based on version {made['based_on_version']})")
        return 0
    return None


def _terms(args: argparse.Namespace) -> dict[str, Any]:
    if args.command == "propose":
        return {"remedy": args.remedy, "amount": args.amount,
                "return_shipping_paid_by": args.return_shipping_paid_by, "note": args.note}
    if args.command == "rule":
        return {"adopt": args.adopt, "note": args.note}
    if args.command == "send-back":
        return {"note": args.note}
    if args.command == "note":
        return {"text": args.text}
    return {}


def run(args: argparse.Namespace, ctx: Context | None, out: Any, clock_for: Callable[[Any], Clock]) -> int | None:
    """The offline commands on the live database (or none); None when `args` is not one of them."""
    if args.command == "db" and getattr(args, "db_command", None) == "info":
        assert ctx is not None
        info = identity.database_info(ctx)
        out.result(info, lambda: f"database {info['database_id']} ({info['backend']}), revision {info['revision']}")
        return 0
    if args.command == "conflicts":
        assert ctx is not None
        rows = bundle_sync.list_conflicts(ctx, args.user)
        out.result(rows, lambda: "\n".join(f"{r['synced_at']} {r['dispute_id']} {r['action']} by {r['by']}: "
                                           f"{r['reason']}" for r in rows) or "no conflicts")
        return 0
    if args.command == "case-file":
        assert ctx is not None
        return _case_file(args, ctx, out, source=f"database {identity.database_info(ctx)['database_id']}")
    if args.command != "bundle":
        return None
    if args.bundle_command == "drafts":
        bundle = _open(args.file, False, clock_for)
        try:
            rows = drafts.list_drafts(bundle)
        finally:
            bundle.engine.dispose()
        out.result(rows, lambda: "\n".join(f"{r['draft_id']} {r['dispute_id']} {r['action']} {r['status']}"
                                           + (f": {r['reason']}" if r.get("reason") else "") for r in rows)
                   or "no drafts")
        return 0
    assert ctx is not None
    if args.bundle_command == "export":
        with _bar(out, "export", "case") as progress:
            try:
                report = bundle_export.export(ctx, args.out, args.user, args.ids, args.view, args.assigned_to,
                                              args.force, progress)
            except OSError as exc:
                raise Rejection(f"cannot write {args.out}: {exc.strerror or exc}") from None
        out.result(report, lambda: f"exported {report['disputes']} disputes "
                                   f"({report['evidence_bytes']} bytes of evidence) to {report['bundle']}")
        return 0
    bundle = _open(args.file, True, clock_for)
    try:
        with _bar(out, "sync", "draft") as progress:
            result = bundle_sync.sync(ctx, bundle, args.user, progress).to_json()
    finally:
        bundle.engine.dispose()
    out.result(result, lambda: _human_sync(result))
    return 1 if result["conflicts"] or result["rejected"] else 0


def _open(path: str, writable: bool, clock_for: Callable[[Any], Clock]) -> Context:
    return _opened(path, bundles.open_bundle(path, None, writable))


def _opened(path: str, ctx: Context) -> Context:
    """The bundle as opened, having said on stderr (beside --json's stdout) if it was upgraded (decision 260)."""
    upgrade = bundles.take_upgrade(path)
    if upgrade is not None:
        print(f"mediator: {upgrade.message()}", file=sys.stderr)
    return ctx


def _fixed(args: argparse.Namespace) -> bool:
    import os

    return bool(args.now or os.environ.get("MEDIATOR_NOW"))


class _bar:
    """A tqdm progress bar on stderr (none with --json or when stderr is not a terminal)."""

    def __init__(self, out: Any, desc: str, unit: str) -> None:
        from tqdm import tqdm

        self.tqdm = tqdm(total=0, unit=unit, desc=desc, disable=out.as_json or None, file=sys.stderr)

    def __enter__(self) -> Callable[[int, int], None]:
        def progress(done: int, total: int) -> None:
            self.tqdm.total = total
            self.tqdm.n = done
            self.tqdm.refresh()
        return progress

    def __exit__(self, *_: Any) -> None:
        self.tqdm.close()


def _case_file(args: argparse.Namespace, ctx: Context, out: Any, source: str) -> int:
    from mediator_app.report.case_file import write_case_file

    try:
        report = write_case_file(ctx, args.dispute_id, args.out, source, getattr(args, "lang", None))
    except OSError as exc:
        raise Rejection(f"cannot write {args.out}: {exc.strerror or exc}") from None
    out.result(report, lambda: f"wrote {report['file']} ({report['pages']} pages)")
    return 0


def _human_sync(result: dict[str, Any]) -> str:
    lines = [f"applied {len(result['applied'])}, conflicts {len(result['conflicts'])}, "
             f"rejected {len(result['rejected'])}, skipped {len(result['skipped'])}"]
    lines += [f"  conflict {c['dispute_id']} {c['action']} ({c['draft_id']}): {c['reason']}" for c in result["conflicts"]]
    lines += [f"  rejected {r['dispute_id']} {r['action']} ({r['draft_id']}): {r['reason']}" for r in result["rejected"]]
    return "\n".join(lines)
