"""Signing in and out over HTTP, `me` and `users`, and what a bad token gets (HTTP 401)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher

from gqlnews.accounts import passwords, tokens
from gqlnews.models import AccessToken, User, UserRole
from gqlnews.server import create_app
from gqlnews.settings import Settings, SettingsError
from gqlnews.testing import count_queries
from tests.account_factories import PASSWORD, data_as, make_user, post, staff_token, token_for
from tests.factories import now

SIGN_IN = """mutation($email: String!, $password: String!) {
  signIn(email: $email, password: $password) {
    token expiresAt user { email role active } errors { field code message }
  }
}"""
ME = "{ me { email name role active author { slug } } }"
FAILED = {
    "token": None,
    "expiresAt": None,
    "user": None,
    "errors": [
        {"field": None, "code": "INVALID_CREDENTIALS", "message": "invalid email or password"}
    ],
}


async def _sign_in(client: httpx.AsyncClient, email: str, password: str) -> dict[str, Any]:
    data = await data_as(client, None, SIGN_IN, {"email": email, "password": password})
    result: dict[str, Any] = data["signIn"]
    return result


async def test_sign_in_issues_a_session_token_for_me(client: httpx.AsyncClient) -> None:
    user = await make_user(UserRole.EDITOR, password=PASSWORD, name="Rédaction")
    before = datetime.now(UTC)
    result = await _sign_in(client, f"  {user.email.upper()} ", PASSWORD)
    assert result["errors"] == []
    assert result["user"] == {"email": user.email, "role": "EDITOR", "active": True}
    token = result["token"]
    assert token.startswith("gqns_")
    expires = datetime.fromisoformat(result["expiresAt"])
    assert before + timedelta(hours=12) <= expires <= datetime.now(UTC) + timedelta(hours=12)
    me = await data_as(client, token, ME)
    assert me["me"] == {
        "email": user.email,
        "name": "Rédaction",
        "role": "EDITOR",
        "active": True,
        "author": None,
    }
    row = await User.get(id=user.pk)
    assert row.last_login_at is not None and row.last_login_at >= before
    stored = str(await AccessToken.filter(user_id=user.pk).values())
    assert token not in stored and token[18:] not in stored


async def test_me_is_null_for_anonymous_readers(client: httpx.AsyncClient) -> None:
    with count_queries() as log:
        assert await data_as(client, None, ME) == {"me": None}
    assert log.count == 0


async def test_failed_sign_ins_all_answer_the_same(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wrong password, unknown email, disabled account, account without password: one answer,
    and one argon2 verification each (an unknown email costs what a wrong password costs)."""
    calls: list[str] = []
    real = passwords._verify_sync

    def counted(stored: str, password: str) -> passwords.Verdict:
        calls.append(stored)
        return real(stored, password)

    monkeypatch.setattr(passwords, "_verify_sync", counted)
    known = await make_user(password=PASSWORD)
    disabled = await make_user(password=PASSWORD)
    await User.filter(id=disabled.pk).update(is_active=False)
    tokenless = await make_user(password=None)
    attempts = [
        (known.email, "not the password"),
        ("nobody-here@example.org", PASSWORD),
        (disabled.email, PASSWORD),
        (tokenless.email, PASSWORD),
    ]
    for email, password in attempts:
        calls.clear()
        assert await _sign_in(client, email, password) == FAILED
        assert len(calls) == 1, email
    # The dummy hash that unknown emails are checked against has today's parameters.
    assert not passwords.HASHER.check_needs_rehash(passwords._dummy_hash())
    assert await AccessToken.filter(user_id__in=[known.pk, disabled.pk, tokenless.pk]).count() == 0


async def test_sign_in_rehashes_a_password_made_with_old_parameters(
    client: httpx.AsyncClient,
) -> None:
    user = await make_user()
    old = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    await User.filter(id=user.pk).update(password_hash=old)
    assert (await _sign_in(client, user.email, PASSWORD))["errors"] == []
    stored = (await User.get(id=user.pk)).password_hash
    assert stored != old
    assert not passwords.HASHER.check_needs_rehash(stored)
    assert passwords.HASHER.verify(stored, PASSWORD)
    again = await _sign_in(client, user.email, PASSWORD)
    assert again["errors"] == [] and (await User.get(id=user.pk)).password_hash == stored


async def test_sign_out_revokes_the_token_of_the_request(client: httpx.AsyncClient) -> None:
    user = await make_user(UserRole.AUTHOR, password=PASSWORD)
    token = (await _sign_in(client, user.email, PASSWORD))["token"]
    out = await data_as(client, token, "mutation { signOut { revoked errors { code } } }")
    assert out == {"signOut": {"revoked": True, "errors": []}}
    refused = await post(client, ME, token=token)
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["message"] == "this token was revoked: sign in again"


