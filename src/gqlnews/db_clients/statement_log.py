"""What Tortoise's clients log each statement on (their ``log``): the statement is counted
against the request, and goes to the ``tortoise.db_client`` logger only when that logger
would keep it.

Tortoise logs every statement with ``self.log.debug(...)``. The request's SQL counter used
to be a handler on that logger, held at DEBUG so that every statement made a ``LogRecord``
(the caller found by walking the stack), for a number: 1 to 3 % of a planned page's
instructions. Now the counting is a call (:func:`gqlnews.observability.requestctx.count_statement`),
and a record is made only when someone listens at DEBUG: ``GQLNEWS_LOG_LEVEL=debug`` (the
statements in the logs), or :func:`gqlnews.testing.count_queries`, which collects them.

Our clients (:mod:`.sqlite`, :mod:`.asyncpg`) set it on themselves; their transactions
inherit it (Tortoise's transaction clients take their parent's ``log``).
"""

from __future__ import annotations

import logging
from typing import Any

from gqlnews.observability.requestctx import count_statement


class StatementLog(logging.Logger):
    """A client's ``log``: a logger that counts each ``debug`` line (a statement) and hands
    what it logs to ``logger``, whose level, filters and handlers decide, as if the client
    logged there."""

    def __init__(self, logger: logging.Logger) -> None:
        super().__init__(logger.name)
        self.logger = logger

    def isEnabledFor(self, level: int) -> bool:
        return self.logger.isEnabledFor(level)

    def handle(self, record: logging.LogRecord) -> None:
        self.logger.handle(record)

    def debug(self, msg: object, *args: object, **kwargs: Any) -> None:
        count_statement(str(msg))
        kwargs.setdefault("stacklevel", 2)  # the record names the client's line, not this one
        super().debug(msg, *args, **kwargs)
