"""Real `gqlnews serve` processes and GraphQL-over-WebSocket clients, for the subscription tests
and bench/subscriptions.py. Everything here is async: a test's TCP proxy (tests/proxy.py) runs
in the same event loop."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.helpers import newsroom_with_editor

PROTOCOL = "graphql-transport-ws"

CREATE = """mutation($input: ArticleCreateInput!) { articleCreate(input: $input) {
  article { id version } errors { code message } } }"""
MOVE = """mutation($id: ID!, $v: Int!) { %s(id: $id, version: $v) {
  article { id version } errors { code message } } }"""
EMBARGO = """mutation($id: ID!, $v: Int!, $until: DateTime) {
  articleSetEmbargo(id: $id, version: $v, until: $until) {
  article { id version } errors { code message } } }"""
SECTION = """mutation($input: SectionCreateInput!) { sectionCreate(input: $input) {
  errors { code message } } }"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def newsroom(url: str) -> str:
    """Migrate ``url``, add an editor; returns the editor's API token."""
    return await asyncio.to_thread(newsroom_with_editor, url, "migrate")


class Server:
    """One `gqlnews serve` process on a free port."""

    def __init__(self, url: str, env: dict[str, str]) -> None:
        self.url, self.env = url, env
        self.port = free_port()
        self.process: asyncio.subprocess.Process | None = None
        self.stderr = ""
        self._lines: list[bytes] = []
        self._drain: asyncio.Task[None] | None = None

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    async def start(self) -> None:
        command = Path(sys.executable).with_name("gqlnews")
        self.process = await asyncio.create_subprocess_exec(
            str(command),
            "--database-url",
            self.url,
            "serve",
            "--port",
            str(self.port),
            env={**os.environ, "GQLNEWS_SCHEDULER_INTERVAL": "0", **self.env},
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        # Read its log as it comes: a full pipe would block the server (a line per socket).
        self._drain = asyncio.ensure_future(self._read_log())
        async with httpx.AsyncClient() as client:
            for _ in range(400):
                with contextlib.suppress(httpx.HTTPError):
                    ready = await client.get(f"http://127.0.0.1:{self.port}/readyz", timeout=1)
                    if ready.status_code == 200:
                        return
                assert self.process.returncode is None, "the server exited"
                await asyncio.sleep(0.1)
        raise AssertionError("the server did not become ready")

    async def _read_log(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        while line := await self.process.stderr.readline():
            self._lines.append(line)

    async def stop(self) -> list[str]:
        """SIGTERM; the error lines of its log."""
        assert self.process is not None and self._drain is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(self.process.wait(), 60)
        await asyncio.wait_for(self._drain, 10)
        self.stderr = b"".join(self._lines).decode()
        return [line for line in self.stderr.splitlines() if '"level":"error"' in line]


@contextlib.asynccontextmanager
async def serving(
    url: str, env: dict[str, str] | None = None, redis_may_fail: bool = False
) -> AsyncIterator[Server]:
    """A server for the block; at the end, no error in its log (but Redis being refused when
    ``redis_may_fail``: the plugins' counters say so when a test cuts it)."""
    server = Server(url, env or {})
    await server.start()
    try:
        yield server
    finally:
        errors = await server.stop()
        if redis_may_fail:
            errors = [line for line in errors if "Connection refused" not in line]
        assert not errors, errors


async def act(server: Server, token: str, query: str, **variables: Any) -> dict[str, Any]:
    """Run a staff mutation over HTTP; its payload (no errors allowed)."""
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            server.http,
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
    body = answer.json()
    assert "errors" not in body, body
    payload: dict[str, Any] = next(iter(body["data"].values()))
    assert payload["errors"] == [], payload
    return payload


async def draft(
    server: Server, token: str, title: str, section: str = "monde", **more: Any
) -> dict[str, Any]:
    """A new draft in ``section``: its id and version."""
    made = await act(
        server, token, CREATE, input={"title": title, "primarySection": section, **more}
    )
    article: dict[str, Any] = made["article"]
    return article


async def publish(server: Server, token: str, article: dict[str, Any]) -> dict[str, Any]:
    """Submit ``article`` (a draft), then publish it."""
    sent = await act(server, token, MOVE % "articleSubmit", id=article["id"], v=article["version"])
    article = sent["article"]
    done = await act(server, token, MOVE % "articlePublish", id=article["id"], v=article["version"])
    published: dict[str, Any] = done["article"]
    return published


class Subscriber:
    """A graphql-transport-ws client."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.next_id = 0

    async def subscribe(self, query: str, **variables: Any) -> str:
        self.next_id += 1
        ident = str(self.next_id)
        payload = {"query": query, "variables": variables}
        await self.socket.send(
            orjson.dumps({"id": ident, "type": "subscribe", "payload": payload}).decode()
        )
        return ident

    async def subscribe_document(self, document_id: str) -> str:
        """Subscribe with a registered document's id instead of its text."""
        self.next_id += 1
        ident = str(self.next_id)
        message = {"id": ident, "type": "subscribe", "payload": {"documentId": document_id}}
        await self.socket.send(orjson.dumps(message).decode())
        return ident

    async def message(self, within: float = 5.0) -> dict[str, Any]:
        """The next message other than a ping/pong."""
        while True:
            raw = await asyncio.wait_for(self.socket.recv(), within)
            message: dict[str, Any] = orjson.loads(raw)
            if message["type"] == "ping":
                await self.socket.send('{"type": "pong"}')
            elif message["type"] != "pong":
                return message

    async def errors(self, ident: str) -> list[dict[str, Any]]:
        """The errors answered to subscription ``ident``: an ``error`` message (refused
        before it ran), or a ``next`` with errors (refused when it started)."""
        message = await self.message()
        assert message["id"] == ident and message["type"] in {"error", "next"}, message
        payload = message["payload"]
        errors: list[dict[str, Any]] = payload if message["type"] == "error" else payload["errors"]
        assert errors, message
        return errors

    async def nothing(self, within: float) -> None:
        """No message arrives within ``within`` seconds."""
        with contextlib.suppress(TimeoutError):
            message = await self.message(within)
            raise AssertionError(f"unexpected message {message}")

    async def closed(self, within: float = 10.0) -> int | None:
        """Wait for the server to close the connection; its close code."""
        with contextlib.suppress(ConnectionClosed):
            while True:
                await asyncio.wait_for(self.socket.recv(), within)
        return self.socket.close_code


@contextlib.asynccontextmanager
async def subscriber(
    server: Server, payload: dict[str, Any] | None = None, ack: bool = True
) -> AsyncIterator[Subscriber]:
    """A connection to ``server`` initialised with ``payload`` (acknowledged when ``ack``)."""
    async with connect(server.ws, subprotocols=[PROTOCOL], open_timeout=10) as socket:  # type: ignore[list-item]
        client = Subscriber(socket)
        init: dict[str, Any] = {"type": "connection_init"}
        if payload is not None:
            init["payload"] = payload
        with contextlib.suppress(ConnectionClosed):  # closed at once: the caller looks why
            await socket.send(orjson.dumps(init).decode())
        if ack:
            message = await client.message()
            assert message["type"] == "connection_ack", message
        yield client
