"""Sections form a tree; an article sits in several of them."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Section(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=100, unique=True)
    name = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    position = fields.IntField(default=0)
    language = fields.CharField(max_length=12, null=True)
    """Language tag of its texts (``ar``, ``fr-MA``); null: the site's language
    (``GQLNEWS_SITE_LANGUAGE``), so that changing the setting changes what it says."""
    parent: fields.ForeignKeyNullableRelation[Section] = fields.ForeignKeyField(
        "models.Section",
        related_name="children",
        null=True,
        on_delete=fields.RESTRICT,
        db_index=True,
    )
    parent_id: int | None

    class Meta:
        table = "section"
