"""Query cost analysis (docs/api.md, "Query cost"): the model, the limits, plugins' costs.

Issue #11, item 2: nested connections (articles → sections → articles → tags → articles, 20
at each level) ran for 19 s on SQLite, and ``first: 100`` was allowed at every level.
"""

from __future__ import annotations

import json
import types
from pathlib import Path
from typing import Any

import httpx
import pytest
import strawberry
from graphql import GraphQLList, GraphQLNonNull, get_introspection_query, parse
from starlette.applications import Starlette

from gqlnews import Settings, create_app, hookimpl
from gqlnews.graphql.cost import CORE_COSTS, QUERY_TOO_COSTLY, CostModel, QueryCost
from gqlnews.graphql.schema import NewsSchema, build_schema
from gqlnews.models import UserRole
from gqlnews.plugins import PluginError, make_plugin_manager
from gqlnews.plugins.hookspecs import FieldCost, TypeExtension
from gqlnews.testing import count_queries
from tests.account_factories import post, staff_token
from tests.helpers import gql, gql_data

ROOT = Path(__file__).resolve().parent.parent
BENCH_QUERIES = ROOT / "tests" / "data" / "bench-queries"  # the five pages of the benchmarks
EXAMPLES = ROOT / "examples" / "queries"

NESTED_ATTACK = """{ articles(first: 20) { nodes { sections { articles(first: 20) { totalCount
  nodes { tags { articles(first: 20) { totalCount nodes { title } } } } } } } } }"""
# Costs 7,101: over the anonymous maximum (5,000), under the staff one (50,000).
STAFF_SIZED = (
    "{ articles(first: 100) { nodes { tags { articles(first: 5) { nodes { slug } } } } } }"
)


@pytest.fixture(scope="module")
def schema() -> NewsSchema:
    settings = Settings()
    return build_schema(settings, make_plugin_manager(settings))


def _model(schema: NewsSchema) -> CostModel:
    for factory in schema.extensions:
        extension = factory() if callable(factory) else factory
        if isinstance(extension, QueryCost):
            return extension.model
    raise AssertionError("the schema has no QueryCost extension")


def cost_of(
    schema: NewsSchema, query: str, variables: dict[str, Any] | None = None, name: str | None = None
) -> int:
    cost = _model(schema).cost(schema._schema, parse(query), name, variables)
    assert cost is not None
    return cost


# The model, by example (the same figures as docs/api.md).


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ __typename }", 0),
        ('{ article(slug: "x") { title body } }', 1),  # one object; scalars are free
        ('{ article(slug: "x") { image { url } authors { name } } }', 1 + 1 + 5),
        ("{ articles { nodes { title } } }", 1 + 20),  # default page size
        ("{ articles(first: 5) { totalCount nodes { title } } }", 1 + 1 + 5),
        # the three fields of a bounded count weigh 1 each (they share one statement)
        ("{ articles(page: 1, perPage: 5) { totalCount totalCountIsExact pageCount } }", 1 + 3),
        ("{ articles(first: 5) { edges { node { title } } } }", 1 + 5),  # edges = nodes
        ("{ articles(page: 2, perPage: 10) { nodes { title } } }", 1 + 10),
        ("{ articles(last: 3) { nodes { title } } }", 1 + 3),
        ("{ articles(first: 1000) { nodes { title } } }", 1 + 100),  # never above the cap
        ('{ search(query: "x", first: 10) { nodes { slug } } }', 10 + 1 + 10),
        ("{ sections { slug children { slug } } }", 20 * (1 + 5)),
        ('{ article(slug: "x") { related { score } } }', 1 + 2 + 4),  # first's default: 4
        ("{ mostRead(first: 3) { rank article { slug } } }", 10 + 3 * 2),
        ('{ nodes(ids: ["a", "b", "c"]) { id } }', 3),
        ("{ __schema { types { name fields { name } } } }", 10),
        ("mutation { signOut { revoked } }", 10 + 1),
    ],
)
def test_costs_follow_the_documented_model(schema: NewsSchema, query: str, expected: int) -> None:
    assert cost_of(schema, query) == expected


def test_variables_and_their_defaults_size_lists(schema: NewsSchema) -> None:
    query = """query($n: Int = 7, $ids: [ID!]!) {
      articles(first: $n) { nodes { slug } } nodes(ids: $ids) { id } }"""
    assert cost_of(schema, query, {"ids": ["a"]}) == (1 + 7) + 1
    assert cost_of(schema, query, {"n": 50, "ids": ["a", "b"]}) == (1 + 50) + 2


