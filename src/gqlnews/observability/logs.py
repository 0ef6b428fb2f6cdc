"""Structured logs: JSON lines when stderr is not a terminal, readable lines when it is."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

import orjson

from gqlnews.observability.requestctx import RequestIdFilter

_HANDLER_NAME = "gqlnews"
_RESERVED = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "color_message",  # uvicorn's ANSI-coloured copy of the message
}


class JSONFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in vars(record).items():
            if key not in _RESERVED and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def setup_logging(level: str = "INFO", fmt: str = "auto") -> None:
    """Configure the root logger once per process (idempotent).

    ``fmt`` is ``json``, ``text`` or ``auto`` (JSON unless stderr is a terminal). SQL
    statements are counted per request, and only printed when ``level`` is DEBUG.
    """
    root = logging.getLogger()
    if any(h.get_name() == _HANDLER_NAME for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    use_json = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    handler.setFormatter(
        JSONFormatter()
        if use_json
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
    )
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    # uvicorn's lines go through this handler. Its access log stays off where uvicorn turned it
    # off (``access_log=False``: no handler, no propagation), as ``gqlnews serve`` does: in each
    # worker of ``serve --workers N`` this runs (the app is made) after uvicorn did so.
    access = logging.getLogger("uvicorn.access")
    access_off = not access.handlers and not access.propagate
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    access.propagate = not access_off
    show_statements(level.upper() == "DEBUG")


def show_statements(shown: bool) -> None:
    """Whether Tortoise's SQL statements go to the logs (at DEBUG). They are counted per
    request either way, without a log record (:mod:`gqlnews.db_clients.statement_log`)."""
    db_logger = logging.getLogger("tortoise.db_client")
    db_logger.setLevel(logging.DEBUG if shown else logging.NOTSET)
    db_logger.propagate = shown
