"""Run the app under uvicorn for ``gqlnews serve``: WebSockets through the ``websockets``
library (sans-I/O), with keep-alive pings, and open WebSockets closed with 1001 (going away)
before uvicorn stops."""

from __future__ import annotations

import contextlib
import socket
import sys
from typing import Any

import uvicorn
from starlette.applications import Starlette

from gqlnews.settings import Settings

WS_IMPLEMENTATION = "websockets-sansio"
"""uvicorn's WebSocket protocol (the ``websockets`` package, pinned in pyproject.toml)."""


class GracefulServer(uvicorn.Server):
    """uvicorn's server, which closes the app's WebSockets with 1001 first (uvicorn alone
    would close them with 1012, service restart)."""

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        app = _starlette(self.config.loaded_app)
        open_sockets = getattr(app.state, "sockets", None) if app is not None else None
        if open_sockets is not None:
            await open_sockets.close_all()
        await super().shutdown(sockets)


def _starlette(app: Any) -> Starlette | None:
    """The Starlette app inside uvicorn's wrappers (proxy headers, message logger)."""
    for _ in range(10):
        if isinstance(app, Starlette):
            return app
        app = getattr(app, "app", None)
    return None


def serve(settings: Settings, host: str, port: int, workers: int, reload: bool) -> None:
    """Serve ``gqlnews.server:create_app`` (the workers build it from the environment)."""
    ping = float(settings.subscriptions_ping_seconds) or None
    options: dict[str, Any] = {
        "factory": True,
        "host": host,
        "port": port,
        "workers": workers,
        "reload": reload,
        "access_log": False,
        "log_config": None,
        "timeout_graceful_shutdown": 30,
        "ws": WS_IMPLEMENTATION,
        "ws_ping_interval": ping,
        "ws_ping_timeout": ping,
    }
    if workers > 1 or reload:
        # uvicorn's supervisors make their own servers: sockets close with 1012 there.
        uvicorn.run("gqlnews.server:create_app", **options)
        return
    server = GracefulServer(uvicorn.Config("gqlnews.server:create_app", **options))
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: uvicorn re-raises it once stopped
        server.run()
    if not server.started:
        sys.exit(3)  # uvicorn's STARTUP_FAILURE
