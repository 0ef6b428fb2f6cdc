"""Test helpers for plugin authors (and gqlnews's own tests).

A plugin's test starts a real gqlnews app with the plugin registered, on a fresh migrated
SQLite database (or any URL), runs its lifespan (startup hooks included), and queries it::

    import my_plugin
    from gqlnews.testing import plugin_harness

    async def test_my_strategy() -> None:
        async with plugin_harness(("mine", my_plugin), demo=True) as harness:
            data = await harness.data("{ relatedStrategies { name } }")
            assert {"name": "mine"} in data["relatedStrategies"]

``count_queries()`` counts the SQL statements a block sends, so a test can assert that a
field stays cheap inside lists. ``ANATOMY_SLUG`` is the slug of a demo article whose author
signed others, to ask things about.

Production code never imports this module (the in-process client it uses is
:mod:`gqlnews.inprocess`, re-exported by :mod:`gqlnews.api`).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gqlnews.db import open_database
from gqlnews.demo import ANATOMY_SLUG
from gqlnews.inprocess import GraphQLErrors, InProcessClient, in_process_client
from gqlnews.migrate import apply
from gqlnews.plugins import make_plugin_manager, model_apps
from gqlnews.settings import Settings

__all__ = [
    "ANATOMY_SLUG",
    "GraphQLErrors",
    "Harness",
    "QueryLog",
    "count_queries",
    "plugin_harness",
]

_DB_LOGGER = "tortoise.db_client"


@dataclass
class QueryLog:
    """The SQL statements sent while a :func:`count_queries` block ran."""

    statements: list[str] = field(default_factory=list)
    values: list[list[Any]] = field(default_factory=list)
    """The values sent with each statement, in the same order (empty when it had none)."""

    @property
    def count(self) -> int:
        return len(self.statements)


_COUNTING: ContextVar[QueryLog | None] = ContextVar("gqlnews_counting", default=None)


class _Collector(logging.Handler):
    def __init__(self, log: QueryLog) -> None:
        super().__init__(logging.DEBUG)
        self.log = log

    def emit(self, record: logging.LogRecord) -> None:
        if _COUNTING.get() is not self.log:
            return  # a background task started before the block (a scheduler, an indexer)
        message = str(record.msg)
        if message.startswith(("Created connection pool", "Closed connection pool")):
            return
        values: list[Any] = []
        if message == "%s: %s" and record.args:
            message = str(record.args[0])  # type: ignore[index]
            args = record.args
            sent = args[1] if isinstance(args, tuple) and len(args) > 1 else None
            if isinstance(sent, list | tuple):
                values = list(sent)
        self.log.statements.append(message)
        self.log.values.append(values)


@contextmanager
def count_queries() -> Iterator[QueryLog]:
    """Collect every SQL statement Tortoise sends while the block runs, from the block's own
    task and the tasks it starts (DataLoader batches); background tasks that were running
    before (the scheduler, a plugin's indexer) are not counted."""
    log = QueryLog()
    logger = logging.getLogger(_DB_LOGGER)
    handler = _Collector(log)
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    token = _COUNTING.set(log)
    try:
        yield log
    finally:
        _COUNTING.reset(token)
        logger.removeHandler(handler)
        logger.setLevel(previous)


Harness = InProcessClient
"""What :func:`plugin_harness` gives: the app, its HTTP client and its plugin manager, with
``query()`` and ``data()``."""


@asynccontextmanager
async def plugin_harness(
    *plugins: tuple[str, object],
    settings: Settings | None = None,
    demo: bool = False,
    now: datetime | None = None,
) -> AsyncIterator[Harness]:
    """An app with the installed plugins plus ``plugins`` (``(name, module)`` pairs).

    The database is a new SQLite file in a temporary folder unless ``settings`` names one;
    it is migrated (core and plugin apps) before the app starts. ``demo=True`` loads the demo
    newsroom (dated relative to ``now``). Disable installed plugins with
    ``Settings(disabled_plugins="ranking,…")``. A plugin passed here that is also installed
    (``pip install -e .``) is registered once, from its entry point. The response cache is
    off by default (a test writes rows directly and counts what a field costs in SQL); pass
    ``Settings(cache=True, …)`` to test how a field's answers are cached and purged.
    """
    with tempfile.TemporaryDirectory(prefix="gqlnews-test-") as folder:
        if settings is None:
            settings = Settings(
                database_url=f"sqlite://{Path(folder) / 'test.sqlite3'}", cache=False
            )
        settings = replace(settings, allow_pending_migrations=False)
        manager = make_plugin_manager(settings, extra=plugins)
        apps = model_apps(manager)
        async with open_database(settings.database_url, apps):
            await apply(apps=apps)
            if demo:
                from gqlnews.demo import load_demo

                await load_demo(now=now or datetime.now(UTC), plugins=manager)
        async with in_process_client(settings, manager) as harness:
            yield harness