async def test_sign_out_needs_a_token(client: httpx.AsyncClient) -> None:
    body = (await post(client, "mutation { signOut { revoked } }")).json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def _expired() -> str:
    return await token_for(await make_user(), expires_at=now() - timedelta(minutes=1))


async def _revoked() -> str:
    issued = await tokens.issue(await make_user(), tokens.TokenKind.API, expires_at=None)
    await tokens.revoke(issued.row.pk, now())
    return issued.text


async def _disabled() -> str:
    user = await make_user()
    text = await token_for(user)
    await User.filter(id=user.pk).update(is_active=False)
    return text


async def _unknown() -> str:
    return "gqna_0123456789ab_" + "z" * 43


async def _malformed() -> str:
    return "not-a-token"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_malformed, "malformed bearer token"),
        (_unknown, "unknown bearer token"),
        (_expired, "this token has expired: sign in again"),
        (_revoked, "this token was revoked: sign in again"),
        (_disabled, "this account is disabled"),
    ],
)
async def test_a_bad_token_is_http_401_whatever_the_query(
    client: httpx.AsyncClient, make: Callable[[], Awaitable[str]], message: str
) -> None:
    token = await make()
    for query in (
        "{ __typename }",
        ME,
        'mutation { signIn(email: "a@b.c", password: "x") { token } }',
    ):
        response = await post(client, query, token=token)
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
        error = response.json()["errors"][0]
        assert error["extensions"] == {"code": "UNAUTHENTICATED"}
        assert error["message"].startswith(message)
    also_get = await client.get(
        "/graphql", params={"query": "{ __typename }"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert also_get.status_code == 401


async def test_other_authorization_schemes_are_ignored(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": ME}, headers={"Authorization": "Basic dXNlcjpwYXNz"}
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"me": None}}


@pytest.mark.parametrize(
    "header",
    [
        "Bearer\t{token}",
        "Bearer:{token}",
        "Bearer {token} extra",
        "{token}",
        "Token {token}",
        "JWT {token}",
        "Bearer\u00a0{token}",
    ],
)
async def test_a_malformed_authorization_header_is_http_401_not_anonymous(
    client: httpx.AsyncClient, header: str
) -> None:
    """A client that meant to sign its request (a tab, a colon, a bare token, another token
    scheme) is told so, rather than served silently as an anonymous reader."""
    _user, token = await staff_token(UserRole.EDITOR)
    value = header.format(token=token).encode()
    for response in (
        await client.post("/graphql", json={"query": ME}, headers={"Authorization": value}),
        await client.get("/graphql", params={"query": ME}, headers={"Authorization": value}),
    ):
        assert response.status_code == 401, (header, response.text)
        assert response.headers["www-authenticate"].startswith("Bearer")
        error = response.json()["errors"][0]
        assert error["extensions"] == {"code": "UNAUTHENTICATED"}
        assert "Authorization: Bearer <token>" in error["message"]


async def test_authentication_costs_one_query_per_request(client: httpx.AsyncClient) -> None:
    _user, token = await staff_token(UserRole.AUTHOR)
    await data_as(client, token, "{ __typename }")  # first use: also writes last_used_at
    with count_queries() as log:
        data = await data_as(client, token, "{ me { email role } }")
    assert data["me"]["role"] == "AUTHOR"
    assert log.count == 1, log.statements
    assert "access_token" in log.statements[0] and "account_user" in log.statements[0]
    with count_queries() as malformed:
        assert (await post(client, "{ __typename }", token="nope")).status_code == 401
    assert malformed.count == 0


USERS = """query($after: String) {
  users(first: 2, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { email role }
  }
}"""


async def test_only_admins_list_users(client: httpx.AsyncClient) -> None:
    admin, token = await staff_token(UserRole.ADMIN)
    emails: list[str] = []
    after = None
    while True:
        page = (await data_as(client, token, USERS, {"after": after}))["users"]
        emails += [node["email"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert emails == sorted(emails)
    assert admin.email in emails
    assert len(emails) == page["totalCount"] == await User.all().count()

    _editor, editor_token = await staff_token(UserRole.EDITOR)
    body = (await post(client, USERS, token=editor_token)).json()
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN", "action": "users.manage"}
    assert body["errors"][0]["message"] == "the editor role may not do users.manage"
    anonymous = (await post(client, USERS)).json()
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_session_lifetime_is_a_setting(settings: Settings) -> None:
    app = create_app(replace(settings, session_ttl_hours=2))
    user = await make_user(password=PASSWORD)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as short:
        before = datetime.now(UTC)
        result = await _sign_in(short, user.email, PASSWORD)
    expires = datetime.fromisoformat(result["expiresAt"])
    assert before + timedelta(hours=2) <= expires <= datetime.now(UTC) + timedelta(hours=2)
    with pytest.raises(SettingsError, match="GQLNEWS_SESSION_TTL_HOURS must be at least 1"):
        Settings.from_env({"GQLNEWS_SESSION_TTL_HOURS": "0"})
