"""Print editions (one a day) and the special supplements that ship with them."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from gqlnews.models.image import Image
from gqlnews.models.section import Section


class Edition(Model):
    id = fields.IntField(primary_key=True)
    number = fields.IntField(unique=True)
    date = fields.DateField(unique=True)
    title = fields.CharField(max_length=300)
    cover: fields.ForeignKeyNullableRelation[Image] = fields.ForeignKeyField(
        "models.Image", related_name=False, null=True, on_delete=fields.SET_NULL, db_index=True
    )
    cover_id: int | None
    page_count = fields.IntField(default=0)
    pdf_url = fields.CharField(max_length=1000, null=True)
    language = fields.CharField(max_length=12, null=True)
    """Language tag of its texts (``ar``, ``fr-MA``); null: the site's language
    (``GQLNEWS_SITE_LANGUAGE``), so that changing the setting changes what it says."""

    class Meta:
        table = "edition"


class Supplement(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=150, unique=True)
    title = fields.CharField(max_length=300)
    description = fields.TextField(default="")
    date = fields.DateField(db_index=True)
    cover: fields.ForeignKeyNullableRelation[Image] = fields.ForeignKeyField(
        "models.Image", related_name=False, null=True, on_delete=fields.SET_NULL, db_index=True
    )
    cover_id: int | None
    edition: fields.ForeignKeyNullableRelation[Edition] = fields.ForeignKeyField(
        "models.Edition",
        related_name="supplements",
        null=True,
        on_delete=fields.SET_NULL,
        db_index=True,
    )
    edition_id: int | None
    section: fields.ForeignKeyNullableRelation[Section] = fields.ForeignKeyField(
        "models.Section", related_name=False, null=True, on_delete=fields.SET_NULL, db_index=True
    )
    section_id: int | None
    page_count = fields.IntField(default=0)
    language = fields.CharField(max_length=12, null=True)
    """Language tag of its texts (``ar``, ``fr-MA``); null: the site's language
    (``GQLNEWS_SITE_LANGUAGE``), so that changing the setting changes what it says."""

    class Meta:
        table = "supplement"
