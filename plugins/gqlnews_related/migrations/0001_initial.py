from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0002_search")]

    initial = True

    operations = [
        ops.CreateModel(
            name="TextDocument",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "article",
                    fields.OneToOneField(
                        "models.Article",
                        source_field="article_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("indexed_version", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("length", fields.IntField()),
            ],
            options={
                "table": "related_text_document",
                "app": "related",
                "pk_attr": "id",
                "table_description": "An article as last indexed, with the modification time it had then.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TextPosting",
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
                        db_index=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("term", fields.CharField(max_length=64)),
                ("weight", fields.FloatField()),
            ],
            options={
                "table": "related_text_posting",
                "app": "related",
                "unique_together": (("article", "term"),),
                "indexes": [Index(fields=["term", "article_id"], name="related_posting_term_idx")],
                "pk_attr": "id",
                "table_description": "One of the most distinctive terms of an article, with its weight in the article.",
            },
            bases=["Model"],
        ),
    ]
