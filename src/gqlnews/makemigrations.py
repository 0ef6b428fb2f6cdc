"""Write the migration of one app (the core's or a plugin's) with every app loaded.

Tortoise's own ``makemigrations LABEL`` loads only the named app, so a plugin model pointing at
``models.Article`` cannot be resolved. Here every app is loaded (so cross-app foreign keys and
dependencies resolve) and only the asked app's migration is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector
from tortoise.migrations.writer import format_migration_name

from gqlnews.db import ModelApp, tortoise_config


async def make_migration(
    label: str, apps: Sequence[ModelApp], name: str | None = None
) -> list[Path]:
    """Write the pending migration of app ``label``; the paths written (none: no changes)."""
    config = tortoise_config("sqlite://:memory:", apps)
    if label not in config["apps"]:
        known = ", ".join(sorted(config["apps"]))
        raise ValueError(f"no app {label!r} (known: {known})")
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        assert ctx.apps is not None, "Tortoise did not load the apps"
        writers = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    written = []
    for writer in writers:
        if writer.app_label != label:
            continue
        if name:
            number = int(writer.name.split("_", 1)[0])
            writer.name = format_migration_name(number, name)
        written.append(writer.write())
    return written
