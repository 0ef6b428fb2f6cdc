"""Tags: themes, places, organisations and people."""

from tortoise import fields
from tortoise.models import Model

from gqlnews.models.enums import TagKind


class Tag(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=100, unique=True)
    name = fields.CharField(max_length=200)
    kind = fields.CharEnumField(TagKind, max_length=20, default=TagKind.THEME)
    language = fields.CharField(max_length=12, null=True)
    """Language tag of its texts (``ar``, ``fr-MA``); null: the site's language
    (``GQLNEWS_SITE_LANGUAGE``), so that changing the setting changes what it says."""

    class Meta:
        table = "tag"
