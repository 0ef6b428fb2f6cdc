"""The table the ranking plugin owns: reads of an article, counted by the hour."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

if TYPE_CHECKING:  # imported for real, Tortoise would count Article among this app's models
    from gqlnews.api import Article


class ViewOrigin(StrEnum):
    """Where a count comes from: read live through ``recordView``, or imported history."""

    LIVE = "live"
    IMPORT = "import"


class ViewBucket(Model):
    """Reads of one article during one hour (UTC), live or imported, summed by the strategies."""

    id = fields.BigIntField(primary_key=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "models.Article", related_name=False, on_delete=fields.CASCADE
    )
    article_id: int
    hour = fields.IntField(description="Hours since 1970-01-01T00:00Z: the bucket's start.")
    origin = fields.CharEnumField(ViewOrigin, max_length=8)
    views = fields.BigIntField()

    class Meta:
        table = "ranking_view_bucket"
        unique_together = (("article_id", "hour", "origin"),)
        indexes = (Index(fields=("hour", "article_id"), name="ranking_view_hour_idx"),)
