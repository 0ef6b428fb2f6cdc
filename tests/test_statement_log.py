"""Statements are counted per request without a log record (gqlnews.db_clients.statement_log):
a record of a statement is made only when someone listens at DEBUG (the statements shown in
the logs, or gqlnews.testing.count_queries), and then it names the client's line."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from tortoise import connections

from gqlnews.db_clients.statement_log import StatementLog
from gqlnews.models import Section
from gqlnews.observability.logs import show_statements
from gqlnews.observability.requestctx import RequestState, current
from gqlnews.testing import count_queries

DB_LOGGER = "tortoise.db_client"


@pytest.fixture
def records() -> Iterator[list[logging.LogRecord]]:
    """Every log record of ``tortoise.db_client`` made while the test runs (whoever keeps it)."""
    made: list[logging.LogRecord] = []
    factory = logging.getLogRecordFactory()

    def recording(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        if record.name == DB_LOGGER:
            made.append(record)
        return record

    logging.setLogRecordFactory(recording)
    try:
        yield made
    finally:
        logging.setLogRecordFactory(factory)


@pytest.fixture
def shown() -> Iterator[None]:
    """Restore the statements' logger as the test found it."""
    logger = logging.getLogger(DB_LOGGER)
    level, propagate = logger.level, logger.propagate
    yield
    logger.setLevel(level)
    logger.propagate = propagate


async def _counted(statements: int) -> int:
    """What the request counter counts for ``statements`` reads run in a request."""
    token = current.set(RequestState(request_id="t"))
    try:
        for _ in range(statements):
            await Section.filter(slug="une").first()
        state = current.get()
        assert state is not None
        return state.sql_queries
    finally:
        current.reset(token)


async def test_clients_log_through_a_statement_log(database: object) -> None:
    client = connections.get("default")
    assert isinstance(client.log, StatementLog)
    assert client.log.logger is logging.getLogger(DB_LOGGER)


async def test_statements_are_counted_without_a_record(
    database: object, records: list[logging.LogRecord], shown: None
) -> None:
    show_statements(False)
    assert await _counted(3) == 3
    assert records == []


async def test_shown_statements_are_logged_from_the_clients_line(
    database: object, records: list[logging.LogRecord], shown: None, caplog: Any
) -> None:
    show_statements(True)
    with caplog.at_level(logging.DEBUG, logger=DB_LOGGER):
        assert await _counted(2) == 2
    assert len(records) == 2
    for record in records:
        assert record.levelno == logging.DEBUG and '"section"' in record.getMessage()
        assert not record.pathname.endswith("statement_log.py"), record.pathname
        assert "db_clients" in record.pathname or "tortoise" in record.pathname
    assert [r for r in caplog.records if r.name == DB_LOGGER]


async def test_count_queries_collects_statements_that_are_not_shown(
    database: object, shown: None
) -> None:
    show_statements(False)
    with count_queries() as log:
        await Section.filter(slug="une").first()
    assert log.count == 1 and '"section"' in log.statements[0]
    assert not logging.getLogger(DB_LOGGER).isEnabledFor(logging.DEBUG)


async def test_a_pools_lines_are_not_statements(database: object) -> None:
    token = current.set(RequestState(request_id="t"))
    try:
        log = StatementLog(logging.getLogger(DB_LOGGER))
        log.debug("Created connection pool %s with params: %s", "p", {})
        log.debug("Closed connection pool %s with params: %s", "p", {})
        log.debug("%s: %s", "SELECT 1", [])
        state = current.get()
        assert state is not None and state.sql_queries == 1
    finally:
        current.reset(token)
