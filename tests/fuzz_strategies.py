"""What the fuzzer sends: values for hypothesis-graphql's documents drawn from the newsroom's
real ids and slugs (hidden articles' included) and from edge cases, and malformed HTTP requests
(JSON that is not a GraphQL request, random variables, bytes that are not UTF-8, other content
types, GET parameters, odd Authorization headers)."""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, timedelta, timezone
from typing import Any

import graphql
import httpx
from hypothesis import strategies as st

from gqlnews.ids import encode_id
from tests.fuzz_support import Newsroom

_ODD_TEXT = [
    "",
    " ",
    "\t",
    "a" * 300,
    "É" * 40,
    "ﬁn",
    "ｍｏｎｄｅ",
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">x</a>',
    '<blockquote cite="javascript:alert(1)">q</blockquote>',
    "https://example.org/a.jpg",
    'https://x/a.jpg"><script>',
    "2026-12-05T10:00:00",
    "2026-12-05T10:00:00+00:00",
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    "l'été",
    "fuzz.author@example.org",
    "user@example.org",
    "une-principale",
    "most-read",
    "trending",
    "1e400",
    "-1",
    "18446744073709551616",
    "\x00",
]


def _string_values(newsroom: Newsroom, anonymous: bool) -> st.SearchStrategy[str]:
    """Strings: the newsroom's slugs (the hidden articles' slugs and title words only for
    anonymous senders: an author could otherwise store them in a public tag or caption), odd
    and hostile texts, and random text."""
    known = list(newsroom.slugs)
    if not anonymous:
        known = [slug for slug in known if slug not in newsroom.hidden_slugs]
    pools = [*[st.sampled_from(known)] * 3, st.sampled_from(_ODD_TEXT), st.text(max_size=40)]
    if anonymous and newsroom.hidden_words:
        pools.append(st.sampled_from(newsroom.hidden_words))
    return st.one_of(*pools)


def _cursors() -> st.SearchStrategy[str]:
    """Relay cursors, well-formed or not (base64 of odd offsets and texts)."""
    inner = st.one_of(
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.text(max_size=12),
        st.integers(min_value=0, max_value=200).map(lambda n: f"arrayconnection:{n}"),
    )
    return inner.map(lambda raw: base64.b64encode(raw.encode()).decode())


def _ids(newsroom: Newsroom) -> st.SearchStrategy[str]:
    """Global ids: the newsroom's (hidden articles' included), ids of rows that do not exist,
    of types that do not exist, huge and negative primary keys, and random text."""
    kinds = st.sampled_from(["Article", "Section", "Author", "Tag", "Edition", "Image", "User"])
    made_up = st.builds(
        encode_id,
        kinds,
        st.one_of(st.integers(min_value=0, max_value=5000), st.integers(min_value=-(2**70))),
    )
    known = st.sampled_from(newsroom.ids)
    return st.one_of(known, known, st.sampled_from(newsroom.focus), made_up, st.text(max_size=20))


_ZONES = [None, UTC, timezone(timedelta(hours=14)), timezone(-timedelta(hours=12))]


def _datetimes() -> st.SearchStrategy[str]:
    """Instants with a time zone or without (the two mixed in a filter: issue #11's item 8),
    and a few that are not instants at all."""
    some = st.datetimes(timezones=st.sampled_from(_ZONES)).map(lambda d: d.isoformat())
    return st.one_of(some, some, some, st.sampled_from(["now", "2026-13-40T99:00:00", "", "0"]))


def _dates() -> st.SearchStrategy[str]:
    good = st.dates().map(str)
    return st.one_of(good, good, good, st.sampled_from(["2026-02-30", "today", ""]))


def _small_ints() -> st.SearchStrategy[int]:
    """Mostly page sizes and page numbers, sometimes anything a GraphQL Int holds."""
    usual = st.integers(min_value=1, max_value=20)
    edges = st.integers(min_value=-2, max_value=120)
    return st.one_of(usual, usual, edges, st.integers(min_value=-(2**31), max_value=2**31 - 1))


def _json_values() -> st.SearchStrategy[Any]:
    """Any JSON value (huge numbers and deep nesting included)."""
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**80), max_value=2**80),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=20),
    )
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(st.text(max_size=8), children, max_size=4),
        ),
        max_leaves=12,
    )


