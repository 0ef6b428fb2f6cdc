"""The outbox records when each event was announced (``publish_event.announced_at``), so that
the event relay can announce again those whose announce failed or never happened.

The events already in the table were announced when they were written (or never will be by
the old code): they are marked announced at their creation, so the relay does not replay the
whole history after the upgrade. Reversing it drops the column and its index.
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


async def _mark_existing_announced(apps: Any, schema_editor: Any) -> None:
    await schema_editor.client.execute_script(
        'UPDATE "publish_event" SET "announced_at" = "created_at" WHERE "announced_at" IS NULL'
    )


async def _nothing(apps: Any, schema_editor: Any) -> None:
    """Going back, the column goes away with what it held."""


class Migration(migrations.Migration):
    dependencies = [("models", "0011_search_rank")]

    initial = False

    operations = [
        ops.AddField(
            model_name="PublishEvent",
            name="announced_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddIndex(
            model_name="PublishEvent",
            index=Index(fields=["announced_at", "id"], name="publish_event_announced_idx"),
        ),
        ops.RunPython(_mark_existing_announced, _nothing),
    ]
