from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("related", "0001_initial")]

    initial = False

    operations = [
        ops.CreateModel(
            name="TextTerm",
            fields=[
                (
                    "term",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                ("articles", fields.IntField()),
            ],
            options={
                "table": "related_text_term",
                "app": "related",
                "pk_attr": "term",
                "table_description": "How many indexed articles keep a term among their top terms (its document frequency",
            },
            bases=["Model"],
        ),
    ]
