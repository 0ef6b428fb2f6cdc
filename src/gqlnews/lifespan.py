"""Open and close the ORM around the app's life (Starlette ``lifespan``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from starlette.applications import Starlette
from tortoise.contrib.starlette import RegisterTortoise

from gqlnews.db import create_schema, tortoise_config
from gqlnews.settings import Settings


def make_lifespan(
    settings: Settings, *, create: bool = True
) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """A lifespan that opens the database of ``settings`` (creating missing tables if asked)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with RegisterTortoise(app, config=tortoise_config(settings.database_url)):
            if create:
                await create_schema()
            yield

    return lifespan
