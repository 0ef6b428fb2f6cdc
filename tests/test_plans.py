"""Plans answer exactly as execution: every example page, registered documents and generated
documents, anonymously and as staff, compared byte for byte (errors included)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from gqlnews.documents import document_hash
from gqlnews.observability import metrics
from tests.account_factories import bearer, staff_token
from tests.plan_documents import generate

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "queries"


def _planned_count(outcome: str) -> float:
    return metrics.GRAPHQL_PLANS.labels(outcome)._value.get()  # type: ignore[attr-defined,no-any-return]


async def both_ways(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
) -> tuple[bytes, bytes]:
    """The answer of ``query`` executed (sent as text) and as a plan (sent with its APQ hash),
    bodies as sent."""
    body: dict[str, Any] = {"query": query, "variables": variables or {}}
    executed = await client.post("/graphql", json=body, headers=bearer(token))
    apq = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(query)}}
    planned = await client.post("/graphql", json={**body, "extensions": apq}, headers=bearer(token))
    assert executed.status_code == planned.status_code
    return executed.content, planned.content


def _examples() -> list[str]:
    return sorted(p.stem for p in EXAMPLES.glob("*.graphql"))


@pytest.mark.parametrize("name", _examples())
@pytest.mark.parametrize("staff", [False, True], ids=["anonymous", "staff"])
async def test_example_pages_answer_the_same_planned(
    client: httpx.AsyncClient, name: str, staff: bool
) -> None:
    query = (EXAMPLES / f"{name}.graphql").read_text(encoding="utf-8")
    path = EXAMPLES / f"{name}.variables.json"
    variables = json.loads(path.read_text()) if path.exists() else {}
    token = (await staff_token())[1] if staff else None
    before = _planned_count("planned")
    executed, planned = await both_ways(client, query, variables, token)
    assert planned == executed
    assert _planned_count("planned") == before + 1  # it did run as a plan
    assert json.loads(planned).get("data")


GENERATED = 500


async def test_generated_documents_answer_the_same_planned(
    client: httpx.AsyncClient, app: Any
) -> None:
    """500 generated documents (seeded: the same ones on every run), each anonymously and as
    an editor: byte-identical answers, errors included, and most of them planned."""
    schema = app.state.schema._schema
    _user, token = await staff_token()
    before, fell_back = _planned_count("planned"), _planned_count("fallback")
    differing = []
    for seed in range(GENERATED):
        query, variables = generate(schema, seed)
        for viewer in (None, token):
            executed, planned = await both_ways(client, query, variables, viewer)
            if executed != planned:
                differing.append((seed, viewer is not None, query, executed, planned))
    assert not differing, differing[:2]
    # Both ways are exercised: whole plans, and plans handed back to execution by an error
    # (arguments out of range); the other runs were refused before execution (cost, limits).
    planned = _planned_count("planned") - before
    handed_back = _planned_count("fallback") - fell_back
    assert planned >= 400 and handed_back >= 50, (planned, handed_back)