def test_fragments_count_where_they_are_spread_and_interfaces_take_the_costliest(
    schema: NewsSchema,
) -> None:
    query = """{ a: articles(first: 2) { nodes { ...T } } b: articles(first: 3) { nodes { ...T } } }
      fragment T on Article { image { url } authors { name } }"""
    assert cost_of(schema, query) == (1 + 2 * (1 + 1 + 5)) + (1 + 3 * (1 + 1 + 5))
    on_node = """{ node(id: "x") { id ... on Article { authors { name } tags { name } }
      ... on Section { parent { slug } } } }"""
    assert cost_of(schema, on_node) == 1 + (5 + 10)  # the Article branch, not both


def test_a_fan_out_of_fragments_is_costed_in_linear_time(schema: NewsSchema) -> None:
    parts = ["{ articles(first: 1) { nodes { ...F0 } } }"]
    for i in range(40):
        parts.append(f"fragment F{i} on Article {{ image {{ url }} ...F{i + 1} ...F{i + 1} }}")
    parts.append("fragment F40 on Article { title }")
    assert cost_of(schema, "\n".join(parts)) == 1 + 1 + (2**40 - 1)


def test_costs_are_cached_by_document_and_sizing_variables(schema: NewsSchema) -> None:
    model = _model(schema)
    query = "query($n: Int!, $q: String!) { search(query: $q, first: $n) { nodes { slug } } }"
    before = len(model._cache.items)
    cost_of(schema, query, {"n": 5, "q": "a"})
    cost_of(schema, query, {"n": 5, "q": "another word"})  # strings do not change a cost
    assert len(model._cache.items) == before + 1
    assert cost_of(schema, query, {"n": 6, "q": "a"}) == 10 + 1 + 6
    assert len(model._cache.items) == before + 2


def test_every_core_list_without_a_size_argument_declares_its_size() -> None:
    """A new unsized list gets a thought about how many items it may hold."""
    core = build_schema(Settings())._schema
    declared = {cost.field for cost in CORE_COSTS}
    missing = []
    for type_ in core.type_map.values():
        fields = getattr(type_, "fields", None)
        if type_.name.startswith("__") or not fields or not hasattr(type_, "interfaces"):
            continue
        for name, field in fields.items():
            inner = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
            sized = {"first", "last", "perPage"} & set(field.args)
            unsized = isinstance(inner, GraphQLList) and not sized
            exempt = name in ("nodes", "edges", "errors") or f"{type_.name}.{name}" in declared
            if unsized and not exempt:
                missing.append(f"{type_.name}.{name}")
    assert not missing, f"declare a size in gqlnews.graphql.cost.CORE_COSTS for {missing}"


# The limits, over HTTP.


def _page_queries() -> list[tuple[str, str, dict[str, Any]]]:
    pages: list[tuple[str, str, dict[str, Any]]] = []
    for path in sorted(EXAMPLES.glob("*.graphql")):
        variables_file = path.with_suffix(".variables.json")
        variables = json.loads(variables_file.read_text()) if variables_file.exists() else {}
        pages.append((path.name, path.read_text(), variables))
    for path in sorted(BENCH_QUERIES.glob("q*.json")):
        body = json.loads(path.read_text())
        pages.append((path.name, body["query"], body.get("variables") or {}))
    return pages


def test_every_page_costs_at_most_half_the_anonymous_maximum(schema: NewsSchema) -> None:
    """The examples, the benchmarks' five pages and the demo's front and article pages stay
    well under the default maximum: a change of default or model that breaks one fails here."""
    pages = _page_queries()
    assert len(pages) >= 10
    maximum = Settings().max_cost
    costs = {name: cost_of(schema, query, variables) for name, query, variables in pages}
    assert all(cost * 2 <= maximum for cost in costs.values()), costs


def test_the_attack_queries_cost_more_than_any_maximum(schema: NewsSchema) -> None:
    assert cost_of(schema, NESTED_ATTACK) > Settings().max_cost_staff
    first_100 = NESTED_ATTACK.replace("first: 20", "first: 100")
    assert cost_of(schema, first_100) > 100 * Settings().max_cost_staff


async def test_a_costly_query_is_refused_before_anything_runs(client: httpx.AsyncClient) -> None:
    with count_queries() as sql:
        body = await gql(client, NESTED_ATTACK)
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"]["code"] == QUERY_TOO_COSTLY
    assert error["extensions"]["cost"] == 462321
    assert error["extensions"]["maximum"] == 5000
    assert "462321" in error["message"] and "5000" in error["message"]
    assert sql.count == 0


async def test_staff_tokens_get_the_staff_maximum(client: httpx.AsyncClient) -> None:
    body = await gql(client, STAFF_SIZED)
    assert body["errors"][0]["extensions"]["code"] == QUERY_TOO_COSTLY
    assert body["errors"][0]["extensions"]["cost"] == 7101
    _user, token = await staff_token(UserRole.AUTHOR)
    response = await post(client, STAFF_SIZED, token=token)
    assert "errors" not in response.json(), response.json()
    response = await post(client, NESTED_ATTACK, token=token)
    assert response.json()["errors"][0]["extensions"]["maximum"] == 50000


