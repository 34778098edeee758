"""`footcoach users`: accounts for multi-user mode, made and looked after from the terminal."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from footcoach.cli.base import (
    DbOpt,
    JsonFlag,
    app,
    emit_json,
    fail,
    guarded,
    no_database_yet,
    services,
)
from footcoach.domain.errors import InvalidInputError, Problem

users_app = typer.Typer(
    help="Accounts for multi-user mode: create them, list them, set passwords.",
    no_args_is_help=True,
)
app.add_typer(users_app, name="users")

PasswordStdinFlag = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from the first line of standard input instead of asking.",
    ),
]


def _password(from_stdin: bool) -> str:
    """The new password: the first line of stdin, or asked for twice with hidden input."""
    if from_stdin:
        line = sys.stdin.readline()
        password = line.removesuffix("\n").removesuffix("\r")
        if not password:
            raise InvalidInputError(
                [Problem("password", "(empty)", "a password on the first line of stdin")]
            )
        return password
    try:
        entered: str = typer.prompt(
            "Password", hide_input=True, confirmation_prompt="Repeat the password"
        )
    except typer.Abort:
        raise fail("no password given; nothing was changed") from None
    return entered


@users_app.command("create")
@guarded
def create(
    email: Annotated[str, typer.Argument(help="The account's e-mail address (its login).")],
    admin: Annotated[
        bool, typer.Option("--admin", help="An admin, who runs the installation.")
    ] = False,
    clinician: Annotated[
        bool, typer.Option("--clinician", help="A clinician, who invites and follows people.")
    ] = False,
    password_stdin: PasswordStdinFlag = False,
    db: DbOpt = None,
) -> None:
    """Create an account: a person unless --admin or --clinician is given."""
    from footcoach.domain.accounts import Role, check_password, normalise_email

    if admin and clinician:
        raise InvalidInputError(
            [Problem("role", "--admin --clinician", "one of --admin or --clinician, not both")]
        )
    role = Role.ADMIN if admin else Role.CLINICIAN if clinician else Role.PERSON
    address = normalise_email(email)  # before asking for a password, not after
    password = _password(password_stdin)
    check_password(password, address)
    user = services(db).accounts.register(address, password, role)
    typer.echo(f"Created {user.role} {user.email} (id {user.id}).")


@users_app.command("list")
@guarded
def list_users(as_json: JsonFlag = False, db: DbOpt = None) -> None:
    """List every account, oldest first."""
    found = [] if no_database_yet(db) else services(db).accounts.users()
    if as_json:
        emit_json(
            [
                {
                    "id": u.id,
                    "email": u.email,
                    "role": u.role.value,
                    "profile": u.profile,
                    "created_at": u.created_at.isoformat(),
                }
                for u in found
            ]
        )
        return
    if not found:
        typer.echo("No accounts yet; create one with: footcoach users create EMAIL --admin")
        return
    width = max(len(u.email) for u in found)
    for u in found:
        typer.echo(
            f"{u.id:>5}  {u.email:<{width}}  {u.role.value:<9}  {u.profile or '-':<8}  "
            f"{u.created_at:%Y-%m-%d}"
        )


@users_app.command("set-password")
@guarded
def set_password(
    email: Annotated[str, typer.Argument(help="The account's e-mail address.")],
    password_stdin: PasswordStdinFlag = False,
    db: DbOpt = None,
) -> None:
    """Set an account's password (no old one needed); its web sessions end, its API tokens are
    revoked."""
    accounts = services(db).accounts
    if accounts.user_by_email(email) is None:
        raise fail(f"email: got {email!r}; an address with an account (see footcoach users list)")
    password = _password(password_stdin)
    user = accounts.set_password(email, password)
    typer.echo(
        f"Password set for {user.email}; their web sessions have ended and their API tokens "
        "are revoked."
    )
