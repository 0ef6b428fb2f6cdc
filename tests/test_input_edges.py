"""A client's malformed request is a clear 4xx or a GraphQL error with a code, never a 500:
bodies that are not one JSON object, bytes that are not UTF-8, deep JSON, huge numbers,
lone surrogates, U+0000, forged cursors, IDs beyond the database's integers, long filter
lists and zoned/unzoned date-times mixed. And client-chosen operation names cannot make
``/metrics`` grow without limit."""

from __future__ import annotations

import base64
import dataclasses
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest

from gqlnews.graphql.cache_key import _key_of
from gqlnews.graphql.criteria import MAX_FILTER_VALUES
from gqlnews.ids import MAX_PK
from gqlnews.observability import extension, metrics
from gqlnews.server import create_app
from gqlnews.settings import Settings
from tests.account_factories import post, staff_token
from tests.cache_helpers import cached_app, client_of

JSON = {"content-type": "application/json"}
SECTIONS = b'{"query": "{ sections { slug } }"'
BY_SLUG = b'{"query": "query($s: String!) { article(slug: $s) { id } }", "variables": '

MALFORMED_BODIES = [
    pytest.param(b"42", id="number"),
    pytest.param(b"null", id="null"),
    pytest.param(b'"x"', id="string"),
    pytest.param(b"true", id="true"),
    pytest.param(b"[]", id="empty-batch"),
    pytest.param(b'[{"query": "{ sections { slug } }"}]', id="batch"),
    pytest.param(b"[1, 2]", id="batch-of-numbers"),
    pytest.param(b'{"query": "{ sections { slug } }", "x": "\xff\xfe"}', id="not-utf8"),
    pytest.param(b"\xff\xfe{}", id="not-utf8-start"),
    pytest.param(b"[" * 5000 + b"]" * 5000, id="deep-array"),
    pytest.param(
        SECTIONS + b', "variables": {"a": ' + b"[" * 5000 + b"]" * 5000 + b"}}", id="deep-variables"
    ),
    pytest.param(SECTIONS + b', "variables": {"n": 1e400}}', id="number-too-big-for-a-double"),
    pytest.param(
        SECTIONS + b', "variables": {"n": ' + b"9" * 5000 + b"}}", id="5000-digit-integer"
    ),
    pytest.param(b'{"query": "{ article(slug: \\"\\ud800\\") { id } }"}', id="surrogate-in-query"),
    pytest.param(
        BY_SLUG + b'{"s": "\\udfff"}}',
        id="surrogate-in-variables",
    ),
    pytest.param(
        b'{"query": "query($s: String!) { search(query: $s) { totalCount } }", '
        b'"variables": {"s": "a\\ud83d"}}',
        id="surrogate-in-search",
    ),
    pytest.param(
        b'{"query": "{ sections { slug } }", "operationName": "\\ud800"}', id="surrogate-in-name"
    ),
    pytest.param(
        b'{"query": "{ article(slug: \\"\xed\xa0\x80\\") { id } }"}', id="raw-surrogate-bytes"
    ),
    pytest.param(SECTIONS + b', "operationName": []}', id="operationName-list"),
    pytest.param(SECTIONS + b', "operationName": 42}', id="operationName-number"),
    pytest.param(SECTIONS + b', "variables": 42}', id="variables-number"),
    pytest.param(SECTIONS + b', "variables": [1]}', id="variables-list"),
    pytest.param(SECTIONS + b', "extensions": 42}', id="extensions-number"),
    pytest.param(SECTIONS + b', "extensions": "x"}', id="extensions-string"),
    pytest.param(b'{"query": ["{ sections { slug } }"]}', id="query-list"),
    pytest.param(b'{"documentId": 42}', id="documentId-number"),
    pytest.param(b'{"extensions": {"persistedQuery": 42}}', id="persistedQuery-number"),
    pytest.param(
        BY_SLUG + b'{"s": "a\\u0000b"}}',
        id="nul-in-variables",
    ),
    pytest.param(b'{"query": "{ article(slug: \\"a\\\\u0000\\") { id } }"}', id="nul-in-query"),
    pytest.param(
        b'{"query": "{ search(query: \\"a\\\\u{0}\\") { totalCount } }"}', id="nul-braced"
    ),
]


