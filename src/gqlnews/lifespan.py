"""Open and close the ORM around the app's life (Starlette ``lifespan``)."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import pluggy
from prometheus_client import multiprocess
from starlette.applications import Starlette
from tortoise.contrib.starlette import RegisterTortoise

from gqlnews import collector, migrate
from gqlnews.cache.service import ResponseCache
from gqlnews.db import tortoise_config
from gqlnews.live.feed import EventFeed
from gqlnews.newsroom import events
from gqlnews.newsroom.channel import RedisChannel
from gqlnews.newsroom.publishing import Publisher
from gqlnews.newsroom.relay import Relay
from gqlnews.newsroom.scheduler import Scheduler
from gqlnews.observability import stacks
from gqlnews.observability.metrics import MULTIPROC_ENV
from gqlnews.plugins import call_each, model_apps
from gqlnews.settings import Settings
from gqlnews.webhooks.dispatcher import Dispatcher

log = logging.getLogger("gqlnews.server")


STATEMENT_TIMEOUT_MARGIN_MS = 1000
"""How much longer than a request's deadline a PostgreSQL statement may run: the deadline
(``request_timeout_ms``) cancels first; ``statement_timeout`` is the backstop for a statement
the cancellation did not reach."""


def statement_timeout_ms(settings: Settings) -> int | None:
    """PostgreSQL's ``statement_timeout`` for the server's connections: a little above
    ``request_timeout_ms`` (None when that is 0 or less: no deadline, no limit)."""
    if settings.request_timeout_ms <= 0:
        return None
    return settings.request_timeout_ms + STATEMENT_TIMEOUT_MARGIN_MS


def _relay(
    settings: Settings, plugins: pluggy.PluginManager, channel: RedisChannel | None
) -> Relay:
    return Relay(
        plugins,
        settings.event_relay_interval,
        settings.event_relay_grace,
        settings.event_retention_days,
        ready=channel.reachable if channel is not None else None,
    )


def make_lifespan(
    settings: Settings,
    plugins: pluggy.PluginManager,
    cache: ResponseCache | None = None,
    feed: EventFeed | None = None,
) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    """A lifespan that opens the database of ``settings`` and refuses a schema that is behind.

    It never migrates: with several workers, migrations run once, before they start
    (``gqlnews serve`` does that for an empty database; ``gqlnews migrate`` otherwise).
    """

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stacks.install(asyncio.get_running_loop())  # SIGUSR1: what each task waits on
        apps = model_apps(plugins)
        config = tortoise_config(
            settings.database_url, apps, statement_timeout_ms=statement_timeout_ms(settings)
        )
        async with RegisterTortoise(app, config=config):
            names = await migrate.pending(apps=apps)
            if names and not settings.allow_pending_migrations:
                raise migrate.PendingMigrations(names)
            if names:
                log.warning("serving with %d pending migration(s): %s", len(names), names)
            channel = RedisChannel(settings.redis_url) if settings.redis_url else None
            unsubscribe = events.subscribe(plugins, "redis", channel.send) if channel else None
            await call_each(plugins, "gqlnews_startup", app=app, settings=settings)
            scheduler = Scheduler(Publisher(plugins), settings.scheduler_interval)
            app.state.scheduler = scheduler
            relay = _relay(settings, plugins, channel)
            app.state.relay = relay
            scheduler.start()
            webhooks = Dispatcher(settings, plugins=plugins)
            app.state.webhooks = webhooks
            webhooks.start()
            if cache is not None:
                cache.start()
            relay.start()
            if feed is not None:
                await feed.start()
            try:
                with collector.tuned(settings.gc_threshold):
                    yield
            finally:
                if feed is not None:
                    await feed.stop()
                await webhooks.stop()
                await scheduler.stop()
                await relay.stop()
                if cache is not None:
                    await cache.stop()
                if channel is not None and unsubscribe is not None:
                    unsubscribe()
                    await channel.aclose()
                await call_each(plugins, "gqlnews_shutdown", app=app)
                if os.environ.get(MULTIPROC_ENV):
                    multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]

    return lifespan
