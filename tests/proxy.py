"""A TCP proxy the tests can cut and restore, to take a real dependency away and bring it back."""

from __future__ import annotations

import asyncio
import contextlib


class CuttableProxy:
    """Forwards 127.0.0.1:<port> to ``target``: ``cut()`` drops every connection and answers
    new ones by closing them at once (the dependency is gone), ``restore()`` forwards again,
    ``close()`` stops listening.

    The proxy keeps listening while cut. Closing the listening socket instead raced with the
    event loop: a connection it had accepted just before could get its transport but never its
    handler, and was left for the garbage collector (a ResourceWarning, a failed test)."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._cut = False
        self._cuts = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        self._cut = True
        self._cuts += 1  # a connection still being set up when cut is dropped too
        writers = list(self._writers)
        self._writers.clear()
        await _closed(*writers)

    async def restore(self) -> None:
        self._cut = False

    async def close(self) -> None:
        """Cut, then stop listening (the end of a test)."""
        await self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        cuts = self._cuts
        if self._cut:
            await _closed(writer)
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            await _closed(writer)
            return
        if cuts != self._cuts:  # cut while this connection was reaching the target
            await _closed(writer, up_writer)
            return
        self._writers.update({writer, up_writer})

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            await _closed(dst)

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._writers.difference_update({writer, up_writer})


async def _closed(*writers: asyncio.StreamWriter) -> None:
    """Close ``writers`` and wait until their sockets are closed."""
    for writer in writers:
        writer.close()
    for writer in writers:
        with contextlib.suppress(Exception):
            await writer.wait_closed()
