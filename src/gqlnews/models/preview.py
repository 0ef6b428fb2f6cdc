"""Draft preview links: a token that opens one article to whoever holds it (see
:mod:`gqlnews.previews`).

Only the SHA-256 of each token is stored, as for the accounts' bearer tokens.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from gqlnews.models.account import User
from gqlnews.models.article import Article


class PreviewLink(Model):
    """A preview token of one article: who made it, until when it works, whether it was
    revoked."""

    id = fields.IntField(primary_key=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "models.Article", related_name=False, on_delete=fields.CASCADE, db_index=True
    )
    """The one article the token opens."""
    article_id: int
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    """The staff account that made the link (null once that account is deleted)."""
    created_by_id: int | None
    token_hash = fields.CharField(max_length=64, unique=True)
    """SHA-256 of the whole token, hex; the token itself is never stored."""
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    """The token stops working at this instant."""
    revoked_at = fields.DatetimeField(null=True)
    """Set when the link was revoked (by hand, or when its article went to the trash)."""

    class Meta:
        table = "preview_link"
