"""``gqlnews users …`` and ``gqlnews tokens …``: accounts and API tokens from the command line.

Passwords are never command-line arguments (they would show in ``ps``): they are prompted for,
with confirmation, in a terminal, or read from the first line of standard input with
``--password-stdin``. Bad input ends a command with a message and exit code 2.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, TypeVar

import typer

from gqlnews.accounts import passwords, tokens, users
from gqlnews.cli_tables import table, when
from gqlnews.command_database import run_on_database
from gqlnews.models import AccessToken, TokenKind, User, UserRole

users_app = typer.Typer(
    help="Newsroom accounts: create, list, change roles.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
tokens_app = typer.Typer(
    help="API tokens for integrations.", no_args_is_help=True, rich_markup_mode=None
)

T = TypeVar("T")

PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input."
    ),
]


class _Refused(Exception):
    """The command cannot do what was asked; the message says why (exit code 2)."""


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def _run(ctx: typer.Context, work: Callable[[], Awaitable[T]]) -> T:
    """Run ``work`` on the configured database, up to date with the migrations."""
    return run_on_database(ctx.obj, work, refused=(_Refused, users.AccountError))


def _read_password(from_stdin: bool) -> str:
    """A new password: from standard input, or prompted for twice in a terminal; checked
    before the database is opened."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise _fail("--password-stdin read an empty line")
    elif not sys.stdin.isatty():
        raise _fail(
            "no terminal to ask for the password: pipe it in with --password-stdin "
            "(or give --no-password for an account that uses API tokens only)"
        )
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        passwords.check_strength(password)
    except passwords.WeakPassword as exc:
        raise _fail(str(exc)) from None
    return password


@users_app.command("create")
def users_create(
    ctx: typer.Context,
    email: Annotated[str, typer.Option(help="Sign-in email (stored lower-cased).")],
    name: Annotated[str, typer.Option(help="Name shown in the newsroom.")],
    role: Annotated[UserRole, typer.Option(help="What the account may do.")],
    author: Annotated[
        str | None, typer.Option(help="Slug of the author byline this account writes as.")
    ] = None,
    password_stdin: PasswordStdin = False,
    no_password: Annotated[
        bool, typer.Option("--no-password", help="No password: the account uses API tokens.")
    ] = False,
) -> None:
    """Create an account (asks for its password unless --no-password)."""
    if no_password and password_stdin:
        raise _fail("give --password-stdin or --no-password, not both")
    try:
        users.checked_email(email)
    except users.AccountError as exc:
        raise _fail(str(exc)) from None
    password = None if no_password else _read_password(password_stdin)
    user = _run(ctx, lambda: users.create_user(email, name, role, password, author))
    typer.echo(f"created {user.role} account {user.email} (id {user.pk})")


@users_app.command("list")
def users_list(ctx: typer.Context) -> None:
    """List every account."""

    async def fetch() -> list[User]:
        return list(await User.all().order_by("email"))

    rows = [["EMAIL", "NAME", "ROLE", "ACTIVE", "LAST LOGIN"]]
    for user in _run(ctx, fetch):
        active = "yes" if user.is_active else "no"
        rows.append([user.email, user.name, user.role.value, active, when(user.last_login_at)])
    if len(rows) == 1:
        typer.echo("no accounts: create one with `gqlnews users create`")
        return
    table(rows)


@users_app.command("set-role")
def users_set_role(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The account's email.")],
    role: Annotated[UserRole, typer.Argument(help="Its new role.")],
) -> None:
    """Give an account another role."""

    async def change() -> User:
        user = await users.get_user(email)
        await users.set_role(user, role)
        return user

    user = _run(ctx, change)
    typer.echo(f"{user.email} is now {role.value}")


