"""Print each article gqlnews publishes, as it goes public (GraphQL subscription over a WebSocket).

    .venv/bin/python examples/subscribe.py [ws://127.0.0.1:8000/graphql] [--token TOKEN] [--count N]

Against `make demo`, publish something (GraphiQL, or `articlePublish` over HTTP) and watch it
arrive. Uses the `websockets` package (installed with gqlnews).
"""

from __future__ import annotations

import argparse
import asyncio
import json

from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

QUERY = """subscription Live($sections: [String!]) {
  articlePublished(filter: {sections: $sections}) { id title url publishedAt }
}"""


async def follow(url: str, token: str | None, sections: list[str] | None, count: int) -> None:
    async with connect(url, subprotocols=[Subprotocol("graphql-transport-ws")]) as socket:
        init: dict[str, object] = {"type": "connection_init"}
        if token:
            init["payload"] = {"Authorization": f"Bearer {token}"}
        await socket.send(json.dumps(init))
        ack = json.loads(await socket.recv())
        assert ack["type"] == "connection_ack", ack
        payload = {"query": QUERY, "variables": {"sections": sections}}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        print("subscribed; waiting for publications", flush=True)
        received = 0
        async for raw in socket:
            message = json.loads(raw)
            if message["type"] == "ping":
                await socket.send(json.dumps({"type": "pong"}))
            elif message["type"] == "next":
                print(json.dumps(message["payload"], ensure_ascii=False), flush=True)
                received += 1
                if received == count:
                    return
            elif message["type"] in {"error", "complete"}:
                print(json.dumps(message, ensure_ascii=False))
                return


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", default="ws://127.0.0.1:8000/graphql")
    parser.add_argument("--token", help="a staff API token (optional)")
    parser.add_argument("--section", action="append", help="only these sections (slugs)")
    parser.add_argument("--count", type=int, default=0, help="stop after N (0: never)")
    arguments = parser.parse_args()
    asyncio.run(follow(arguments.url, arguments.token, arguments.section, arguments.count))
