"""The fuzzing suite: 2,250 generated requests against a real ``gqlnews serve``.

hypothesis-graphql writes queries and mutations from the committed schema (one root field each,
its arguments drawn from the newsroom's real ids and slugs, hidden articles' included, and from
edge cases); other strategies send malformed requests (JSON that is not a GraphQL request,
random variables, bytes that are not UTF-8, other content types, odd Authorization headers).
No answer may be a 5xx, name a Python exception or a file, carry an INTERNAL_SERVER_ERROR
(masked or not, an internal error is a bug) or be a 4xx without a GraphQL error code; no
anonymous answer may name an article the public cannot see (its global id, slug or title), no
answer to the author another's unpublished or trashed article, unless the request itself named
it.

The server has a database of its own (a SQLite file, or a PostgreSQL database named from the
run's template), loaded by ``gqlnews demo``, because the author's random mutations change it.
Its rate limits are off (``GQLNEWS_RATE_LIMIT_PER_MINUTE=0`` and the three others, see
``tests/fuzz_support.py``) so that the fuzzer exercises the API rather than the 429s; the cost
limit and the deadline keep their defaults.

The seed is random and printed (and in the failure message); ``GQLNEWS_FUZZ_SEED=<seed>``
replays a run's documents and requests. The number of examples is fixed, so the run takes the
same time (about a minute) whatever the seed.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import graphql
import httpx
import hypothesis_graphql as hg
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from tests.fuzz_checks import OVER_BUDGET, Tally, check_answer
from tests.fuzz_strategies import (
    Raw,
    custom_scalars,
    identifying_printer,
    malformed_requests,
    send_raw,
)
from tests.fuzz_support import Newsroom, fuzz_server, load_newsroom, read_newsroom
from tests.helpers import scratch_database_url

SCHEMA = Path(__file__).parents[1] / "schema" / "schema.graphql"

# Examples per phase: fixed, so that a run takes the same time whatever its seed.
ANONYMOUS_QUERIES = 800
ANONYMOUS_MUTATIONS = 250
MALFORMED = 250
AS_AUTHOR = 650
ANONYMOUS_AFTER = 300
# Seconds the requests may take in all (about 60 s on a loaded 2-core machine): past it, the
# rest is not sent and the test fails, rather than holding the suite while a server hangs.
BUDGET_SECONDS = 150
# Seconds one request may take: the execution deadline (5 s by default) and a wide margin.
REQUEST_TIMEOUT = 30


def fuzz_seed() -> int:
    """``GQLNEWS_FUZZ_SEED`` when set (a replay), else a new random seed."""
    given_seed = os.environ.get("GQLNEWS_FUZZ_SEED", "").strip()
    return int(given_seed) if given_seed else secrets.randbelow(2**32)


def _documents(
    schema: graphql.GraphQLSchema,
    newsroom: Newsroom,
    anonymous: bool,
    root: str,
    leave_out: frozenset[str] = frozenset(),
) -> st.SearchStrategy[str]:
    """Documents of one root field each (of ``root``: ``query`` or ``mutation``), any field
    but those in ``leave_out``."""
    scalars = custom_scalars(newsroom, anonymous)
    make = hg.queries if root == "query" else hg.mutations
    kind = schema.query_type if root == "query" else schema.mutation_type
    assert kind is not None
    printer = identifying_printer(schema)
    return st.one_of(
        *(
            make(schema, fields=[name], custom_scalars=scalars, print_ast=printer)
            for name in kind.fields
            if name not in leave_out
        )
    )


def _run(
    tally: Tally,
    strategy: st.SearchStrategy[Any],
    count: int,
    seed: int,
    send: Callable[[Any], None],
) -> None:
    """``send`` each of ``count`` examples of ``strategy``, generated from ``seed`` (no
    shrinking: failures are collected, not raised)."""

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        derandomize=False,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis_seed(seed)
    @given(strategy)
    def each(example: Any) -> None:
        send(example)

    each()
    tally.drain()


async def test_generated_requests_find_no_internal_error_and_no_hidden_article(
    tmp_path: Path,
) -> None:
    seed = fuzz_seed()
    print(f"fuzz seed {seed}: replay with GQLNEWS_FUZZ_SEED={seed}")
    schema = graphql.build_schema(SCHEMA.read_text())
    started = time.monotonic()
    async with scratch_database_url() as url:
        newsroom = load_newsroom(url)
        assert newsroom.token and newsroom.hidden_ids, "the demo has hidden articles"
        with (
            fuzz_server(url, tmp_path / "server.log") as base,
            httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as http,
            Tally(seed, budget=BUDGET_SECONDS) as tally,
        ):
            ready = time.monotonic()

            def graphql_sender(
                phase: str, token: str | None, watch: Newsroom | None
            ) -> Callable[[tuple[str, bool]], None]:
                headers = {"Authorization": f"Bearer {token}"} if token else {}

                def send(example: tuple[str, bool]) -> None:
                    document, use_get = example
                    if use_get:
                        request = lambda: http.get(  # noqa: E731
                            "/graphql", params={"query": document}, headers=headers
                        )
                    else:
                        request = lambda: http.post(  # noqa: E731
                            "/graphql", json={"query": document}, headers=headers
                        )
                    described = f"{'GET' if use_get else 'POST'} {document}"
                    tally.submit(phase, described, request, document, watch)

                return send

            def send_malformed(raw: Raw) -> None:
                sent = raw.describe() + json.dumps(raw.params, ensure_ascii=False)
                tally.submit(
                    "malformed", raw.describe(), lambda: send_raw(http, raw), sent, newsroom
                )

            queries = _documents(schema, newsroom, anonymous=True, root="query")
            mutations = _documents(schema, newsroom, anonymous=True, root="mutation")
            _run(
                tally,
                st.tuples(queries, st.booleans()),
                ANONYMOUS_QUERIES,
                seed,
                graphql_sender("anonymous query", None, newsroom),
            )
            _run(
                tally,
                st.tuples(mutations, st.just(False)),
                ANONYMOUS_MUTATIONS,
                seed,
                graphql_sender("anonymous mutation", None, newsroom),
            )
            _run(tally, malformed_requests(newsroom), MALFORMED, seed, send_malformed)

            staff_queries = _documents(schema, newsroom, anonymous=False, root="query")
            # signOut would revoke the author's token: every request after it would be a 401.
            staff_mutations = _documents(
                schema, newsroom, anonymous=False, root="mutation", leave_out=frozenset({"signOut"})
            )
            _run(
                tally,
                st.tuples(
                    st.one_of(staff_mutations, staff_mutations, staff_queries), st.just(False)
                ),
                AS_AUTHOR,
                seed,
                graphql_sender("author", newsroom.token, newsroom.for_another_author()),
            )

            # The author's drafts are hidden too: read again what the public may not see.
            # Slugs and titles the author wrote may be anything (a word of a public text): only
            # the ids of the author's drafts are watched, the slugs and titles of the others.
            after = read_newsroom(url)
            watch = dataclasses.replace(
                after,
                hidden_slugs=after.hidden_slugs & newsroom.hidden_slugs,
                hidden_titles=after.hidden_titles & newsroom.hidden_titles,
            )
            queries = _documents(schema, after, anonymous=True, root="query")
            _run(
                tally,
                st.tuples(queries, st.booleans()),
                ANONYMOUS_AFTER,
                seed + 1,
                graphql_sender("anonymous after the author", None, watch),
            )
            fuzzed = time.monotonic() - ready
    total = sum(tally.sent.values())
    print(
        f"fuzz: {total} requests in {fuzzed:.1f} s ({time.monotonic() - started:.1f} s with the"
        f" set-up); {tally.sent} (digest {tally.digest.hexdigest()[:12]});"
        f" {len(tally.failures)} distinct failures;"
        f" answers: {tally.outcomes}"
    )
    assert OVER_BUDGET not in tally.sent, tally.report(tmp_path / "server.log")
    assert total >= 2000 + MALFORMED, tally.sent
    assert not tally.failures, tally.report(tmp_path / "server.log")


def test_the_checks_flag_internal_details_and_hidden_articles_but_not_echoes() -> None:
    """The rules themselves, on made-up answers: they catch what they must (so a green run
    means something) and not what the request itself said (no false alarms)."""
    watch = Newsroom(
        token=None,
        ids=[],
        focus=[],
        slugs=[],
        hidden_ids=frozenset({"QXJ0aWNsZTox"}),
        hidden_slugs=frozenset({"un-brouillon"}),
        hidden_titles=frozenset({"Un brouillon secret"}),
        hidden_words=[],
    )

    def answer(body: object, status: int = 200) -> httpx.Response:
        return httpx.Response(status, content=json.dumps(body).encode())

    def rules(body: object, sent: str = "{ x }", status: int = 200) -> set[str]:
        return {rule for rule, _ in check_answer(answer(body, status), sent, watch)}

    internal = {"errors": [{"message": "x", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}
    assert rules(internal) == {"INTERNAL_SERVER_ERROR"}
    assert rules(internal, status=500) == {"HTTP 5xx"}
    assert rules({"errors": [{"message": "KeyError: 'slug'"}]}, status=400) == {
        "Python exception name",
        "HTTP error without a GraphQL error code",
    }
    assert rules({"data": {"m": 'File "/srv/app/x.py", line 3'}}) == {"traceback or file path"}
    assert rules({"errors": [{"message": "Traceback (most recent call last):"}]}) == {
        "traceback or file path"
    }
    assert rules({"data": {"a": {"id": "QXJ0aWNsZTox"}}}) == {"hidden article id"}
    assert rules({"data": {"i": {"url": "https://cdn/un-brouillon.jpg"}}}) == {
        "hidden article slug"
    }
    assert rules({"data": {"a": {"title": "Un brouillon secret"}}}) == {"hidden article title"}
    # Not a leak: another id that begins alike, a longer slug, what the request named.
    assert rules({"data": {"a": {"id": "QXJ0aWNsZToxMA", "slug": "un-brouillon-2"}}}) == set()
    echoed = {"errors": [{"message": "no ID 'QXJ0aWNsZTox'", "extensions": {"code": "NOT_FOUND"}}]}
    assert rules(echoed, sent='{ node(id: "QXJ0aWNsZTox") { id } }') == set()
    refused = {"errors": [{"message": "Too many requests", "extensions": {"code": "RATE_LIMITED"}}]}
    assert rules(refused, status=429) == set()
    assert rules({"data": {"t": {"__typename": "MutationError"}}}) == set()
    assert check_answer(httpx.Response(502, text="<html>"), "", None) == [
        ("HTTP 5xx", "502"),
        ("answer not JSON", "HTTP 502"),
    ]
    assert rules({"errors": [{"message": "x"}]}, status=405) == {
        "HTTP error without a GraphQL error code"
    }
