"""Plans answer exactly as execution: every example page, registered documents and generated
documents, anonymously and as staff, compared byte for byte (errors included)."""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from tortoise.queryset import QuerySet

from gqlnews import models, visibility
from gqlnews.documents import document_hash
from gqlnews.graphql.plans import run
from gqlnews.graphql.plans.support import plan_summary
from gqlnews.graphql.types.section import Section
from gqlnews.ids import NODE_TYPES, encode_id
from gqlnews.observability import extension, metrics
from gqlnews.settings import Settings
from gqlnews.testing import count_queries
from gqlnews_ranking.scores import forget_scores
from tests.account_factories import bearer, staff_token
from tests.plan_documents import generate

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "queries"


def _view(app: Any) -> Any:
    return next(r.endpoint for r in app.routes if getattr(r, "path", "") == "/graphql")


@pytest.fixture(autouse=True)
def _text_executed(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Queries sent as text are executed here (they run as plans by default), so that
    :func:`both_ways` compares execution with the plan; and no deadline: on a loaded machine
    one of a thousand requests could pass it, and a cancelled answer is not what is compared
    here (tests/test_deadline.py covers deadlines, planned and executed)."""
    view = _view(app)
    changed = dataclasses.replace(view.settings, plans_for_text=False, request_timeout_ms=0)
    monkeypatch.setattr(view, "settings", changed)


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


async def _executed(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str | None
) -> bytes:
    body = {"query": query, "variables": variables}
    return (await client.post("/graphql", json=body, headers=bearer(token))).content


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
    before, faults = _planned_count("planned"), _planned_count("error")
    executed, planned = await both_ways(client, query, variables, token)
    assert planned == executed
    assert _planned_count("planned") == before + 1  # it did run as a plan
    assert _planned_count("error") == faults
    assert json.loads(planned).get("data")


GENERATED = 500


async def test_generated_documents_answer_the_same_planned(
    client: httpx.AsyncClient, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """500 generated documents (seeded: the same ones on every run), each anonymously and as
    an editor: byte-identical answers, errors included, and most of them planned."""
    # 500 operation names would use up the process's operation labels (200) for the tests
    # that run after this one in the same worker: these get labels of their own.
    monkeypatch.setattr(extension, "LABELS", extension.OperationLabels())
    schema = app.state.schema._schema
    _user, token = await staff_token()
    before, fell_back = _planned_count("planned"), _planned_count("fallback")
    faults = _planned_count("error")
    differing, unsteady = [], []
    for seed in range(GENERATED):
        query, variables = generate(schema, seed)
        for viewer in (None, token):
            executed, planned = await both_ways(client, query, variables, viewer)
            if executed == planned:
                continue
            answers = {executed}
            for _ in range(30):  # until execution gives the planned answer too, if it can
                answers.add(await _executed(client, query, variables, viewer))
                if planned in answers:
                    break
            if planned in answers and len(answers) > 1:
                unsteady.append(planned)  # execution itself answers this in several ways
            else:
                differing.append((seed, viewer is not None, query, executed, planned))
    assert not differing, [(d[0], d[1], d[3][:1500], d[4][:1500]) for d in differing[:2]]
    # Execution's own answer varies only in which errors it reports when a non-null root field
    # fails (graphql-core keeps the errors of the siblings that failed before it): rare.
    assert len(unsteady) <= GENERATED // 50, len(unsteady)
    assert all(b'"data":null' in answer for answer in unsteady)
    # Both ways are exercised: whole plans, and plans handed back to execution by an error
    # (arguments out of range); the other runs were refused before execution (cost, limits).
    planned = _planned_count("planned") - before
    handed_back = _planned_count("fallback") - fell_back
    assert planned >= 350 and handed_back >= 50, (planned, handed_back)
    assert _planned_count("error") == faults  # no fault of the planner met


async def test_a_field_error_hands_the_plan_back_to_execution(client: httpx.AsyncClient) -> None:
    query = "query Bad { articles(first: 2) { nodes { slug excerpt(maxLength: 0) } } }"
    fell_back = _planned_count("fallback")
    executed, planned = await both_ways(client, query)
    assert planned == executed
    assert json.loads(planned)["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert _planned_count("fallback") == fell_back + 1


async def test_the_cost_limit_refuses_a_persisted_document(client: httpx.AsyncClient) -> None:
    query = "query Big { articles(first: 100) { nodes { related(first: 20) { article { slug "
    query += "related(first: 20) { article { slug } } } } } } }"
    before = _planned_count("planned")
    executed, planned = await both_ways(client, query)
    assert planned == executed
    assert json.loads(planned)["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert _planned_count("planned") == before


def test_what_the_planner_does_not_run_is_named(app: Any) -> None:
    schema = app.state.schema._schema
    assert plan_summary(schema, "query A { sections { slug } }") == "planned"
    assert plan_summary(schema, 'query N { node(id: "x") { id ... on Article { slug } } }') == (
        "planned"
    )
    assert plan_summary(schema, "query I { __schema { queryType { name } } }") == (
        "executed (introspection (__schema))"
    )
    assert plan_summary(schema, "mutation M { signOut }").startswith("executed (mutation")


async def test_plans_off_executes_every_document(
    client: httpx.AsyncClient, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _view(app)
    monkeypatch.setattr(view, "plans", None)
    before = _planned_count("planned")
    executed, planned = await both_ways(client, "query Off { sections { slug } }")
    assert planned == executed
    assert _planned_count("planned") == before


async def test_a_kept_shape_follows_the_skip_and_include_variables(
    client: httpx.AsyncClient,
) -> None:
    """The shape of an operation is kept by the values of the variables @skip/@include read:
    the same document, sent again with other values, selects other fields (and a variable
    that only feeds an argument does not make another shape)."""
    query = """query Teasers($body: Boolean!, $flat: Boolean = false, $first: Int!) {
      articles(first: $first) {
        nodes {
          slug
          body @include(if: $body)
          ... on Article @skip(if: $flat) { sections { slug } }
          ...Extra
        }
      }
    }
    fragment Extra on Article { title @skip(if: $body) }"""
    seen: set[bytes] = set()
    for variables in (
        {"body": True, "first": 2},
        {"body": False, "first": 2},
        {"body": True, "first": 3, "flat": True},
        {"body": True, "first": 2},
        {"body": False, "first": 1, "flat": True},
    ):
        before = _planned_count("planned")
        executed, planned = await both_ways(client, query, variables)
        assert planned == executed
        assert _planned_count("planned") == before + 1
        seen.add(planned)
    assert len(seen) == 4  # the fourth request asked what the first did


async def _planned_statements(
    client: httpx.AsyncClient, name: str, forget: bool = False
) -> tuple[list[str], Counter[str]]:
    """The statements of an example page sent a second time as a plan (with no ranking
    scores kept from the first when ``forget``), and how many of them read each table (the
    one named first after FROM)."""
    query = (EXAMPLES / f"{name}.graphql").read_text(encoding="utf-8")
    path = EXAMPLES / f"{name}.variables.json"
    variables = json.loads(path.read_text()) if path.exists() else {}
    apq = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(query)}}
    body = {"query": query, "variables": variables, "extensions": apq}
    await client.post("/graphql", json=body)
    if forget:
        forget_scores()
    with count_queries() as log:
        answer = await client.post("/graphql", json=body)
    assert answer.status_code == 200 and "errors" not in answer.json()
    tables = Counter(
        found.group(1)
        for found in (re.search(r'FROM "(\w+)"', statement) for statement in log.statements)
        if found is not None
    )
    return log.statements, tables


async def test_the_front_page_planned_shares_its_relation_statements(
    client: httpx.AsyncClient,
) -> None:
    """The plan resolves every object at the same depth together, whichever list it is in:
    the front page's two lists of teasers share one statement per relation (execution runs
    one per list; 12 statements where execution runs 17)."""
    statements, tables = await _planned_statements(client, "front-page")
    for link in ("article_section", "article_author", "article_tag"):
        assert tables[link] == 1, "\n".join(statements)  # the two lists' 24 teasers
    assert tables["image"] == 1  # today's cover and the teasers' pictures, held to the end
    assert len(statements) == 12, "\n".join(statements)


async def test_the_article_page_planned_loads_each_relation_once(
    client: httpx.AsyncClient,
) -> None:
    """Relations with nothing below them are held back and run together at the end: the
    sections of the article, of its related articles and the primary sections of the most
    read ones (three depths) are one statement, as are the article's and the editorial's
    bylines, and every picture of the page (15 statements, of which one per related
    strategy of the default blend; 14 once the most read's scores are kept, as they are after
    the first request: see gqlnews_ranking.scores)."""
    statements, tables = await _planned_statements(client, "article-page")
    for table in ("article_section", "article_author", "image"):
        assert tables[table] == 1, "\n".join(statements)
    ranking = [s for s in statements if "ranking_view_bucket" in s]
    assert len(statements) == 14 and not ranking, "\n".join(statements)
    statements, tables = await _planned_statements(client, "article-page", forget=True)
    ranking = [s for s in statements if "ranking_view_bucket" in s]
    assert len(statements) == 15 and len(ranking) == 1, "\n".join(statements)


async def test_a_fault_of_the_planner_is_logged_and_the_operation_executed(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*_args: Any) -> Any:
        raise RuntimeError("a planner bug")

    monkeypatch.setattr(run._Plan, "_generation", broken)
    faults = _planned_count("error")
    executed, planned = await both_ways(client, "query Faulty { sections { slug name } }")
    assert planned == executed and json.loads(planned)["data"]["sections"]
    assert _planned_count("error") == faults + 1
    assert any("a planner bug" in (r.exc_text or "") for r in caplog.records), caplog.text


NODES = """
query Nodes($ids: [ID!]!, $one: ID!) {
  nodes(ids: $ids) {
    __typename id
    ... on Article { slug title sections { slug } image { ...Picture } }
    ... on Section { slug name parent { slug } }
    ... on Edition { number cover { ...Picture } }
    ... on Image { ...Picture }
    ...Named
  }
  node(id: $one) { ... on Article { title authors { name } } }
}
fragment Picture on Image { id url credit }
fragment Named on Node { ... on Author { name } ... on Tag { name } }
"""


async def _first_node_ids() -> list[str]:
    """The global IDs of the first two rows of each node type (the demo's, hidden ones
    included) and of the first one a reader may see. Not ids 1 and 2: a test that ran
    before the demo was loaded may have made rows with those ids and deleted them."""
    readable: dict[str, QuerySet[Any]] = {
        "Article": visibility.visible_articles(),
        "Edition": visibility.visible_editions(),
        "Supplement": visibility.visible_supplements(),
        "Image": visibility.visible_images(),
    }
    ids: list[str] = []
    for type_ in sorted(NODE_TYPES):
        model = getattr(models, type_)
        first = await model.all().order_by("id").limit(2).values_list("id", flat=True)
        seen = await readable.get(type_, model.all()).order_by("id").first().values_list("id")
        picked = [*first, *([seen[0]] if seen else [])]
        ids += [encode_id(type_, pk) for pk in dict.fromkeys(picked)]
    return ids


@pytest.mark.parametrize("staff", [False, True], ids=["anonymous", "staff"])
async def test_node_and_nodes_run_as_plans_with_fragments_on_the_interface(
    client: httpx.AsyncClient, staff: bool
) -> None:
    """``Node`` is an interface: each value is completed by the shape of the object type it
    resolves to, the values of one type together (one statement per relation)."""
    ids = await _first_node_ids()
    ids += [encode_id("Article", 999_999)]
    variables = {"ids": ids, "one": ids[0]}
    token = (await staff_token())[1] if staff else None
    before = _planned_count("planned")
    executed, planned = await both_ways(client, NODES, variables, token)
    assert planned == executed
    assert _planned_count("planned") == before + 1
    answered = json.loads(planned)["data"]["nodes"]
    assert {node["__typename"] for node in answered if node} == NODE_TYPES
    assert answered[-1] is None  # an unknown id: null, as executed
    apq = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(NODES)}}
    body = {"query": NODES, "variables": variables, "extensions": apq}
    with count_queries() as log:
        again = await client.post("/graphql", json=body, headers=bearer(token))
    assert again.content == planned
    tables = Counter(
        found.group(1)
        for found in (re.search(r'FROM "(\w+)"', statement) for statement in log.statements)
        if found is not None
    )
    # one look-up per object type, then the relations held to the end: the articles'
    # sections (both roots), their bylines, and the pictures of articles and editions
    for table in ("article", "section", "article_section", "article_author", "edition"):
        assert tables[table] == 1, "\n".join(log.statements)
    assert tables["image"] == 2  # the Image nodes, then every picture below
    content = [statement for statement in log.statements if "access_token" not in statement]
    assert len(content) == 10, "\n".join(content)  # the staff's token is looked up too


async def test_queries_sent_as_text_run_as_plans_by_default(
    client: httpx.AsyncClient, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Settings().plans_for_text  # this module's app turns it off, to compare
    query = (EXAMPLES / "front-page.graphql").read_text(encoding="utf-8")
    text = {"query": query, "variables": {"first": 5}}
    executed = (await client.post("/graphql", json=text)).content
    view = _view(app)
    monkeypatch.setattr(view, "settings", dataclasses.replace(view.settings, plans_for_text=True))
    before = _planned_count("planned")
    for _ in range(2):  # the second request reuses the shape of the first
        assert (await client.post("/graphql", json=text)).content == executed
    assert _planned_count("planned") == before + 2
    monkeypatch.setattr(view, "plans", None)  # plans off wins
    assert (await client.post("/graphql", json=text)).content == executed
    assert _planned_count("planned") == before + 2


async def test_plain_resolvers_are_called_directly(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A field with a resolver of its own and no field extension (``Article.excerpt``) is
    called by the plan without Strawberry's per-call wrapper, with the same answer."""
    called: Counter[str] = Counter()
    original = run._Plan._call

    def spy(plan: Any, definition: Any, *args: Any) -> None:
        called[definition.python_name] += 1
        original(plan, definition, *args)

    monkeypatch.setattr(run._Plan, "_call", spy)
    query = "query Teasers { articles(first: 5) { nodes { slug excerpt(maxLength: 40) } } }"
    executed, planned = await both_ways(client, query)
    assert planned == executed
    assert called["excerpt"] == 1  # once for the five articles


async def test_a_plan_makes_one_object_of_each_row_it_meets(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A section that several teasers of the front page show is one row of the links'
    statement (gqlnews.graphql.rows.Links), and the plan makes one ``Section`` of it
    (batch.Made); execution makes one per place. The answers are the same bytes."""
    made: Counter[str] = Counter()
    real = Section.__init__

    def counted(self: Section, *args: Any, **kwargs: Any) -> None:
        made[kwargs["slug"]] += 1
        real(self, *args, **kwargs)

    monkeypatch.setattr(Section, "__init__", counted)
    query = (EXAMPLES / "front-page.graphql").read_text(encoding="utf-8")
    await both_ways(client, query)  # warm: kept scores, shapes
    made.clear()
    executed_body = await _executed(client, query, {}, None)
    executed, _ = Counter(made), made.clear()
    apq = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(query)}}
    answer = await client.post("/graphql", json={"query": query, "extensions": apq})
    assert answer.content == executed_body and "errors" not in answer.json()
    assert made.keys() == executed.keys() and max(executed.values()) > 10  # "une": 17
    # each section at most once per statement that reads it: the top-level sections, their
    # children, and the links of every teaser of both lists (one statement, held back)
    assert max(made.values()) <= 3, made