@users_app.command("set-password")
def users_set_password(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The account's email.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Replace an account's password; its sessions are revoked (API tokens stay)."""
    password = _read_password(password_stdin)

    async def change() -> tuple[User, int]:
        user = await users.get_user(email)
        return user, await users.set_password(user, password, datetime.now(UTC))

    user, revoked = _run(ctx, change)
    typer.echo(f"password of {user.email} changed; {revoked} session(s) revoked")


def _set_active(ctx: typer.Context, email: str, active: bool) -> tuple[User, int]:
    async def change() -> tuple[User, int]:
        user = await users.get_user(email)
        return user, await users.set_active(user, active, datetime.now(UTC))

    return _run(ctx, change)


@users_app.command("disable")
def users_disable(
    ctx: typer.Context, email: Annotated[str, typer.Argument(help="The account's email.")]
) -> None:
    """Disable an account: it cannot sign in, and its tokens are revoked."""
    user, revoked = _set_active(ctx, email, False)
    typer.echo(f"{user.email} disabled; {revoked} token(s) revoked")


@users_app.command("enable")
def users_enable(
    ctx: typer.Context, email: Annotated[str, typer.Argument(help="The account's email.")]
) -> None:
    """Enable a disabled account again (its old tokens stay revoked)."""
    user, _ = _set_active(ctx, email, True)
    typer.echo(f"{user.email} enabled")


@tokens_app.command("create")
def tokens_create(
    ctx: typer.Context,
    user: Annotated[str, typer.Option("--user", help="Email of the account the token acts as.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "",
    expires_days: Annotated[
        int | None, typer.Option(min=1, help="Days until it expires (default: never).")
    ] = None,
) -> None:
    """Create an API token and print it, once: only its hash is kept."""
    now = datetime.now(UTC)
    expires_at = now + timedelta(days=expires_days) if expires_days else None

    async def create() -> tokens.IssuedToken:
        account = await users.get_user(user)
        if not account.is_active:
            raise users.AccountError(f"{account.email} is disabled", field="user")
        return await tokens.issue(account, TokenKind.API, expires_at=expires_at, name=name)

    issued = _run(ctx, create)
    typer.echo(issued.text)
    until = f"until {when(expires_at)} UTC" if expires_at else "with no expiry"
    typer.echo(
        f"API token {issued.row.prefix} for {user.strip().lower()}, {until}. "
        "Copy it now: it cannot be shown again.",
        err=True,
    )


def _state(token: AccessToken, now: datetime) -> str:
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"


@tokens_app.command("list")
def tokens_list(
    ctx: typer.Context,
    user: Annotated[str | None, typer.Option("--user", help="Only this account's.")] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also revoked and expired tokens.")
    ] = False,
) -> None:
    """List tokens (prefixes only: the tokens themselves are not stored)."""
    now = datetime.now(UTC)

    async def fetch() -> list[AccessToken]:
        query = AccessToken.all().select_related("user").order_by("created_at", "id")
        if user is not None:
            query = query.filter(user_id=(await users.get_user(user)).pk)
        return [t for t in await query if show_all or _state(t, now) == "active"]

    rows = [["PREFIX", "KIND", "USER", "NAME", "CREATED", "EXPIRES", "LAST USED", "STATE"]]
    for token in _run(ctx, fetch):
        rows.append(
            [
                token.prefix,
                token.kind.value,
                token.user.email,
                token.name or "-",
                when(token.created_at),
                when(token.expires_at),
                when(token.last_used_at),
                _state(token, now),
            ]
        )
    if len(rows) == 1:
        typer.echo("no tokens")
        return
    table(rows)


@tokens_app.command("revoke")
def tokens_revoke(
    ctx: typer.Context,
    prefix: Annotated[str, typer.Argument(help="The token's prefix, as `tokens list` shows it.")],
) -> None:
    """Revoke a token at once (sessions and API tokens alike)."""
    wanted = tokens.parse_prefix(prefix)
    if wanted is None:
        raise _fail(f"{prefix!r} is not a token prefix (12 hex digits, as `tokens list` shows)")

    async def revoke() -> bool:
        token = await AccessToken.get_or_none(prefix=wanted)
        if token is None:
            raise _Refused(f"no token with prefix {wanted}")
        return await tokens.revoke(token.pk, datetime.now(UTC))

    if _run(ctx, revoke):
        typer.echo(f"token {wanted} revoked")
    else:
        typer.echo(f"token {wanted} was already revoked")


def register(app: typer.Typer) -> None:
    """Add ``users`` and ``tokens`` to the ``gqlnews`` command."""
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
