"""Authors sign articles; their email is private to the newsroom."""

from tortoise import fields
from tortoise.models import Model

from gqlnews.models.image import Image


class Author(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=100, unique=True)
    name = fields.CharField(max_length=200)
    bio = fields.TextField(default="")
    role = fields.CharField(max_length=100, default="")
    email = fields.CharField(max_length=254, null=True)
    language = fields.CharField(max_length=12, null=True)
    """Language tag of its texts (``ar``, ``fr-MA``); null: the site's language
    (``GQLNEWS_SITE_LANGUAGE``), so that changing the setting changes what it says."""
    avatar: fields.ForeignKeyNullableRelation[Image] = fields.ForeignKeyField(
        "models.Image", related_name=False, null=True, on_delete=fields.SET_NULL, db_index=True
    )
    avatar_id: int | None

    class Meta:
        table = "author"