@pytest.mark.parametrize("body", MALFORMED_BODIES)
async def test_malformed_post_bodies_are_400_bad_request(
    client: httpx.AsyncClient, body: bytes
) -> None:
    response = await client.post("/graphql", content=body, headers=JSON)
    assert response.status_code == 400, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] in {"BAD_REQUEST"}, error
    assert "Traceback" not in response.text


@pytest.mark.parametrize("body", MALFORMED_BODIES)
def test_the_response_cache_key_survives_malformed_bodies(body: bytes) -> None:
    """The response cache reads the body before the view does: it must pass such bodies on
    (no key), never fail on them."""
    _key_of(body, False, "any")  # no exception: None, or a key the ordinary path refuses


async def test_malformed_requests_pass_the_response_cache(settings: Settings, demo: object) -> None:
    """With the response cache started (as in a server), the same requests get the same 400s;
    variables nested deeper than orjson writes (254 levels) are no key, not a crash."""
    app = cached_app(settings)
    try:
        async with client_of(app) as client:
            for param in MALFORMED_BODIES:
                (body,) = param.values
                response = await client.post("/graphql", content=body, headers=JSON)
                assert response.status_code == 400, (param.id, response.text)
            deep = b"[" * 300 + b"]" * 300
            for raw in (SECTIONS + b', "variables": {"a": ' + deep + b"}}",):
                response = await client.post("/graphql", content=raw, headers=JSON)
                assert response.status_code == 200, response.text
                assert response.json()["data"]["sections"]
            params = {"query": "{ sections { slug } }", "variables": f'{{"a": {deep.decode()}}}'}
            response = await client.get("/graphql", params=params)
            assert response.status_code == 200, response.text
    finally:
        await app.state.cache.stop()


@pytest.mark.parametrize(
    "params",
    [
        {"query": "{ sections { slug } }", "variables": "[" * 5000 + "]" * 5000},
        {"query": "{ sections { slug } }", "variables": '{"n": 1e400}'},
        {"query": "{ sections { slug } }", "variables": '{"s": "\\ud800"}'},
        {"query": "{ sections { slug } }", "variables": "42"},
        {"query": "{ sections { slug } }", "extensions": "[]"},
        {
            "query": "query($s: String!) { article(slug: $s) { id } }",
            "variables": '{"s": "a\\u0000"}',
        },
        {"query": '{ article(slug: "a\x00") { id } }'},
    ],
)
async def test_malformed_get_requests_are_400(
    client: httpx.AsyncClient, params: dict[str, str]
) -> None:
    response = await client.get("/graphql", params=params)
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_get_with_broken_utf8_is_answered(client: httpx.AsyncClient) -> None:
    """Percent-escapes that are not UTF-8 (a lone surrogate's bytes) become U+FFFD."""
    response = await client.get(
        "/graphql?query=%7B%20article(slug%3A%20%22%ED%A0%80%FF%22)%20%7B%20id%20%7D%20%7D"
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"article": None}}


async def test_good_text_still_passes(client: httpx.AsyncClient) -> None:
    """Non-ASCII, emoji (a surrogate pair in JSON) and an escaped backslash are fine."""
    query = "query($s: String!) { article(slug: $s) { id } }"
    for slug in ("été", "😀", "a\\u0000"):
        response = await client.post("/graphql", json={"query": query, "variables": {"s": slug}})
        assert response.status_code == 200, response.text
        assert response.json() == {"data": {"article": None}}
    raw = BY_SLUG + b'{"s": "\\ud83d\\ude00"}}'
    response = await client.post("/graphql", content=raw, headers=JSON)
    assert response.json() == {"data": {"article": None}}


# --- cursors ---------------------------------------------------------------------------------


