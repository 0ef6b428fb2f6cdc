"""Accounts: creating and changing them, and signing in with an email and a password."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from gqlnews.accounts import passwords, tokens
from gqlnews.models import AccessToken, Author, TokenKind, User, UserRole

INVALID_CREDENTIALS = "invalid email or password"
"""The one answer to a failed sign-in, whatever was wrong (no user enumeration)."""

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class AccountError(ValueError):
    """A request about accounts cannot be done; the message says why (for the CLI and the API).

    ``field`` names the input at fault, when there is one.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A successful sign-in: the account and its new session token."""

    user: User
    token: tokens.IssuedToken


def normalise_email(email: str) -> str:
    """Emails are compared trimmed and lower-cased."""
    return email.strip().lower()


def checked_email(email: str) -> str:
    """``email`` normalised; :class:`AccountError` unless it looks like an address."""
    email = normalise_email(email)
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise AccountError(f"{email!r} is not an email address", field="email")
    return email


async def create_user(
    email: str,
    name: str,
    role: UserRole,
    password: str | None,
    author_slug: str | None = None,
) -> User:
    """A new account; ``password`` None makes one that signs in with API tokens only."""
    email = checked_email(email)
    if not name.strip():
        raise AccountError("name must not be empty", field="name")
    if await User.filter(email=email).exists():
        raise AccountError(f"an account with email {email} already exists", field="email")
    author = None
    if author_slug is not None:
        author = await Author.get_or_none(slug=author_slug)
        if author is None:
            raise AccountError(f"no author with slug {author_slug!r}", field="author")
    try:
        password_hash = await passwords.hash_password(password) if password is not None else ""
    except passwords.WeakPassword as exc:
        raise AccountError(str(exc), field="password") from None
    return await User.create(
        email=email, name=name.strip(), role=role, password_hash=password_hash, author=author
    )


async def get_user(email: str) -> User:
    """The account with ``email``; :class:`AccountError` when there is none."""
    user = await User.get_or_none(email=normalise_email(email))
    if user is None:
        raise AccountError(f"no account with email {normalise_email(email)}", field="email")
    return user


async def set_password(user: User, password: str, now: datetime) -> int:
    """Replace the password of ``user`` and revoke their session tokens (API tokens stay);
    how many were revoked."""
    try:
        user.password_hash = await passwords.hash_password(password)
    except passwords.WeakPassword as exc:
        raise AccountError(str(exc), field="password") from None
    await user.save(update_fields=["password_hash", "updated_at"])
    return await AccessToken.filter(
        user_id=user.pk, kind=TokenKind.SESSION, revoked_at__isnull=True
    ).update(revoked_at=now)


async def set_role(user: User, role: UserRole) -> None:
    """Give ``user`` another role (effective from their next request)."""
    user.role = role
    await user.save(update_fields=["role", "updated_at"])


async def set_active(user: User, active: bool, now: datetime) -> int:
    """Enable or disable an account; disabling revokes its tokens. How many were revoked."""
    user.is_active = active
    await user.save(update_fields=["is_active", "updated_at"])
    if active:
        return 0
    return await AccessToken.filter(user_id=user.pk, revoked_at__isnull=True).update(revoked_at=now)


async def sign_in(email: str, password: str, *, ttl: timedelta, now: datetime) -> SignedIn | None:
    """A session token valid for ``ttl`` when the password is right and the account active;
    None otherwise, after the same work in every case.

    A password hashed with other parameters than today's is re-hashed and stored.
    """
    user = await User.get_or_none(email=normalise_email(email))
    if user is None or not user.password_hash:
        await passwords.waste_time(password)
        return None
    verdict = await passwords.verify(user.password_hash, password)
    if not verdict.ok or not user.is_active:
        return None
    updated = ["last_login_at"]
    if verdict.new_hash is not None:
        user.password_hash = verdict.new_hash
        updated.append("password_hash")
    user.last_login_at = now
    await user.save(update_fields=updated)
    issued = await tokens.issue(user, TokenKind.SESSION, expires_at=now + ttl, name="sign-in")
    return SignedIn(user, issued)