def custom_scalars(
    newsroom: Newsroom, anonymous: bool
) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    """Value strategies per scalar, for hypothesis-graphql: the newsroom's real ids and slugs
    mixed with edge cases, so that documents reach real rows as well as the error paths."""

    def string(value: str) -> graphql.ValueNode:
        return graphql.StringValueNode(value=value)

    return {
        "ID": _ids(newsroom).map(string),
        "String": st.one_of(_string_values(newsroom, anonymous), _cursors()).map(string),
        "Int": _small_ints().map(lambda n: graphql.IntValueNode(value=str(n))),
        "DateTime": _datetimes().map(string),
        "Date": _dates().map(string),
        "JSON": _json_values().map(lambda v: graphql.StringValueNode(value=json.dumps(v))),
    }


# Documents with variables, for random variables (hypothesis-graphql writes literals only).
VARIABLE_DOCUMENTS = {
    "query($id: ID!) { node(id: $id) { id ... on Article { slug title } } }": ["id"],
    "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Image { url caption } } }": ["ids"],
    "query($slug: String, $id: ID) { article(slug: $slug, id: $id) { id slug title } }": [
        "slug",
        "id",
    ],
    """query($first: Int, $after: String, $last: Int, $before: String, $filter: ArticleFilter,
      $page: Int, $perPage: Int, $offset: Int) {
      articles(first: $first, after: $after, last: $last, before: $before, filter: $filter,
        page: $page, perPage: $perPage, offset: $offset) {
        totalCount nodes { id slug title } pageInfo { endCursor hasNextPage } } }""": [
        "first",
        "after",
        "last",
        "before",
        "filter",
        "page",
        "perPage",
        "offset",
    ],
    """query($q: String!, $first: Int, $after: String, $filter: ArticleFilter) {
      search(query: $q, first: $first, after: $after, filter: $filter) {
        totalCount nodes { id slug title } } }""": ["q", "first", "after", "filter"],
    "query($n: Int, $d: Date) { edition(number: $n, date: $d) { id number title } }": ["n", "d"],
    """query($s: String, $w: RankingPeriod!, $since: DateTime, $until: DateTime, $first: Int!) {
      mostRead(section: $s, window: $w, since: $since, until: $until, first: $first) {
        article { id slug title } } }""": ["s", "w", "since", "until", "first"],
    "mutation($id: ID!) { recordView(articleId: $id) { __typename } }": ["id"],
    """mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) {
      errors { code } } }""": ["e", "p"],
}

_FILTER_KEYS = [
    "sections",
    "tags",
    "authors",
    "genres",
    "languages",
    "edition",
    "supplement",
    "publishedAfter",
    "publishedBefore",
    "statuses",
]


def _variable_value(newsroom: Newsroom) -> st.SearchStrategy[Any]:
    typed = st.one_of(
        st.sampled_from(newsroom.ids),
        st.sampled_from(newsroom.slugs),
        _cursors(),
        _datetimes(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.lists(st.sampled_from(newsroom.ids), max_size=5),
        st.dictionaries(st.sampled_from(_FILTER_KEYS), _json_values(), max_size=3),
        st.sampled_from(["DAY", "WEEK", "CUSTOM", "day"]),
    )
    return st.one_of(typed, _json_values())


@dataclass(frozen=True)
class Raw:
    """One HTTP request to ``/graphql``, as sent."""

    method: str
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        """A replayable description (curl-like) for a failure report; a JSON body is also
        given decoded (the texts it holds, unescaped, as the server reads them)."""
        body = self.content.decode("utf-8", "backslashreplace")
        text = f"{self.method} /graphql params={self.params} headers={self.headers} body={body!r}"
        try:
            decoded = json.loads(self.content) if self.content else None
        except (ValueError, RecursionError):
            return text
        return f"{text} decoded={json.dumps(decoded, ensure_ascii=False)}"


def malformed_requests(newsroom: Newsroom) -> st.SearchStrategy[Raw]:
    """Requests a broken or hostile client sends: JSON bodies that are not GraphQL requests,
    documents with random variables, bytes that are not UTF-8, other content types, GET
    parameters, odd Authorization headers. Always anonymous (or a bad token)."""
    json_type = {"content-type": "application/json"}
    documents = st.sampled_from(sorted(VARIABLE_DOCUMENTS))

    @st.composite
    def with_variables(draw: st.DrawFn) -> Raw:
        document = draw(documents)
        names = VARIABLE_DOCUMENTS[document]
        variables: Any = draw(
            st.one_of(
                st.fixed_dictionaries(
                    {},
                    optional={name: _variable_value(newsroom) for name in names},
                ),
                _json_values(),
            )
        )
        body: dict[str, Any] = {"query": document, "variables": variables}
        if draw(st.booleans()):
            body["operationName"] = draw(st.one_of(st.none(), st.text(max_size=8), st.integers()))
        return Raw("POST", json.dumps(body).encode(), json_type)

    random_json = _json_values().map(lambda v: Raw("POST", json.dumps(v).encode(), json_type))
    deep = st.integers(min_value=100, max_value=6000).map(
        lambda n: Raw("POST", b"[" * n + b"]" * n, json_type)
    )
    raw_bytes = st.binary(max_size=60).map(lambda b: Raw("POST", b, json_type))
    other_types = st.builds(
        lambda t, b: Raw("POST", b.encode(), {"content-type": t}),
        st.sampled_from(
            [
                "application/graphql",
                "text/plain",
                "application/x-www-form-urlencoded",
                "multipart/form-data",
                "application/json; charset=latin-1",
            ]
        ),
        st.one_of(documents, st.text(max_size=30)),
    )
    gets = st.builds(
        lambda q, v: Raw("GET", params={"query": q, "variables": v}),
        st.one_of(documents, st.text(max_size=30)),
        st.one_of(_json_values().map(json.dumps), st.text(max_size=20)),
    )
    bad_tokens = st.builds(
        lambda h: Raw(
            "POST",
            json.dumps({"query": "{ me { email } }"}).encode(),
            {**json_type, "authorization": h},
        ),
        st.one_of(
            st.sampled_from(
                ["Bearer", "Bearer  x", "Bearer\tgqna_x", "bearer gqna_00_x", "Basic x"]
            ),
            st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60).map(
                # h11 refuses to send a header value with spaces around it.
                lambda t: f"Bearer {t}".strip()
            ),
        ),
    )
    return st.one_of(with_variables(), random_json, deep, raw_bytes, other_types, gets, bad_tokens)


