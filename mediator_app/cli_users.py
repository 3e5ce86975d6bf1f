"""The `mediator` command's users and identity (§7.1): `user add|list`, the `--as` option, and who acts.

Who acts is decided by `services.acting` (the one place): here each command is sent there once, before it runs.
"""
from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from mediator_app.domain.errors import Rejection
from mediator_app.domain.permissions import ROLES
from mediator_app.domain.text import for_terminal
from mediator_app.lazy import lazy
from mediator_app.services import acting
from mediator_app.services.context import Context

if TYPE_CHECKING:
    from mediator_app.services import users
else:
    users = lazy("mediator_app.services.users")  # imported when a user command runs (decision 190)

#: Reading commands whose `--as` an SQLite workstation may leave out (whoever opens the file reads); an
#: administrator on PostgreSQL must name it, as on every command that takes it but `audit verify` (§7.1;
#: decision 270)
AS_OPTIONAL_ON_SQLITE = ("show", "queue")
#: Commands that take no `--as` and need more than a reader (§7.1)
SERVICE_COMMANDS = ("ingest", "sweep")
#: Commands that judge their caller themselves (`user add`: administrators; `outbox`: its readers and ackers;
#: `db upgrade`: the database refuses a login that may not create tables)
SELF_JUDGED = ("db", "user", "outbox", "demo", "bundle")


def add_as(parser: argparse.ArgumentParser) -> None:
    """`--as USER`: who acts. On PostgreSQL the connection's login is the user (then `--as` may be left out, and
    naming anyone else is refused); an administrator names the user. On SQLite it names who acts."""
    parser.add_argument("--as", dest="user", metavar="USER",
                        help="who acts (PostgreSQL: the connection's login; an administrator names the user)")


def add_user_commands(commands: Any) -> None:
    user = commands.add_parser("user", help="workstation users").add_subparsers(dest="user_command", required=True)
    add = user.add_parser("add", help="add a user, or give a user another role (PostgreSQL: its login too)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=list(ROLES))
    add.add_argument("--password-stdin", action="store_true",
                     help="PostgreSQL: set the login's password, read from the first line of stdin")
    user.add_parser("list", help="list users")


def resolve(args: argparse.Namespace, ctx: Context) -> None:
    """Decide who acts, or refuse, before the command runs: `args.user` becomes the acting user."""
    command = args.command
    if command in SERVICE_COMMANDS:
        acting.require_service(ctx, command)
    elif command == "demo":
        acting.require_admin(ctx, "demo")
    elif hasattr(args, "user") and command not in ("user",):
        verify = command == "audit" and getattr(args, "audit_command", None) == "verify"
        args.user = acting.acting_user(ctx, args.user, required=not verify,
                                       workstation_required=not verify and command not in AS_OPTIONAL_ON_SQLITE)
    elif command not in SELF_JUDGED or (command == "db" and args.db_command == "info"):
        acting.require_reader(ctx)


def run_user_command(args: argparse.Namespace, ctx: Context, out: Any) -> int:
    if args.user_command == "add":
        password = read_password(sys.stdin) if args.password_stdin else None
        added = users.add_user(ctx, args.name, args.role, password)
        verb = ("added" if added.previous_role is None else
                "unchanged" if added.previous_role == added.role else f"changed from {added.previous_role}:")
        out.result(added.to_json(), lambda: f"{verb} {added.name} ({added.role})"
                   + (" — login created" if added.login_created else ""))
        return 0
    acting.require_reader(ctx)
    rows = users.list_users(ctx)
    out.result([{"name": n, "role": r} for n, r in rows],
               lambda: "\n".join(for_terminal(f"{n}\t{r}") for n, r in rows))
    return 0


def read_password(stream: Any) -> str:
    """The first line of `stream`, without its line end; an empty one is refused (a login without a password
    is set up without --password-stdin)."""
    line = stream.readline()
    password = line.rstrip("\r\n") if isinstance(line, str) else ""
    if not password:
        raise Rejection("--password-stdin read no password (give it on the first line of stdin)")
    return password
