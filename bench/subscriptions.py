"""1,000 concurrent GraphQL subscribers on one `gqlnews serve` process receive each publication:
time from the publishing mutation's answer (its commit is just before) to the last subscriber's
message, p50/p99 over several publications, and the server's memory per subscriber (RSS
before the subscribers connect and once they all subscribed).

    .venv/bin/python bench/subscriptions.py [--subscribers 1000] [--publications 20]

SQLite in a temporary folder, no Redis (the publishing process is the subscribers' process);
the subscribers run in this process, as asyncio WebSocket clients.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import orjson
from websockets.asyncio.client import ClientConnection, connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.live_support import PROTOCOL, SECTION, Server, act, draft, newsroom, publish

QUERY = "subscription { articlePublished { id title slug primarySection { slug } } }"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def _subscribe(url: str) -> ClientConnection:
    socket = await connect(url, subprotocols=[PROTOCOL], open_timeout=60, max_queue=None)  # type: ignore[list-item]
    await socket.send('{"type": "connection_init"}')
    ack = orjson.loads(await socket.recv())
    assert ack["type"] == "connection_ack", ack
    payload = {"query": QUERY}
    await socket.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": payload}).decode())
    return socket


async def _receive(socket: ClientConnection, title: str) -> float:
    while True:
        message = orjson.loads(await socket.recv())
        if message["type"] == "next":
            assert message["payload"]["data"]["articlePublished"]["title"] == title, message
            return time.monotonic()


async def main(subscribers: int, publications: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite://{folder}/bench.sqlite3"
        token = await newsroom(url)
        env = {"GQLNEWS_RATE_LIMIT_PER_MINUTE": "0", "GQLNEWS_TOKEN_RATE_LIMIT_PER_MINUTE": "0"}
        server = Server(url, env)
        await server.start()
        try:
            await act(server, token, SECTION, input={"name": "Monde", "slug": "monde"})
            # Warm the server up (schema, first queries) before measuring its memory.
            await publish(server, token, await draft(server, token, "Échauffement"))
            assert server.process is not None
            before = rss_kib(server.process.pid)
            sockets: list[ClientConnection] = []
            for start in range(0, subscribers, 100):
                batch = min(100, subscribers - start)
                sockets += await asyncio.gather(*(_subscribe(server.ws) for _ in range(batch)))
                print(f"{len(sockets)} subscribed", file=sys.stderr)
            await asyncio.sleep(2)  # every subscription registered with the feed
            after = rss_kib(server.process.pid)
            lasts, firsts, cpu = [], [], []
            for n in range(publications):
                title = f"Publication {n}"
                article = await draft(server, token, title)
                receiving = [asyncio.ensure_future(_receive(s, title)) for s in sockets]
                used = cpu_seconds(server.process.pid)
                await publish(server, token, article)
                answered = time.monotonic()
                times = await asyncio.wait_for(asyncio.gather(*receiving), 60)
                cpu.append(cpu_seconds(server.process.pid) - used)
                lasts.append((max(times) - answered) * 1000)
                firsts.append((min(times) - answered) * 1000)
            for socket in sockets:
                with contextlib.suppress(Exception):
                    await socket.close()
        finally:
            await server.stop()

    def pct(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    print(f"subscribers: {subscribers}, publications: {publications}")
    print(
        f"last delivery after the mutation's answer: p50 {statistics.median(lasts):.0f} ms, "
        f"p99 {pct(lasts, 0.99):.0f} ms, max {max(lasts):.0f} ms"
    )
    print(f"first delivery: p50 {statistics.median(firsts):.0f} ms")
    per = statistics.median(cpu) * 1000
    print(
        f"server CPU per publication (the mutation and every delivery): p50 {per:.0f} ms, "
        f"{per * 1000 / subscribers:.0f} µs per subscriber"
    )
    print(
        f"server RSS: {before / 1024:.1f} MiB before, {after / 1024:.1f} MiB with the "
        f"subscribers: {(after - before) / subscribers:.1f} KiB per subscriber"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--publications", type=int, default=20)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.subscribers, arguments.publications))
