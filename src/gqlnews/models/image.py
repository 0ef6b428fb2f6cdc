"""Images: registered by URL with the metadata a page prints."""

from tortoise import fields
from tortoise.models import Model


class Image(Model):
    id = fields.IntField(primary_key=True)
    url = fields.CharField(max_length=1000)
    credit = fields.CharField(max_length=255, default="")
    """The credit line a page prints ("© D.R", "X / AFP"): the copyright holder."""
    byline = fields.CharField(max_length=255, default="")
    """The photographer, when known (ninjs ``by``)."""
    caption = fields.TextField(default="")
    alt = fields.CharField(max_length=500, default="")
    width = fields.IntField(null=True)
    height = fields.IntField(null=True)
    language = fields.CharField(max_length=12, null=True)
    """Language tag of its texts (``ar``, ``fr-MA``); null: the site's language
    (``GQLNEWS_SITE_LANGUAGE``), so that changing the setting changes what it says."""
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "image"