def _cursor(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


WHEN = b'{"t": "2024-01-01T00:00:00+00:00"}'


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        pytest.param("articles", b'{"k": ["x", 1]}', id="string-for-instant"),
        pytest.param("articles", b'{"k": [' + WHEN + b', "x"]}', id="string-for-id"),
        pytest.param(
            "articles", b'{"k": [' + WHEN + b", " + str(2**70).encode() + b"]}", id="2^70-id"
        ),
        pytest.param(
            "articles", b'{"k": [' + WHEN + b", " + str(2**63).encode() + b"]}", id="2^63-id"
        ),
        pytest.param(
            "articles", b'{"k": [' + WHEN + b", " + str(2**40).encode() + b"]}", id="2^40-id"
        ),
        pytest.param("articles", b'{"k": [' + WHEN + b", 1.5]}", id="float-id"),
        pytest.param("articles", b'{"k": [' + WHEN + b", true]}", id="bool-id"),
        pytest.param("articles", b'{"k": [' + WHEN + b", null]}", id="null-id"),
        pytest.param("articles", b'{"k": [{"t": "2024-01-01T00:00:00"}, 1]}', id="unzoned"),
        pytest.param("articles", b'{"k": [{"t": "yesterday"}, 1]}', id="not-a-date"),
        pytest.param("articles", b'{"k": [{"t": 5}, 1]}', id="number-date"),
        pytest.param("articles", b'{"k": [{"d": "2024-01-01"}, 1]}', id="date-for-instant"),
        pytest.param("articles", b'{"k": [[1], 1]}', id="list"),
        pytest.param("articles", b'{"k": "x"}', id="keys-string"),
        pytest.param("articles", b'{"o": ' + str(2**70).encode() + b"}", id="offset-2^70"),
        pytest.param("articles", b"[1]", id="list-payload"),
        pytest.param(
            "articles(orderBy: PRINT_ORDER)",
            b'{"o": ' + str(2**62).encode() + b"}",
            id="print-2^62",
        ),
        pytest.param("articles(orderBy: PRINT_ORDER)", b'{"o": true}', id="print-bool"),
        pytest.param("articles(orderBy: PRINT_ORDER)", b'{"o": "3"}', id="print-string"),
        pytest.param("articles(orderBy: TITLE_ASC)", b'{"k": [5, 1]}', id="number-for-title"),
    ],
)
async def test_forged_cursors_are_bad_user_input(
    client: httpx.AsyncClient, field: str, raw: bytes
) -> None:
    cursor = _cursor(raw)
    joiner = "(" if "(" not in field else ", "
    base = field if "(" not in field else field[:-1]
    for argument in ("after", "before"):
        query = f'{{ {base}{joiner}{argument}: "{cursor}") {{ nodes {{ slug }} }} }}'
        body = (await client.post("/graphql", json={"query": query})).json()
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", (argument, body)
        assert body["errors"][0]["extensions"]["argument"] == argument


async def test_real_cursors_still_page(client: httpx.AsyncClient) -> None:
    for order in ("PUBLISHED_AT_DESC", "TITLE_ASC", "MOST_VIEWED", "PRINT_ORDER"):
        query = (
            f"{{ articles(first: 2, orderBy: {order}) "
            "{ pageInfo { endCursor } nodes { slug } } }"
        )
        first = (await client.post("/graphql", json={"query": query})).json()["data"]["articles"]
        cursor = first["pageInfo"]["endCursor"]
        after = (
            f'{{ articles(first: 2, orderBy: {order}, after: "{cursor}") {{ nodes {{ slug }} }} }}'
        )
        body = (await client.post("/graphql", json={"query": after})).json()
        assert "errors" not in body, (order, body)
        assert not {n["slug"] for n in body["data"]["articles"]["nodes"]} & {
            n["slug"] for n in first["nodes"]
        }


# --- global IDs --------------------------------------------------------------------------------


def _id(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "raw",
    [
        f"Article:{2**63}",
        f"Article:{2**64 + 1}",
        f"Article:{2**31}",
        f"Image:{2**70}",
        "Article:" + "9" * 5000,
        "Article:01",
        "Article:+1",
        "Article: 1",
        "Article:1_0",
        "Article:\u0663",  # an Arabic-Indic digit: int() would take it
    ],
)
async def test_ids_out_of_range_or_not_canonical_are_bad_user_input(
    client: httpx.AsyncClient, raw: str
) -> None:
    gid = _id(raw)
    for query in (
        f'{{ node(id: "{gid}") {{ id }} }}',
        f'{{ nodes(ids: ["{gid}"]) {{ id }} }}',
        f'{{ article(id: "{gid}") {{ id }} }}',
    ):
        body = (await client.post("/graphql", json={"query": query})).json()
        if raw.startswith("Image") and "article(" in query:
            continue
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", (query, body)