def send_raw(http: httpx.Client, raw: Raw) -> httpx.Response:
    """Send one :class:`Raw` request."""
    return http.request(
        raw.method, "/graphql", content=raw.content or None, headers=raw.headers, params=raw.params
    )


_IDENTIFYING = ("id", "slug", "title")
"""Fields added to every selection on an Article (``id`` alone on other nodes), so that an
answer that shows an article says which one; a list of articles (``ArticleConnection``) gets
its ``nodes`` selected too."""


def _field(name: str, selections: graphql.SelectionSetNode | None = None) -> graphql.FieldNode:
    return graphql.FieldNode(
        name=graphql.NameNode(value=name),
        arguments=(),
        directives=(),
        selection_set=selections,
    )


def identifying_printer(schema: graphql.GraphQLSchema) -> Callable[[graphql.DocumentNode], str]:
    """A ``print_ast`` for hypothesis-graphql that first adds :data:`_IDENTIFYING` fields to the
    document's selections (random selections seldom name what they show, so a hidden article
    could slip by unnoticed). A document the additions would make invalid is printed as is."""

    def add_fields(document: graphql.DocumentNode) -> graphql.DocumentNode:
        info = graphql.TypeInfo(schema)

        class Adder(graphql.Visitor):
            def enter_selection_set(self, node: graphql.SelectionSetNode, *_: Any) -> Any:
                parent = info.get_parent_type()
                if not isinstance(parent, graphql.GraphQLObjectType | graphql.GraphQLInterfaceType):
                    return None
                wanted = _IDENTIFYING if parent.name == "Article" else ("id",)
                taken = {
                    (s.alias or s.name).value
                    for s in node.selections
                    if isinstance(s, graphql.FieldNode)
                }
                extra = tuple(
                    _field(name) for name in wanted if name in parent.fields and name not in taken
                )
                if parent.name == "ArticleConnection" and "nodes" not in taken:
                    extra += (_field("nodes", graphql.SelectionSetNode(selections=())),)
                if not extra:
                    return None
                return graphql.SelectionSetNode(selections=(*node.selections, *extra))

        changed = graphql.visit(document, graphql.TypeInfoVisitor(info, Adder()))
        # Two documents in three lose their paging arguments: random ones seldom go together
        # (first with last, a slug as a cursor…), so lists would hardly ever be answered. The
        # choice depends on the document only, so that a seed replays the same requests.
        if zlib.crc32(graphql.print_ast(document).encode()) % 3:
            changed = graphql.visit(changed, _Untangler())
        return changed if not graphql.validate(schema, changed) else document

    return lambda document: graphql.print_ast(add_fields(document))


_TANGLING = frozenset(
    {
        "after",
        "before",
        "last",
        "page",
        "perPage",
        "offset",
        "since",
        "until",
        "strategy",
        "section",
    }
)
"""Optional arguments that make most random lists fail (see :func:`identifying_printer`)."""


class _Untangler(graphql.Visitor):
    def enter_argument(self, node: graphql.ArgumentNode, *_: Any) -> Any:
        return graphql.REMOVE if node.name.value in _TANGLING else None
