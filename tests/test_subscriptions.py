"""GraphQL subscriptions over a WebSocket, against one real `gqlnews serve` process without
Redis (the embedded default: events reach the subscribers of the process that wrote them):
what each viewer receives, staff tokens, the limits and close codes, and 1001 at shutdown."""

from __future__ import annotations

import asyncio
import base64
import os
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.helpers import run_gqlnews, scratch_database_url
from tests.live_support import (
    EMBARGO,
    MOVE,
    PROTOCOL,
    SECTION,
    Server,
    act,
    draft,
    newsroom,
    publish,
    serving,
    subscriber,
)

PUBLISHED = "subscription($f: ArticlePublishedFilter) { articlePublished(filter: $f) { id title } }"
CHANGED = "subscription($id: ID!) { articleChanged(id: $id) { kind articleId article { title } } }"
NEWSROOM = "subscription { newsroomEvents { kind articleId reasons article { title } } }"


@pytest_asyncio.fixture
async def site() -> AsyncIterator[tuple[Server, str]]:
    """A server (scheduler every second, at most 2 subscriptions per connection and 3
    connections) with sections monde and sport; and an editor's token."""
    async with scratch_database_url() as url:
        token = await newsroom(url)
        env = {
            "GQLNEWS_SCHEDULER_INTERVAL": "1",
            "GQLNEWS_SUBSCRIPTIONS_PER_CONNECTION": "2",
            "GQLNEWS_SUBSCRIPTIONS_MAX_CONNECTIONS": "3",
            "GQLNEWS_SUBSCRIPTIONS_POLL_SECONDS": "600",
        }
        async with serving(url, env) as server:
            for name in ("Monde", "Sport"):
                await act(server, token, SECTION, input={"name": name, "slug": name.lower()})
            yield server, token


def _title(message: dict[str, Any]) -> str:
    assert message["type"] == "next", message
    data: dict[str, Any] = message["payload"]["data"]
    title: str = next(iter(data.values()))["title"]
    return title


async def test_anonymous_subscribers_get_what_becomes_public_and_nothing_else(
    site: tuple[Server, str],
) -> None:
    server, token = site
    async with subscriber(server) as anyone, subscriber(server) as sport_only:
        await anyone.subscribe(PUBLISHED)
        await sport_only.subscribe(PUBLISHED, f={"sections": ["sport"]})
        await asyncio.sleep(0.2)  # the subscriptions are registered (no event to wait for)
        secret = await draft(server, token, "Brouillon secret")
        await act(server, token, MOVE % "articleSubmit", id=secret["id"], v=secret["version"])
        embargoed = await draft(server, token, "Sous embargo")
        until = (datetime.now(UTC) + timedelta(seconds=3)).isoformat()
        embargoed = (
            await act(
                server, token, EMBARGO, id=embargoed["id"], v=embargoed["version"], until=until
            )
        )["article"]
        await publish(server, token, embargoed)
        await publish(server, token, await draft(server, token, "Tout de suite"))
        assert _title(await anyone.message()) == "Tout de suite"
        # Nothing before the embargo lifts; then the scheduler releases it.
        assert _title(await anyone.message(within=10)) == "Sous embargo"
        await anyone.nothing(within=0.5)
        await publish(server, token, await draft(server, token, "Match", section="sport"))
        assert _title(await anyone.message()) == "Match"
        assert _title(await sport_only.message()) == "Match"
        await sport_only.nothing(within=0.5)


async def test_article_changed_follows_one_article_until_it_is_hidden(
    site: tuple[Server, str],
) -> None:
    server, token = site
    article = await publish(server, token, await draft(server, token, "Première version"))
    hidden = await draft(server, token, "Jamais public")
    async with subscriber(server) as reader:
        await reader.subscribe(CHANGED, id=article["id"])
        await reader.subscribe(CHANGED, id=hidden["id"])
        await asyncio.sleep(0.2)
        await act(server, token, MOVE % "articleSubmit", id=hidden["id"], v=hidden["version"])
        await act(server, token, MOVE % "articleUnpublish", id=article["id"], v=article["version"])
        message = await reader.message()
        assert message["payload"]["data"]["articleChanged"] == {
            "kind": "UNPUBLISHED",
            "articleId": article["id"],
            "article": None,
        }
        await reader.nothing(within=0.5)


async def test_staff_follow_newsroom_events_with_a_token(site: tuple[Server, str]) -> None:
    server, token = site
    async with (
        subscriber(server, {"Authorization": f"Bearer {token}"}) as desk,
        subscriber(server) as anonymous,
    ):
        refused = await anonymous.errors(await anonymous.subscribe(NEWSROOM))
        assert refused[0]["extensions"]["code"] == "UNAUTHENTICATED"
        await desk.subscribe(NEWSROOM)
        await asyncio.sleep(0.2)
        await publish(server, token, await draft(server, token, "Pour la rédaction"))
        message = await desk.message()
        assert message["payload"]["data"]["newsroomEvents"]["kind"] == "PUBLISHED"


@pytest.mark.parametrize(
    "payload", [{"Authorization": "Bearer not-a-token"}, {"token": "nope"}, {"token": 7}]
)
async def test_a_bad_token_closes_the_connection_with_4403(
    site: tuple[Server, str], payload: dict[str, Any]
) -> None:
    server, _token = site
    async with subscriber(server, payload, ack=False) as client:
        assert await client.closed() == 4403


