"""Newsroom accounts and the bearer tokens they sign requests with.

Only hashes are stored: an argon2 hash of each password and a SHA-256 hash of each token (see
:mod:`gqlnews.accounts`).
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from gqlnews.models.author import Author
from gqlnews.models.enums import TokenKind, UserRole


class User(Model):
    """A newsroom account: who may sign in and what their role lets them do."""

    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    """Stored trimmed and lower-cased, the sign-in name."""
    name = fields.CharField(max_length=200)
    role = fields.CharEnumField(UserRole, max_length=20)
    password_hash = fields.CharField(max_length=255, default="")
    """An argon2 hash, or empty for an account that signs in with API tokens only."""
    is_active = fields.BooleanField(default=True)
    author: fields.ForeignKeyNullableRelation[Author] = fields.ForeignKeyField(
        "models.Author", related_name=False, null=True, on_delete=fields.SET_NULL, db_index=True
    )
    """The byline profile of this account, if any."""
    author_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    last_login_at = fields.DatetimeField(null=True)

    class Meta:
        table = "account_user"


class AccessToken(Model):
    """A bearer token of a user, kept as a SHA-256 hash with a short public prefix."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="tokens", on_delete=fields.CASCADE, db_index=True
    )
    user_id: int
    kind = fields.CharEnumField(TokenKind, max_length=10)
    name = fields.CharField(max_length=100, default="")
    """What the token is for, shown in listings."""
    prefix = fields.CharField(max_length=12, unique=True)
    """The public part of the token, to find and show it (never enough to use it)."""
    token_hash = fields.CharField(max_length=64, unique=True)
    """SHA-256 of the whole token, hex."""
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    last_used_at = fields.DatetimeField(null=True)
    """Updated at most once a minute."""

    class Meta:
        table = "access_token"
