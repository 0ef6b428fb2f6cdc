"""Open and close the ORM around the app's life (Starlette ``lifespan``)."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from prometheus_client import multiprocess
from starlette.applications import Starlette
from tortoise.contrib.starlette import RegisterTortoise

from gqlnews import migrate
from gqlnews.db import tortoise_config
from gqlnews.observability.metrics import MULTIPROC_ENV
from gqlnews.settings import Settings

log = logging.getLogger("gqlnews.server")


def make_lifespan(settings: Settings) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """A lifespan that opens the database of ``settings`` and refuses a schema that is behind.

    It never migrates: with several workers, migrations run once, before they start
    (``gqlnews serve`` does that for an empty database; ``gqlnews migrate`` otherwise).
    """

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with RegisterTortoise(app, config=tortoise_config(settings.database_url)):
            names = await migrate.pending()
            if names and not settings.allow_pending_migrations:
                raise migrate.PendingMigrations(names)
            if names:
                log.warning("serving with %d pending migration(s): %s", len(names), names)
            try:
                yield
            finally:
                if os.environ.get(MULTIPROC_ENV):
                    multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]

    return lifespan
