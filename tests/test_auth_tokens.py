"""Passwords and tokens at rest, and what authenticating a token checks and costs."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from tortoise.context import TortoiseContext

from gqlnews.accounts import passwords, tokens, users
from gqlnews.models import AccessToken, TokenKind, User, UserRole
from gqlnews.testing import count_queries
from tests.account_factories import PASSWORD, make_user, token_for
from tests.factories import now

TOKEN = re.compile(r"gqn([sa])_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")


async def test_the_stored_account_holds_no_password(database: TortoiseContext) -> None:
    user = await make_user(UserRole.AUTHOR, password=PASSWORD, email=" Nadia@Example.ORG ")
    row = await User.get(id=user.pk)
    assert row.email == "nadia@example.org"
    assert row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in str(await User.filter(id=user.pk).values())
    assert PasswordHasher().verify(row.password_hash, PASSWORD)


async def test_the_stored_token_is_a_hash_and_a_prefix(database: TortoiseContext) -> None:
    user = await make_user()
    issued = await tokens.issue(user, TokenKind.API, expires_at=None, name="wire feed")
    found = TOKEN.fullmatch(issued.text)
    assert found, issued.text
    letter, prefix, secret = found.groups()
    assert letter == "a"
    row = await AccessToken.filter(id=issued.row.pk).values()
    stored = str(row)
    assert secret not in stored and issued.text not in stored
    assert row[0]["prefix"] == prefix
    assert row[0]["token_hash"] == hashlib.sha256(issued.text.encode()).hexdigest()
    session = await tokens.issue(user, TokenKind.SESSION, expires_at=now())
    assert session.text.startswith("gqns_")
    assert session.text != issued.text and session.row.prefix != prefix


async def test_a_valid_token_authenticates_its_account(database: TortoiseContext) -> None:
    user = await make_user(UserRole.CONTRIBUTOR)
    text = await token_for(user, expires_at=now() + timedelta(minutes=5))
    credential = await tokens.authenticate(text, now())
    assert credential.user.pk == user.pk
    assert credential.user.role == UserRole.CONTRIBUTOR


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "gqna_123",
        "gqnx_0123456789ab_" + "a" * 43,
        "gqna_0123456789AB_" + "a" * 43,
        "gqna_0123456789ab_" + "a" * 42,
        "gqna_0123456789ab_" + "a" * 42 + "!",
    ],
)
async def test_malformed_tokens_fail_without_a_query(database: TortoiseContext, text: str) -> None:
    with count_queries() as log, pytest.raises(tokens.AuthenticationFailed, match="malformed"):
        await tokens.authenticate(text, now())
    assert log.count == 0


async def test_unknown_revoked_expired_and_disabled_fail(database: TortoiseContext) -> None:
    user = await make_user()
    unknown = "gqna_0123456789ab_" + "b" * 43
    with pytest.raises(tokens.AuthenticationFailed, match="unknown bearer token"):
        await tokens.authenticate(unknown, now())

    expired = await token_for(user, expires_at=now() - timedelta(seconds=1))
    with pytest.raises(tokens.AuthenticationFailed, match="expired"):
        await tokens.authenticate(expired, now())

    revoked = await tokens.issue(user, TokenKind.API, expires_at=None)
    assert await tokens.revoke(revoked.row.pk, now()) is True
    assert await tokens.revoke(revoked.row.pk, now()) is False
    with pytest.raises(tokens.AuthenticationFailed, match="revoked"):
        await tokens.authenticate(revoked.text, now())

    other = await make_user()
    valid = await token_for(other)
    await tokens.authenticate(valid, now())
    assert await users.set_active(other, False, now()) == 1
    with pytest.raises(tokens.AuthenticationFailed, match="revoked"):
        await tokens.authenticate(valid, now())
    await users.set_active(other, True, now())
    fresh = await token_for(other)
    await User.filter(id=other.pk).update(is_active=False)
    with pytest.raises(tokens.AuthenticationFailed, match="disabled"):
        await tokens.authenticate(fresh, now())


async def test_one_query_per_authentication_and_last_use_at_most_once_a_minute(
    database: TortoiseContext,
) -> None:
    text = await token_for(await make_user())
    start = now()
    with count_queries() as first:
        await tokens.authenticate(text, start)
    assert first.count == 2, first.statements  # the look-up, then last_used_at
    row = await AccessToken.get(prefix=text[5:17])
    assert row.last_used_at == start

    with count_queries() as second:
        await tokens.authenticate(text, start + timedelta(seconds=59))
    assert second.count == 1, second.statements
    assert (await AccessToken.get(id=row.pk)).last_used_at == start

    later = start + timedelta(minutes=1)
    with count_queries() as third:
        await tokens.authenticate(text, later)
    assert third.count == 2
    assert (await AccessToken.get(id=row.pk)).last_used_at == later


def test_bearer_header_parsing() -> None:
    assert tokens.bearer_token(None) is None
    assert tokens.bearer_token("") is None
    assert tokens.bearer_token("Basic dXNlcjpwYXNz") is None
    assert tokens.bearer_token("Bearer abc") == "abc"
    assert tokens.bearer_token("bearer   abc ") == "abc"
    assert tokens.bearer_token("Bearer") == ""


def test_prefixes_are_read_with_or_without_their_kind() -> None:
    assert tokens.parse_prefix("0123456789ab") == "0123456789ab"
    assert tokens.parse_prefix("gqna_0123456789ab") == "0123456789ab"
    assert tokens.parse_prefix("gqns_0123456789ab") == "0123456789ab"
    assert tokens.parse_prefix("0123456789") is None
    assert tokens.parse_prefix("gqna_0123456789ab_secret") is None


async def test_weak_passwords_are_refused(database: TortoiseContext) -> None:
    with pytest.raises(users.AccountError, match="at least 10 characters") as caught:
        await make_user(password="short")
    assert caught.value.field == "password"
    with pytest.raises(users.AccountError, match="at most 1024"):
        await make_user(password="x" * 1025)


async def test_account_input_is_checked(database: TortoiseContext) -> None:
    taken = await make_user()
    with pytest.raises(users.AccountError, match="already exists"):
        await make_user(email=taken.email.upper())
    with pytest.raises(users.AccountError, match="is not an email address"):
        await make_user(email="nobody")
    with pytest.raises(users.AccountError, match="name must not be empty"):
        await make_user(name="  ")
    with pytest.raises(users.AccountError, match="no author with slug 'nobody-at-all'"):
        await make_user(author_slug="nobody-at-all")
    with pytest.raises(users.AccountError, match="no account with email"):
        await users.get_user("ghost@example.org")


async def test_changing_a_password_revokes_sessions_only(database: TortoiseContext) -> None:
    user = await make_user()
    session = await tokens.issue(user, TokenKind.SESSION, expires_at=now() + timedelta(hours=1))
    api = await token_for(user)
    assert await users.set_password(user, "a much better password", now()) == 1
    with pytest.raises(tokens.AuthenticationFailed, match="revoked"):
        await tokens.authenticate(session.text, now())
    await tokens.authenticate(api, now())
    verdict = await passwords.verify(
        (await User.get(id=user.pk)).password_hash, "a much better password"
    )
    assert verdict.ok