async def test_the_largest_id_is_unknown_not_an_error(client: httpx.AsyncClient) -> None:
    gid = _id(f"Article:{MAX_PK}")
    body = (
        await client.post(
            "/graphql",
            json={"query": f'{{ node(id: "{gid}") {{ id }} article(id: "{gid}") {{ id }} }}'},
        )
    ).json()
    assert body == {"data": {"node": None, "article": None}}


async def test_mutations_refuse_ids_beyond_the_database(client: httpx.AsyncClient) -> None:
    """A staff mutation on an ID past the 32-bit keys is refused before any SQL (it used to
    overflow the database driver: INTERNAL_SERVER_ERROR)."""
    _user, token = await staff_token()
    for pk in (2**31, 2**63):
        gid = _id(f"Article:{pk}")
        query = f'mutation {{ articleSubmit(id: "{gid}", version: 1) {{ errors {{ code }} }} }}'
        response = await post(client, query, token=token)
        body = response.json()
        assert "INTERNAL_SERVER_ERROR" not in str(body), body
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body


# --- filters -----------------------------------------------------------------------------------

FILTERED = """query($f: ArticleFilter) { articles(first: 5, filter: $f) { nodes { slug } } }"""
SEARCHED = """query($f: ArticleFilter) { search(query: "le", filter: $f) { totalCount } }"""


@pytest.mark.parametrize("name", ["sections", "tags", "authors", "languages"])
async def test_filter_lists_are_bounded(client: httpx.AsyncClient, name: str) -> None:
    values = [f"v{i}" for i in range(MAX_FILTER_VALUES + 1)]
    for query in (FILTERED, SEARCHED):
        body = (
            await client.post("/graphql", json={"query": query, "variables": {"f": {name: values}}})
        ).json()
        error = body["errors"][0]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", body
        assert error["extensions"]["maximum"] == MAX_FILTER_VALUES
        assert f"filter.{name}" in error["message"]
    ok = (
        await client.post(
            "/graphql", json={"query": FILTERED, "variables": {"f": {name: values[:-1]}}}
        )
    ).json()
    assert "errors" not in ok, ok


