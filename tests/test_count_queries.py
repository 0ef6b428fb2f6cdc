"""``gqlnews.testing.count_queries``: the statements a block sends, each with its values, and
none from background work that was running before."""

from __future__ import annotations

import asyncio

from tortoise.context import TortoiseContext

from gqlnews.models import Section
from gqlnews.testing import count_queries


async def test_each_statement_is_kept_with_its_values(database: TortoiseContext) -> None:
    stop = asyncio.Event()

    async def background() -> None:
        while not stop.is_set():
            await Section.filter(slug="background").exists()
            await asyncio.sleep(0)

    busy = asyncio.create_task(background())
    try:
        with count_queries() as log:
            await Section.filter(slug="monde").first()
            await Section.all().count()
    finally:
        stop.set()
        await busy
    assert log.count == 2 and len(log.values) == 2
    assert "monde" in log.values[0] and '"section"' in log.statements[0]
    assert "background" not in str(log.values)
    assert log.values[1] == []
