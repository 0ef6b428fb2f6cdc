"""The editors' choices: ordered picks and named front-page slots, each pointing at an article.

Both live in the plugin's own Tortoise app (``editorial``); deleting an article deletes the
picks and slots that point at it.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from gqlnews.api import Article
from gqlnews_editorial.rules import MAX_SLOT_NAME_LENGTH


class Pick(Model):
    """An article the editors recommend, at a position, shown within an optional window."""

    id = fields.IntField(primary_key=True)
    # No db_index: the uniqueness of article_id (Meta) already indexes it.
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "models.Article", related_name=False, on_delete=fields.CASCADE
    )
    article_id: int
    position = fields.IntField(unique=True)
    """Order of the picks, from 0."""
    starts_at = fields.DatetimeField(null=True)
    """Hidden before this instant (null: shown at once)."""
    expires_at = fields.DatetimeField(null=True)
    """Hidden from this instant on (null: until replaced)."""
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "editorial_pick"
        unique_together = (("article_id",),)  # an article is picked at most once


class Slot(Model):
    """A named place on the front page (une-principale...) and the article put there."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=MAX_SLOT_NAME_LENGTH, unique=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "models.Article", related_name=False, on_delete=fields.CASCADE, db_index=True
    )
    article_id: int
    starts_at = fields.DatetimeField(null=True)
    """Empty before this instant (null: filled at once)."""
    expires_at = fields.DatetimeField(null=True)
    """Empty from this instant on (null: until replaced or cleared)."""
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "editorial_slot"
