"""The webhook mutations and queries: admins only (editors FORBIDDEN, anonymous callers
UNAUTHENTICATED, with extensions.code), typed errors for bad input, the secret shown once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
import pytest_asyncio

from gqlnews.models import UserRole, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from gqlnews.testing import count_queries
from tests.account_factories import data_as, post, staff_token

CREATE = """
mutation Create($input: WebhookEndpointInput!) {
  webhookEndpointCreate(input: $input) {
    secret
    endpoint { id url events sections enabled disabledReason description }
    errors { field code message }
  }
}
"""
LIST = "{ webhookEndpoints { id url events sections enabled } }"
DELIVERIES = """
query D($id: Int!) {
  webhookDeliveries(endpointId: $id) { eventId status attempts { statusCode error } }
}
"""
DELETE = "mutation D($id: Int!) { webhookEndpointDelete(id: $id) { errors { field code } } }"
STATEMENTS = 4
PUBLIC_URL = "https://93.184.216.34/gqlnews/hooks"
"""A global address (no name to resolve): registered as a partner's would be."""


@pytest_asyncio.fixture
async def admin(demo: object) -> AsyncIterator[str]:
    last = await WebhookEndpoint.all().order_by("-id").first().values_list("id", flat=True)
    _, token = await staff_token(UserRole.ADMIN)
    try:
        yield token
    finally:
        await WebhookEndpoint.filter(id__gt=last or 0).delete()


async def test_an_admin_registers_lists_and_removes_an_endpoint(
    client: httpx.AsyncClient, admin: str
) -> None:
    data = await data_as(
        client,
        admin,
        CREATE,
        {"input": {"url": PUBLIC_URL, "events": ["PUBLISHED", "released"], "sections": ["monde"]}},
    )
    created = data["webhookEndpointCreate"]
    assert created["errors"] == []
    assert created["secret"].startswith("whsec_")
    endpoint = created["endpoint"]
    assert endpoint == {
        "id": endpoint["id"],
        "url": PUBLIC_URL,
        "events": ["published", "released"],
        "sections": ["monde"],
        "enabled": True,
        "disabledReason": None,
        "description": "",
    }
    listed = (await data_as(client, admin, LIST))["webhookEndpoints"]
    assert endpoint["id"] in [e["id"] for e in listed]
    deliveries = await data_as(client, admin, DELIVERIES, {"id": endpoint["id"]})
    assert deliveries == {"webhookDeliveries": []}
    removed = await data_as(client, admin, DELETE, {"id": endpoint["id"]})
    assert removed == {"webhookEndpointDelete": {"errors": []}}
    again = await data_as(client, admin, DELETE, {"id": endpoint["id"]})
    assert again["webhookEndpointDelete"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]


async def test_bad_input_answers_typed_errors(client: httpx.AsyncClient, admin: str) -> None:
    data = await data_as(
        client,
        admin,
        CREATE,
        {
            "input": {
                "url": "http://169.254.169.254/latest",
                "events": ["printed"],
                "sections": ["nulle-part"],
            }
        },
    )
    created = data["webhookEndpointCreate"]
    assert created["secret"] is None and created["endpoint"] is None
    assert [(e["field"], e["code"]) for e in created["errors"]] == [
        ("events", "INVALID"),
        ("url", "INVALID"),
        ("sections", "NOT_FOUND"),
    ]
    assert "link-local" in created["errors"][1]["message"]
    assert await WebhookEndpoint.filter(url="http://169.254.169.254/latest").count() == 0


@pytest.mark.parametrize(
    ("role", "code"), [(None, "UNAUTHENTICATED"), (UserRole.EDITOR, "FORBIDDEN")]
)
async def test_only_admins_may_see_or_change_webhooks(
    client: httpx.AsyncClient, demo: object, role: UserRole | None, code: str
) -> None:
    token = (await staff_token(role))[1] if role is not None else None
    for document, variables in (
        (LIST, {}),
        (DELIVERIES, {"id": 1}),
        (CREATE, {"input": {"url": PUBLIC_URL}}),
        (DELETE, {"id": 1}),
        ("mutation { webhookEndpointEnable(id: 1) { errors { code } } }", {}),
    ):
        body = (await post(client, document, variables, token)).json()
        assert body["data"] is None, body
        assert [e["extensions"]["code"] for e in body["errors"]] == [code]


async def test_deliveries_and_their_attempts_are_read_in_constant_statements(
    client: httpx.AsyncClient, admin: str
) -> None:
    created = await data_as(client, admin, CREATE, {"input": {"url": PUBLIC_URL}})
    endpoint_id = created["webhookEndpointCreate"]["endpoint"]["id"]
    now = datetime.now(UTC)
    for event_id in (1, 2, 3):
        delivery = await WebhookDelivery.create(
            endpoint_id=endpoint_id,
            event_id=event_id,
            event_kind="published",
            article_id=1,
            body="{}",
            created_at=now,
            next_attempt_at=now,
            attempts=2,
        )
        for number, code in ((1, 500), (2, 503)):
            await WebhookAttempt.create(
                delivery=delivery, number=number, at=now, status_code=code, duration_ms=3
            )
    with count_queries() as counted:
        data = await data_as(client, admin, DELIVERIES, {"id": endpoint_id})
    rows = data["webhookDeliveries"]
    assert [r["eventId"] for r in rows] == [3, 2, 1]
    assert [a["statusCode"] for a in rows[0]["attempts"]] == [500, 503]
    # The token, the endpoint, the deliveries, their attempts: whatever their number.
    assert counted.count == STATEMENTS, counted.statements
