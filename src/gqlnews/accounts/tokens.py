"""Bearer tokens: their format, issuing, revoking, and authenticating a request with one.

A token reads ``gqn<kind>_<prefix>_<secret>``: ``kind`` is ``s`` (session) or ``a`` (API),
``prefix`` 12 hex digits, public, shown in listings and used to revoke; ``secret`` 256 random
bits in URL-safe base64. The database keeps the prefix and the SHA-256 of the whole token: a
token is high-entropy, so a fast hash is right (a slow password hash would only cost CPU on
every request), and a leaked table gives no usable token.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from gqlnews.models import AccessToken, TokenKind, User

TOUCH_EVERY = timedelta(minutes=1)
"""``last_used_at`` is written at most this often per token."""

_LETTER = {TokenKind.SESSION: "s", TokenKind.API: "a"}
_TOKEN = re.compile(r"gqn[sa]_([0-9a-f]{12})_[A-Za-z0-9_-]{43}")
_PREFIX = re.compile(r"(?:gqn[sa]_)?([0-9a-f]{12})")
_BEARER = re.compile(r"[Bb][Ee][Aa][Rr][Ee][Rr](?: +([^\s]+))?")

FOREIGN_SCHEMES = frozenset({"basic", "digest", "negotiate", "ntlm"})
"""``Authorization`` schemes that proxies and browsers send on their own behalf: ignored."""


class AuthenticationFailed(Exception):
    """A request carried a bearer token that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token: ``text`` is shown to its owner once and never stored."""

    text: str
    row: AccessToken


@dataclass(frozen=True, slots=True)
class Credential:
    """Who a valid token belongs to."""

    user: User
    token: AccessToken


def hash_token(text: str) -> str:
    """The stored form of a token: SHA-256, hex."""
    return hashlib.sha256(text.encode()).hexdigest()


def parse_prefix(text: str) -> str | None:
    """The 12-digit prefix in ``text`` (a prefix, with or without ``gqns_``/``gqna_``)."""
    found = _PREFIX.fullmatch(text.strip())
    return found.group(1) if found else None


async def issue(
    user: User, kind: TokenKind, *, expires_at: datetime | None, name: str = ""
) -> IssuedToken:
    """Make and store a token for ``user``; its text is in the result only."""
    prefix = secrets.token_hex(6)
    text = f"gqn{_LETTER[kind]}_{prefix}_{secrets.token_urlsafe(32)}"
    row = await AccessToken.create(
        user=user,
        kind=kind,
        name=name,
        prefix=prefix,
        token_hash=hash_token(text),
        expires_at=expires_at,
    )
    return IssuedToken(text, row)


async def revoke(token_id: int, now: datetime) -> bool:
    """Revoke a token; False when it was already revoked (or does not exist)."""
    changed = await AccessToken.filter(id=token_id, revoked_at__isnull=True).update(revoked_at=now)
    return bool(changed)


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header; None without a header, or
    with one of another HTTP scheme (``Basic`` from a proxy in front of a staging site…: not
    ours, the request is anonymous).

    Raises :class:`AuthenticationFailed` for any other header (``Bearer<TAB>…``, two words
    after ``Bearer``, a bare token, an unknown scheme): a client that meant to sign its
    request must not be answered silently as an anonymous reader. ``Bearer`` alone gives an
    empty token, which :func:`authenticate` refuses.
    """
    if header is None:
        return None
    value = header.strip(" \t")
    if not value:
        return None
    bearer = _BEARER.fullmatch(value)
    if bearer is not None:
        return bearer.group(1) or ""
    scheme, space, _ = value.partition(" ")
    if scheme.lower() in FOREIGN_SCHEMES and (space or scheme == value):
        return None
    raise AuthenticationFailed(
        "malformed Authorization header: send `Authorization: Bearer <token>` (the word Bearer, "
        "one space, the token)"
    )


async def authenticate(text: str, now: datetime) -> Credential:
    """The account behind token ``text`` at ``now``: one indexed query (plus, at most once a
    minute per token, one update of ``last_used_at``).

    Raises :class:`AuthenticationFailed` for a malformed, unknown, revoked or expired token or a
    disabled account. A malformed token costs no query.
    """
    if not _TOKEN.fullmatch(text):
        raise AuthenticationFailed(
            "malformed bearer token: send `Authorization: Bearer gqn…` with a token from signIn "
            "or `gqlnews tokens create`"
        )
    row = await AccessToken.filter(token_hash=hash_token(text)).select_related("user").first()
    if row is None:
        raise AuthenticationFailed("unknown bearer token")
    if row.revoked_at is not None:
        raise AuthenticationFailed("this token was revoked: sign in again")
    if row.expires_at is not None and row.expires_at <= now:
        raise AuthenticationFailed("this token has expired: sign in again")
    if not row.user.is_active:
        raise AuthenticationFailed("this account is disabled")
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        await AccessToken.filter(id=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return Credential(row.user, row)
