"""Validation is bounded: fragment fan-out and overlapping fields are refused in milliseconds.

Issue #11, item 1: about 700 bytes of fragments that each spread the next one twice took 19 s
to validate at 20 levels (Strawberry's depth and alias limiters walked every expansion), and
renaming the fragments defeated the validation cache.
"""

from __future__ import annotations

import time

import httpx
import pytest
from graphql import parse

from gqlnews.graphql.validation_bound import CEILING, QUERY_TOO_COMPLEX, _Measurer, measure
from tests.helpers import gql, gql_data

# Wide margins: the old code took 3 s at 17 levels and 19 s at 20; the new one a few ms.
FAST = 0.75
SLOWER = 1.5  # documents of 4,000 tokens: parsing and the linear rules take ~0.1-0.3 s loaded


def fan_out(levels: int, prefix: str = "F", field: str = "title") -> str:
    """``levels`` fragments, each spreading the next one twice (about 700 bytes at 20)."""
    parts = [f"query {{ articles(first: 1) {{ nodes {{ ...{prefix}0 }} }} }}"]
    for i in range(levels):
        spreads = f"...{prefix}{i + 1} ...{prefix}{i + 1}" if i + 1 < levels else field
        parts.append(f"fragment {prefix}{i} on Article {{ id {spreads} }}")
    return "\n".join(parts)


def test_the_expanded_size_is_computed_with_each_fragment_measured_once() -> None:
    document = parse(fan_out(20))
    measurer = _Measurer(
        {d.name.value: d for d in document.definitions if hasattr(d, "type_condition")}
    )
    fields, _aliases, _depth = measurer.fragment("F0")
    assert measurer.fragment_visits == 20  # not 2**20
    # F19 holds 2 fields; each level above holds 1 + twice the next.
    expected = 2
    for _ in range(19):
        expected = 1 + 2 * expected
    assert fields == expected
    started = time.perf_counter()
    shape = measure(parse(fan_out(30)))
    assert time.perf_counter() - started < FAST
    assert shape.fields > 2**30


def test_cyclic_and_unknown_fragments_do_not_hang_the_measure() -> None:
    cyclic = parse(
        "{ articles { nodes { ...A } } } fragment A on Article { ...B } "
        "fragment B on Article { ...A title }"
    )
    assert measure(cyclic).fields == 3  # articles, nodes, title: the cycle counts nothing
    assert measure(parse("{ articles { nodes { ...Missing } } }")).fields == 2


@pytest.mark.parametrize("prefix", ["F", "Renamed", "X"])
async def test_fragment_fan_out_is_refused_quickly_whatever_the_names(
    client: httpx.AsyncClient, prefix: str
) -> None:
    document = fan_out(20, prefix)
    assert len(document) < 1500
    started = time.perf_counter()
    body = await gql(client, document)
    elapsed = time.perf_counter() - started
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == QUERY_TOO_COMPLEX
    assert error["extensions"]["maximum"] == 5000
    assert error["extensions"]["fields"] > 2**20
    assert elapsed < FAST, f"{elapsed:.2f} s"


async def test_a_fan_out_of_a_hundred_levels_is_refused_with_a_finite_count(
    client: httpx.AsyncClient,
) -> None:
    """2**100 selections would not fit the JSON of the error: counts stop at a ceiling."""
    started = time.perf_counter()
    body = await gql(client, fan_out(100))
    assert time.perf_counter() - started < FAST
    assert body["errors"][0]["extensions"]["code"] == QUERY_TOO_COMPLEX
    assert body["errors"][0]["extensions"]["fields"] == CEILING


async def test_a_fan_out_within_the_bound_still_runs(client: httpx.AsyncClient) -> None:
    data = await gql_data(client, fan_out(8))
    assert len(data["articles"]["nodes"]) == 1


async def test_overlapping_fields_are_refused_quickly(client: httpx.AsyncClient) -> None:
    """Within the token limit, 1,000 copies of a field with a selection made graphql-core's
    overlap rule spend about a second; its budget is now a few milliseconds' worth."""
    cases = [
        "{ articles(first: 1) { nodes { " + "primarySection { name } " * 1000 + "} } }",
        "{ articles(first: 1) { nodes { "
        + " ".join(f"...A{i}" for i in range(350))
        + " } } } "
        + " ".join(f"fragment A{i} on Article {{ primarySection {{ name }} }}" for i in range(350)),
    ]
    for document in cases:
        started = time.perf_counter()
        body = await gql(client, document)
        elapsed = time.perf_counter() - started
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == QUERY_TOO_COMPLEX
        assert elapsed < SLOWER, f"{elapsed:.2f} s"


async def test_a_document_nested_beyond_measure_is_refused(client: httpx.AsyncClient) -> None:
    chain = " ".join(f"fragment C{i} on Article {{ ...C{i + 1} }}" for i in range(600))
    document = "{ articles(first: 1) { nodes { ...C0 } } } " + chain
    document += " fragment C600 on Article { title }"
    body = await gql(client, document)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == QUERY_TOO_COMPLEX


async def test_depth_and_alias_limits_count_fragments_once_each(
    client: httpx.AsyncClient,
) -> None:
    # An alias in a fragment spread twice counts twice, as before; depth follows fragments.
    aliased = (
        "{ articles(first: 1) { nodes { ...A ...A } } } fragment A on Article { "
        + " ".join(f"t{i}: title" for i in range(16))
        + " }"
    )
    body = await gql(client, aliased)
    assert "32 aliases found. Allowed: 30" in body["errors"][0]["message"]
    deep = (
        "{ sections { ...S } } fragment S on Section { "
        + "children { " * 12
        + "slug"
        + " }" * 12
        + " }"
    )
    body = await gql(client, deep)
    assert "exceeds maximum operation depth of 12" in body["errors"][0]["message"]
