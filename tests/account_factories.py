"""Accounts for tests: users (with or without a password), their tokens, and GraphQL calls
made as them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from gqlnews.accounts import tokens, users
from gqlnews.models import TokenKind, User, UserRole
from tests.factories import unique

PASSWORD = "correct horse battery staple"


async def make_user(
    role: UserRole = UserRole.EDITOR, password: str | None = None, **kw: Any
) -> User:
    """A new account; without ``password`` none is hashed (fast), and it cannot sign in."""
    email = kw.pop("email", f"{unique('user')}@example.org")
    return await users.create_user(email, kw.pop("name", "Test Account"), role, password, **kw)


async def token_for(
    user: User, *, kind: TokenKind = TokenKind.API, expires_at: datetime | None = None
) -> str:
    """A new token of ``user`` (its text)."""
    return (await tokens.issue(user, kind, expires_at=expires_at)).text


async def staff_token(role: UserRole = UserRole.EDITOR) -> tuple[User, str]:
    """A new account of ``role`` and an API token of it."""
    user = await make_user(role)
    return user, await token_for(user)


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token is not None else {}


async def post(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
) -> httpx.Response:
    """POST a GraphQL document, as the owner of ``token`` (anonymously without)."""
    return await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=bearer(token)
    )


async def data_as(
    client: httpx.AsyncClient,
    token: str | None,
    query: str,
    variables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``data`` of a document that must succeed (HTTP 200, no errors)."""
    response = await post(client, query, variables, token)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]
    return result
