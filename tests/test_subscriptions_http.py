"""A subscription sent over HTTP is refused with a clear error (they run over a WebSocket),
whatever the method; a document that only mentions the word runs as usual."""

from __future__ import annotations

import httpx
import pytest

SUBSCRIPTION = "subscription Live { articlePublished { id } }"


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_subscription_over_http_is_refused(client: httpx.AsyncClient, method: str) -> None:
    if method == "GET":
        answer = await client.get("/graphql", params={"query": SUBSCRIPTION})
    else:
        answer = await client.post("/graphql", json={"query": SUBSCRIPTION})
    assert answer.status_code == 400, answer.text
    error = answer.json()["errors"][0]
    assert error["extensions"]["code"] == "OPERATION_NOT_SUPPORTED"
    assert "WebSocket" in error["message"]


async def test_a_query_naming_a_subscription_field_in_a_string_still_runs(
    client: httpx.AsyncClient,
) -> None:
    query = '{ search(query: "subscription", first: 1) { nodes { id } } }'
    answer = await client.post("/graphql", json={"query": query})
    assert answer.status_code == 200, answer.text
    assert "errors" not in answer.json(), answer.text