async def test_limits_per_connection_and_per_process(site: tuple[Server, str]) -> None:
    server, _token = site
    async with subscriber(server) as client:
        await client.subscribe(PUBLISHED)
        await client.subscribe(PUBLISHED)
        refused = await client.errors(await client.subscribe(PUBLISHED))
        assert refused[0]["message"] == "Subscription limit reached", refused
        refused = await client.errors(await client.subscribe("{ __typename }"))
        assert refused[0]["extensions"]["code"] == "OPERATION_NOT_SUPPORTED"
    async with subscriber(server) as one, subscriber(server), subscriber(server):
        async with subscriber(server, ack=False) as fourth:
            assert await fourth.closed() == 1013
        await one.subscribe(PUBLISHED)  # the first three stay open
        await one.nothing(within=0.2)


async def test_subscription_documents_meet_the_query_limits(site: tuple[Server, str]) -> None:
    server, _token = site
    deep = "subscription { articlePublished { %s } }" % (
        "section: primarySection { parent { " * 12 + "slug" + " } }" * 12
    )
    unknown = 'subscription { articlePublished(filter: {sections: ["nope"]}) { id } }'
    async with subscriber(server) as client:
        refused = await client.errors(await client.subscribe(deep))
        assert "depth" in refused[0]["message"], refused
        refused = await client.errors(await client.subscribe(unknown))
        assert refused[0]["extensions"]["code"] == "BAD_USER_INPUT", refused


async def test_stopping_the_server_closes_sockets_with_1001() -> None:
    async with scratch_database_url() as url:
        await newsroom(url)
        server = Server(url, {})
        await server.start()
        try:
            async with subscriber(server) as client:
                await client.subscribe(PUBLISHED)
                await client.nothing(within=0.2)
                assert server.process is not None
                server.process.terminate()
                assert await client.closed() == 1001
        finally:
            errors = await server.stop()
        assert not errors, errors


async def test_registered_documents_only_applies_to_subscriptions_too(tmp_path: Path) -> None:
    document = tmp_path / "live.graphql"
    document.write_text(PUBLISHED)
    async with scratch_database_url() as url:
        token = await newsroom(url)
        added = await asyncio.to_thread(
            run_gqlnews, "--database-url", url, "documents", "add", str(document)
        )
        assert added.returncode == 0, added.stderr
        document_id = added.stdout.split()[0]
        async with (
            serving(url, {"GQLNEWS_DOCUMENTS": "registered"}) as server,
            subscriber(server) as reader,
            subscriber(server, {"token": token}) as desk,
        ):
            refused = await reader.errors(await reader.subscribe(PUBLISHED))
            assert refused[0]["extensions"]["code"] == "PERSISTED_DOCUMENT_REQUIRED"
            await reader.subscribe_document(document_id)
            await desk.subscribe(PUBLISHED)  # staff may send any text
            await asyncio.sleep(0.2)
            await act(server, token, SECTION, input={"name": "Monde", "slug": "monde"})
            await publish(server, token, await draft(server, token, "Enregistré"))
            assert _title(await reader.message()) == "Enregistré"
            assert _title(await desk.message()) == "Enregistré"


async def test_a_page_of_another_origin_needs_cors_to_open_a_socket() -> None:
    async with scratch_database_url() as url:
        await newsroom(url)
        env = {"GQLNEWS_CORS_ORIGINS": "https://site.example"}
        async with serving(url, env) as server:
            with pytest.raises(InvalidStatus) as refused:
                async with connect(
                    server.ws, subprotocols=[PROTOCOL], origin="https://evil.example"
                ):  # type: ignore[list-item]
                    pass
            assert refused.value.response.status_code == 403
            async with connect(
                server.ws, subprotocols=[PROTOCOL], origin="https://site.example"
            ) as socket:  # type: ignore[list-item]
                assert socket.subprotocol == PROTOCOL


async def test_the_python_example_prints_a_publication(site: tuple[Server, str]) -> None:
    server, token = site
    example = Path(__file__).resolve().parent.parent / "examples" / "subscribe.py"
    follower = await asyncio.create_subprocess_exec(
        sys.executable,
        str(example),
        server.ws,
        "--section",
        "monde",
        "--count",
        "1",
        stdout=asyncio.subprocess.PIPE,
    )
    assert follower.stdout is not None
    assert b"subscribed" in await asyncio.wait_for(follower.stdout.readline(), 30)
    await asyncio.sleep(0.2)
    await publish(server, token, await draft(server, token, "Vu par l'exemple"))
    out, _ = await asyncio.wait_for(follower.communicate(), 30)
    assert follower.returncode == 0
    assert "Vu par l'exemple" in out.decode(), out


async def test_a_client_that_does_not_answer_pings_is_disconnected() -> None:
    """The server pings every GQLNEWS_SUBSCRIPTIONS_PING_SECONDS; a raw client that never
    answers gets a ping frame, then a close frame with 1011."""
    async with scratch_database_url() as url:
        await newsroom(url)
        async with serving(url, {"GQLNEWS_SUBSCRIPTIONS_PING_SECONDS": "1"}) as server:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            key = base64.b64encode(os.urandom(16)).decode()
            writer.write(
                (
                    f"GET /graphql HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                    f"Sec-WebSocket-Protocol: {PROTOCOL}\r\n\r\n"
                ).encode()
            )
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            assert head.startswith(b"HTTP/1.1 101"), head
            opcodes = []
            while not opcodes or opcodes[-1] != 0x8:
                first, length = await asyncio.wait_for(reader.readexactly(2), 10)
                payload = await reader.readexactly(length & 0x7F)
                opcodes.append(first & 0x0F)
            writer.close()
            assert 0x9 in opcodes, opcodes  # a ping
            assert int.from_bytes(payload[:2], "big") == 1011