@pytest.mark.parametrize(
    ("count", "status", "code"),
    [(2000, 200, "BAD_USER_INPUT"), (100_000, 400, "BAD_REQUEST"), (400_000, 413, "TOO_LARGE")],
)
async def test_a_huge_filter_list_is_refused_quickly(
    client: httpx.AsyncClient, count: int, status: int, code: str
) -> None:
    """100,000 slugs once took 5 s, 400,000 ended in INTERNAL_SERVER_ERROR. Now a short
    list is refused by the filter's bound, a list too long for any argument (in a body over
    64 KB) before GraphQL coerces it, and a 5 MB body by the request's size."""
    values = [f"tag-{i}" for i in range(count)]
    started = time.perf_counter()
    response = await client.post(
        "/graphql", json={"query": FILTERED, "variables": {"f": {"tags": values}}}
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == status, response.text[:300]
    assert response.json()["errors"][0]["extensions"]["code"] == code
    print(f"{count} slugs refused in {elapsed * 1000:.0f} ms")
    assert elapsed < 5, elapsed


@pytest.mark.parametrize(
    ("after", "before", "empty"),
    [
        ("2000-01-01T00:00:00", "2100-01-01T00:00:00Z", False),
        ("2000-01-01T00:00:00Z", "2100-01-01T00:00:00", False),
        ("2100-01-01T00:00:00", "2000-01-01T00:00:00+02:00", None),
        ("2000-01-01T00:00:00", "2100-01-01T00:00:00", False),
    ],
)
async def test_zoned_and_unzoned_datetimes_mix_as_utc(
    client: httpx.AsyncClient, after: str, before: str, empty: bool | None
) -> None:
    flt: dict[str, Any] = {"publishedAfter": after, "publishedBefore": before}
    body = (await client.post("/graphql", json={"query": FILTERED, "variables": {"f": flt}})).json()
    if empty is None:
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
        assert "publishedAfter must be before" in body["errors"][0]["message"]
        return
    assert "errors" not in body, body
    assert body["data"]["articles"]["nodes"], body


async def test_one_unzoned_bound_alone_counts_as_utc(client: httpx.AsyncClient) -> None:
    for flt in (
        {"publishedAfter": "2000-01-01T00:00:00"},
        {"publishedBefore": "2100-01-01T00:00:00"},
    ):
        body = (
            await client.post("/graphql", json={"query": FILTERED, "variables": {"f": flt}})
        ).json()
        assert "errors" not in body, body
        assert body["data"]["articles"]["nodes"]


# --- /metrics ----------------------------------------------------------------------------------


async def test_operation_names_cannot_grow_metrics_without_limit(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """5,000 distinct operation names leave /metrics small: past the first
    ``MAX_OPERATION_LABELS`` names, they all count as ``other``. (Once 5,000 names made
    4 MB of /metrics, 1 s to render.) A few hundred go through HTTP, the rest through the
    extension's own labelling, which is what each request does."""
    monkeypatch.setattr(extension, "LABELS", extension.OperationLabels())
    before = len((await client.get("/metrics")).content)
    names = [f"Op{i}_{'x' * 50}" for i in range(5000)]
    for name in names[: extension.MAX_OPERATION_LABELS + 50]:
        query = f"query {name} {{ __typename }}"
        response = await client.post("/graphql", json={"query": query, "operationName": name})
        assert response.status_code == 200
    for name in names[extension.MAX_OPERATION_LABELS + 50 :]:
        metrics.GRAPHQL_REQUESTS.labels(extension.LABELS.label(name)).inc()
        metrics.GRAPHQL_SECONDS.labels(extension.LABELS.label(name)).observe(0.001)
    started = time.perf_counter()
    page = (await client.get("/metrics")).text
    rendered = time.perf_counter() - started
    grown = len(page.encode()) - before
    labels = {
        line.split('operation="')[1].split('"')[0]
        for line in page.splitlines()
        if 'operation="Op' in line
    }
    assert len(labels) <= extension.MAX_OPERATION_LABELS
    assert 'operation="other"' in page
    # Each label adds ~15 lines (a counter and a histogram): 200 labels stay well under 1 MB.
    assert grown < 1_000_000, grown
    assert rendered < 1, rendered


def test_operation_labels_are_bounded() -> None:
    labels = extension.OperationLabels(limit=3)
    assert [labels.label(f"Op{i}") for i in range(5)] == ["Op0", "Op1", "Op2", "other", "other"]
    assert labels.label("Op1") == "Op1"  # known names keep their label
    assert labels.label(None) == "anonymous"
    assert labels.label("x" * 100) == "other"
    assert labels.label("bad name!") == "other"
    assert labels.label(["list"]) == "anonymous"  # type: ignore[arg-type]


def test_orjson_cannot_encode_what_we_refuse() -> None:
    """Why surrogates are refused on the way in: they could never be answered."""
    with pytest.raises(TypeError):
        orjson.dumps("\ud800")


async def test_request_bodies_are_bounded(settings: Settings, demo: object) -> None:
    """A body over twice GQLNEWS_MAX_BODY_BYTES plus 1 MB is 413 TOO_LARGE, before it is
    decoded (by its Content-Length) or once read (sent in chunks, without one)."""
    app = create_app(dataclasses.replace(settings, max_body_bytes=1000))
    limit = 2 * 1000 + 1_000_000
    big = SECTIONS + b', "variables": {"pad": "' + b"x" * limit + b'"}}'

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(big), 65536):
            yield big[start : start + 65536]

    async with client_of(app) as client:
        for content in (big, chunks()):
            response = await client.post("/graphql", content=content, headers=JSON)
            assert response.status_code == 413, response.text
            error = response.json()["errors"][0]
            assert error["extensions"]["code"] == "TOO_LARGE"
            assert str(limit) in error["message"]
        fits = SECTIONS + b', "variables": {"pad": "' + b"x" * (limit - 100) + b'"}}'
        response = await client.post("/graphql", content=fits, headers=JSON)
        assert response.status_code == 200, response.text[:200]


def test_every_nullable_argument_may_be_left_out() -> None:
    """A nullable argument with no default is one a client may omit: the resolver must then
    get its default, not a missing-argument TypeError (INTERNAL_SERVER_ERROR: the fuzzer
    found `articleSetEmbargo` without `until`)."""
    from graphql import GraphQLNonNull, GraphQLObjectType
    from graphql.pyutils import Undefined

    from gqlnews.graphql.schema import build_schema
    from gqlnews.plugins import make_plugin_manager

    schema = build_schema(Settings(), make_plugin_manager(Settings()))._schema
    required_in_python = [
        f"{kind.name}.{name}({argument})"
        for kind in schema.type_map.values()
        if isinstance(kind, GraphQLObjectType) and not kind.name.startswith("__")
        for name, field in kind.fields.items()
        for argument, spec in field.args.items()
        if not isinstance(spec.type, GraphQLNonNull) and spec.default_value is Undefined
    ]
    assert required_in_python == []


async def test_an_embargo_left_out_lifts_it(client: httpx.AsyncClient) -> None:
    _, editor = await staff_token()
    query = """mutation($id: ID!) { articleSetEmbargo(id: $id, version: 1) {
      article { id } errors { code } } }"""
    body = (await post(client, query, {"id": "QXJ0aWNsZTo5OTk5OTk5"}, editor)).json()
    assert body["data"]["articleSetEmbargo"]["errors"] == [{"code": "NOT_FOUND"}], body


LOOKUPS = [
    ("tag", "\ufb01n"),  # a ligature: normalised to "fin"
    ("section", "\uff4d\uff4f\uff4e\uff44\uff45"),  # fullwidth: normalised to "monde"
    ("author", "\U0001f4f0"),  # outside Latin-1: no HTTP header can carry it as is
    ("section", "a\u001cb"),  # a control character
    ("tag", "a b,c"),  # the separators of Surrogate-Key and Cache-Tag
    ("supplement", "\u0645\u0644\u062d\u0642"),  # Arabic
]


@pytest.mark.parametrize(("field", "slug"), LOOKUPS)
async def test_any_slug_looked_up_gives_headers_http_can_carry(
    settings: Settings, demo: object, field: str, slug: str
) -> None:
    """Found by the fuzzer: a look-up's key went into Surrogate-Key as the client wrote it,
    and a character outside Latin-1 made a 500 (a control character, no answer at all)."""
    app = cached_app(settings)
    try:
        async with client_of(app) as client:
            for _ in range(2):  # fresh, then from the cache
                params = {"query": f"query($s: String!) {{ {field}(slug: $s) {{ __typename }} }}"}
                params["variables"] = orjson.dumps({"s": slug}).decode()
                response = await client.get("/graphql", params=params)
                assert response.status_code == 200, response.text
                for value in (response.headers["surrogate-key"], response.headers["cache-tag"]):
                    assert value.isascii() and value.isprintable(), value
                keys = response.headers["surrogate-key"].split(" ")
                assert len(keys) == len(set(response.headers["cache-tag"].split(",")))
    finally:
        await app.state.cache.stop()


LONG = "a" * 300
TOO_LONG = [
    ("query($v: String!) { tag(slug: $v) { name } }", LONG),
    ("query($v: String!) { article(slug: $v) { title } }", LONG),
    ("query($v: String!) { supplement(slug: $v) { title } }", LONG),
    ("query($v: String!) { articles(filter: {languages: [$v]}) { totalCount } }", LONG),
    (
        'query($v: String!) { search(query: "maroc", filter: {languages: [$v]}) { totalCount } }',
        LONG,
    ),
    ('mutation($v: String!) { signIn(email: $v, password: "x") { token } }', LONG + "@x.org"),
]


@pytest.mark.parametrize(("query", "value"), TOO_LONG)
async def test_a_value_longer_than_its_column_is_the_clients_mistake(
    client: httpx.AsyncClient, query: str, value: str
) -> None:
    """Found by the fuzzer: Tortoise refuses a filter value longer than its column, and that
    was an INTERNAL_SERVER_ERROR. An unknown value answers null or a clear error instead."""
    body = (await post(client, query, {"v": value})).json()
    codes = [error["extensions"]["code"] for error in body.get("errors", [])]
    assert "INTERNAL_SERVER_ERROR" not in codes, body
    assert set(codes) <= {"BAD_USER_INPUT", "INVALID_CREDENTIALS"}, body
    assert LONG not in str(body), "the value is not echoed back"