async def test_the_maxima_come_from_settings(demo: object) -> None:
    app: Starlette = create_app(Settings(max_cost=10))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        assert "errors" not in await gql(c, "{ articles(first: 9) { nodes { slug } } }")
        body = await gql(c, "{ articles(first: 10) { nodes { slug } } }")
        assert body["errors"][0]["extensions"] == {
            "code": QUERY_TOO_COSTLY,
            "cost": 11,
            "maximum": 10,
        }


async def test_the_cost_is_in_extensions_with_debug_only(
    client: httpx.AsyncClient, demo: object
) -> None:
    body = await gql(client, "{ articles(first: 3) { nodes { slug } } }")
    assert "cost" not in (body.get("extensions") or {})
    app: Starlette = create_app(Settings(debug=True, cache=False))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        body = await gql(c, "{ articles(first: 3) { nodes { slug } } }")
        assert body["extensions"]["cost"] == 4
        body = await gql(c, NESTED_ATTACK)
        assert body["extensions"]["cost"] == 462321


async def test_metrics_show_costs_and_refusals(client: httpx.AsyncClient) -> None:
    def sample(text: str, name: str) -> float:
        lines = [line for line in text.splitlines() if line.startswith(name + " ")]
        return float(lines[0].split()[-1]) if lines else 0.0

    before = (await client.get("/metrics")).text
    await gql_data(client, "{ articles(first: 2) { nodes { slug } } }")
    await gql(client, NESTED_ATTACK)
    after = (await client.get("/metrics")).text
    count = "gqlnews_graphql_query_cost_count"
    assert sample(after, count) >= sample(before, count) + 2
    refused = 'gqlnews_graphql_refused_total{reason="cost"}'
    assert sample(after, refused) >= sample(before, refused) + 1


async def test_graphiql_introspection_passes_anonymously(client: httpx.AsyncClient) -> None:
    body = await gql(client, get_introspection_query())
    assert "errors" not in body


async def test_the_example_pages_run_within_the_maximum(client: httpx.AsyncClient) -> None:
    for name, query, variables in _page_queries():
        if not name.endswith(".graphql"):
            continue  # the benchmarks' variables name rows of the 10k archive, not the demo
        body = await gql(client, query, variables)
        assert "errors" not in body, (name, body["errors"])


# Plugins declare the cost of their fields.


def _plugin(**hooks: Any) -> types.SimpleNamespace:
    return types.SimpleNamespace(**{name: hookimpl(fn) for name, fn in hooks.items()})


@strawberry.type
class Word:
    text: str


@strawberry.type
class ArticleWords:
    @strawberry.field
    def words(self) -> list[Word]:
        return [Word(text=word) for word in self.title.split()]  # type: ignore[attr-defined]


def _words_plugin(costs: list[FieldCost]) -> types.SimpleNamespace:
    return _plugin(
        gqlnews_schema_types=lambda: [Word],
        gqlnews_extend_types=lambda: [TypeExtension("Article", ArticleWords)],
        gqlnews_field_costs=lambda: costs,
    )


def _schema_with(plugin: object) -> NewsSchema:
    settings = Settings()
    return build_schema(settings, make_plugin_manager(settings, [("words", plugin)]))


def test_a_plugin_declares_the_cost_of_its_fields() -> None:
    query = '{ article(slug: "x") { words { text } } }'
    assert cost_of(_schema_with(_words_plugin([])), query) == 1 + 20  # the default
    declared = [FieldCost("Article.words", weight=3, size=8)]
    assert cost_of(_schema_with(_words_plugin(declared)), query) == 1 + 3 + 8


@pytest.mark.parametrize(
    ("cost", "says"),
    [
        (FieldCost("Article.title", weight=5), "is not its own"),
        (FieldCost("Article.wordz", weight=5), "is not in the schema"),
        (FieldCost("Article.words", weight=-1), "out of range"),
    ],
)
def test_a_wrong_declaration_stops_the_server(cost: FieldCost, says: str) -> None:
    with pytest.raises(PluginError, match=says):
        _schema_with(_words_plugin([cost]))


def test_a_field_costed_twice_stops_the_server() -> None:
    twice = [FieldCost("Article.words", size=2), FieldCost("Article.words", size=3)]
    with pytest.raises(PluginError, match="declared twice"):
        _schema_with(_words_plugin(twice))


def test_the_built_in_plugins_declare_their_costs(schema: NewsSchema) -> None:
    assert cost_of(schema, "{ editorial { slots { name } } }") == 1 + 10  # not 20
    assert cost_of(schema, "{ editorial { edito { slug } } }") == 1 + 1 + 1
    assert cost_of(schema, "{ editorial { picks(first: 3) { slug } } }") == 1 + 3
    assert cost_of(schema, 'mutation { recordView(articleId: "x") { hour } }') == 1 + 1
