"""The response cache's parts on their own: the in-process tier, request keys, the keys of a
list, surrogate headers and lifetimes."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from starlette.requests import Request

from gqlnews.cache import deps
from gqlnews.cache.entry import Entry
from gqlnews.cache.local import LocalTier
from gqlnews.cache.transitions import bounded
from gqlnews.graphql.cache_key import request_key
from gqlnews.graphql.criteria import ArticleCriteria, cache_keys
from gqlnews.graphql.http_cache import MAX_SURROGATE_BYTES, surrogate_headers
from gqlnews.models import Genre

QUERY = "query Q($slug: String!) { article(slug: $slug) { slug } }"
DIGEST = hashlib.sha256(QUERY.encode()).hexdigest()


def entry(size: int, *keys: str, expires: float = 10**12) -> Entry:
    return Entry(b"x" * size, '"e"', tuple(sorted(keys)), expires)


def test_the_local_tier_evicts_the_least_recently_used_beyond_its_bytes() -> None:
    size = entry(1000, "Article:a").size
    tier = LocalTier(max_bytes=3 * size)
    for name in "abc":
        tier.put(name, entry(1000, f"Article:{name}"))
    assert tier.get("a", now=0) is not None  # a is now the most recently used
    tier.put("d", entry(1000, "Article:d"))
    assert tier.get("b", now=0) is None and tier.counts.evictions == 1
    assert {k for k in "acd" if tier.get(k, now=0)} == set("acd")
    assert tier.bytes == 3 * size
    tier.put("huge", entry(10_000))
    assert tier.get("huge", now=0) is None, "bigger than the whole tier: not stored"


def test_a_purge_drops_only_the_entries_that_carry_a_key() -> None:
    tier = LocalTier(max_bytes=10**6)
    tier.put("front", entry(10, "Article:list", "Article:1", "Article:2"))
    tier.put("page1", entry(10, "Article:1", "Article:slug:one"))
    tier.put("page2", entry(10, "Article:2"))
    assert tier.purge({"Article:1", "Tag:9"}) == 2
    assert tier.get("page2", now=0) is not None
    assert tier.get("front", now=0) is None and tier.get("page1", now=0) is None
    assert tier.purge({"*"}) == 1 and len(tier) == 0 and tier.bytes == 0


def test_an_expired_entry_is_not_served() -> None:
    tier = LocalTier(max_bytes=10**6)
    tier.put("a", entry(10, "k", expires=100.0))
    assert tier.get("a", now=99.9) is not None
    assert tier.get("a", now=100.0) is None and len(tier) == 0


def test_an_entry_survives_the_trip_through_redis_bytes() -> None:
    original = Entry('{"data":{"é":1}}'.encode(), '"tag"', ("Article:1", "Tag:2"), 123.5)
    assert Entry.loads(original.dumps()) == original


def _request(method: str, *, params: str = "", body: object = None, **headers: str) -> Request:
    raw = orjson.dumps(body) if body is not None else b""
    sent = {"content-type": "application/json", **headers}
    scope = {
        "type": "http",
        "method": method,
        "path": "/graphql",
        "query_string": params.encode(),
        "headers": [(k.encode(), v.encode()) for k, v in sent.items()],
    }

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": raw, "more_body": False}

    return Request(scope, receive)


async def test_text_documentid_and_apq_name_the_same_answer() -> None:
    from urllib.parse import urlencode

    variables = {"slug": "x", "z": 1}
    reordered = '{"z": 1, "slug": "x"}'
    by_text = await request_key(
        _request("POST", body={"query": QUERY, "variables": variables}), "any"
    )
    by_get = await request_key(
        _request("GET", params=urlencode({"query": QUERY, "variables": reordered})), "any"
    )
    by_id = await request_key(
        _request("POST", body={"documentId": f"sha256:{DIGEST}", "variables": variables}), "any"
    )
    apq = {"persistedQuery": {"version": 1, "sha256Hash": DIGEST}}
    by_apq = await request_key(
        _request("POST", body={"extensions": apq, "variables": variables}), "any"
    )
    keys = {k.cache_key for k in (by_text, by_get, by_id, by_apq) if k is not None}
    assert len(keys) == 1
    other = await request_key(
        _request("POST", body={"query": QUERY, "variables": {"slug": "y"}}), "any"
    )
    assert other is not None and other.cache_key not in keys


@pytest.mark.parametrize(
    ("method", "body", "headers", "policy"),
    [
        ("POST", {"query": QUERY}, {"authorization": "Bearer abc"}, "any"),  # staff
        ("POST", [{"query": QUERY}], {}, "any"),  # a batch
        ("POST", {"query": QUERY, "variables": [1]}, {}, "any"),
        ("POST", {"query": QUERY}, {}, "registered"),  # text under registered: refused later
        (
            "POST",  # a hash that is not the text's: refused later
            {
                "query": QUERY,
                "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}},
            },
            {},
            "any",
        ),
        ("POST", {"documentId": "md5:abc"}, {}, "any"),
        ("POST", {}, {}, "any"),
    ],
)
async def test_requests_the_cache_must_not_answer_get_no_key(
    method: str, body: object, headers: dict[str, str], policy: str
) -> None:
    assert await request_key(_request(method, body=body, **headers), policy) is None


async def test_a_named_document_has_a_key_under_registered() -> None:
    named = await request_key(
        _request("POST", body={"documentId": f"sha256:{DIGEST}"}), "registered"
    )
    assert named is not None and named.named and named.digest == DIGEST


def test_list_keys_name_what_restricts_a_list() -> None:
    assert cache_keys(ArticleCriteria()) == ["Article:list"]
    assert cache_keys(ArticleCriteria(languages=("ar",))) == ["Article:list"]
    editorials = ArticleCriteria(genres=(Genre.EDITORIAL,), languages=("fr",))
    assert cache_keys(editorials) == ["Article:genre:editorial"]
    assert cache_keys(ArticleCriteria(section_tree_ids=(3,))) == [
        "Section:3:articles",
        "Section:list",
    ]
    assert set(cache_keys(ArticleCriteria(tag_slugs=("maroc",), author_ids=(7,)))) == {
        "Tag:slug:maroc:articles",
        "Tag:list",
        "Author:7:articles",
    }
    assert set(cache_keys(ArticleCriteria(edition_number=12))) == {
        "Edition:number:12",
        "Edition:list",
    }


def test_surrogate_headers_put_lists_first_and_stay_bounded() -> None:
    keys = (*(f"Article:{n}" for n in range(3000)), "Article:list", "Section:2:articles")
    headers = dict(surrogate_headers(tuple(sorted(keys))))
    listed = headers["surrogate-key"].split(" ")
    assert listed[:2] == ["Article:list", "Section:2:articles"]
    assert len(headers["surrogate-key"]) <= MAX_SURROGATE_BYTES
    assert headers["cache-tag"] == ",".join(listed)


def test_lifetimes_stop_at_the_next_transition() -> None:
    now = datetime(2026, 12, 5, tzinfo=UTC)
    assert bounded(now, 300, None) == 300
    assert bounded(now, 300, now + timedelta(seconds=12.5)) == 12.5
    assert bounded(now, 300, now - timedelta(seconds=1)) == 0


def test_dependencies_are_recorded_only_inside_a_request() -> None:
    deps.depends_on("Article:1")  # outside: nothing to record, nothing fails
    with deps.collecting() as collected:
        deps.depends_on("Article:1", "Tag:2")
        deps.max_age(60)
        deps.max_age(90)
    assert collected.keys == {"Article:1", "Tag:2"} and collected.max_age == 60
    assert deps.current() is None


def test_the_index_stays_right_after_answers_come_and_go() -> None:
    tier = LocalTier(max_bytes=50 * entry(10, "Article:0", "Article:list").size)
    tier.put("a", entry(10, "Article:1"))
    assert tier.purge({"Article:1"}) == 1
    tier.put("a", entry(10, "Article:2"))  # the same request, answered again
    assert tier.purge({"Article:1"}) == 0, "its old key no longer names it"
    assert tier.purge({"Article:2"}) == 1
    for n in range(20_000):  # answers evicted by the thousand leave stale index entries
        tier.put(f"page{n}", entry(10, f"Article:{n}", "Article:list"))
    held = len(tier)
    assert 40 <= held <= 50
    assert tier._indexed <= 3 * tier._live + 10_000, "the index is compacted"
    assert tier.purge({"Article:list"}) == held and tier.bytes == 0
