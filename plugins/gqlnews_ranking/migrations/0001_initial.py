"""The view buckets table (made by ``python -m tortoise makemigrations``, then formatted)."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from gqlnews_ranking.models import ViewOrigin


class Migration(migrations.Migration):
    dependencies = [("models", "0002_search")]

    initial = True

    operations = [
        ops.CreateModel(
            name="ViewBucket",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "article",
                    fields.ForeignKeyField(
                        "models.Article",
                        source_field="article_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "hour",
                    fields.IntField(description="Hours since 1970-01-01T00:00Z: the bucket's start."),
                ),
                (
                    "origin",
                    fields.CharEnumField(
                        description="LIVE: live\nIMPORT: import", enum_type=ViewOrigin, max_length=8
                    ),
                ),
                ("views", fields.BigIntField()),
            ],
            options={
                "table": "ranking_view_bucket",
                "app": "ranking",
                "unique_together": (("article_id", "hour", "origin"),),
                "indexes": [Index(fields=["hour", "article_id"], name="ranking_view_hour_idx")],
                "pk_attr": "id",
                "table_description": (
                    "Reads of one article during one hour (UTC), live or imported, "
                    "summed by the strategies."
                ),
            },
            bases=["Model"],
        ),
    ]
