"""Benchmark: what publishing or unpublishing one article purges from a full response cache,
and how long the purge takes.

Imports the 10k-article archive with `gqlnews import` (bench/import_rate.py's function) into a
fresh SQLite file and, unless --no-postgres, into a fresh PostgreSQL database (created and
dropped here) served with the Redis tier. In this process, the app (`create_app`) runs its
lifespan, which starts the cache as a server does, and the cache is filled with N real answers
(default 10,000) through httpx's ASGI transport: anonymous GETs of article pages (the example
query), a lighter article query, section fronts page by page, tag and author pages, editions by
number, searches and the front page. Then an editor unpublishes the newest article
(articleUnpublish), the answers it purged are asked again, and the editor publishes it again
(articlePublish).

For each write: the answers held before and after, those purged by kind and why (they showed
the article, or a list they show changed), whether any answer still held shows the article
after its unpublishing (it must not), and the time of the cache's purge work, in wall and in
this process's CPU time: the call of `ResponseCache.on_event` that the real write path makes
(the keys the change touches, read from the database, then the drop here, in Redis and the
announcement), and any other purge the write makes (a plugin's, through gqlnews.cache.bus),
beside the mutation as the client sees it. To observe this the bench wraps three methods of
the app's cache instance: put (which request stored which answer), on_event and on_purge
(their times).

Unlike a server: answers are kept an hour (GQLNEWS_CACHE_TTL, and the rankings'
GQLNEWS_RANKING_CACHE_SECONDS), so that a fill that takes minutes is whole at the writes; the
scheduler and the related plugin's indexer are off, so that nothing but the bench writes (one
scheduler round first publishes what the archive has due). Prints Markdown; --write appends
it, dated, to bench/cache-purge-results.md.

    .venv/bin/python bench/cache_purge.py --write
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import os
import platform
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
from cache import _append_dated, _tree
from import_rate import DEFAULT_ARCHIVE, _import, _postgres
from run import ROOT, _payload

from gqlnews.accounts import tokens, users
from gqlnews.cache.entry import Entry
from gqlnews.cache.service import ResponseCache
from gqlnews.models import Article, Author, Edition, Section, Tag, TokenKind, UserRole
from gqlnews.newsroom.events import Event
from gqlnews.newsroom.publishing import Publisher
from gqlnews.newsroom.scheduler import run_once
from gqlnews.server import create_app
from gqlnews.settings import Settings
from gqlnews.visibility import visible_articles

RESULTS = ROOT / "bench" / "cache-purge-results.md"
AIM = "with 10,000 cached answers, publishing or unpublishing one article purges only the "
AIM += "answers that depend on it, in < 50 ms"

ARTICLE = """query ArticleApp($slug: String!) {
  article(slug: $slug) {
    id slug title subtitle publishedAt body
    primarySection { slug name } sections { slug } authors { slug name } tags { slug name }
    image { url credit }
  }
}"""
ARTICLES = """articles(page: $page, perPage: 20) {
      page totalCount
      nodes { slug title publishedAt primarySection { slug name } excerpt(maxLength: 160) }
    }"""
TAG = (
    f"query TagPage($slug: String!, $page: Int!) {{ tag(slug: $slug) {{ slug name {ARTICLES} }} }}"
)
AUTHOR = (
    "query AuthorPage($slug: String!, $page: Int!) "
    f"{{ author(slug: $slug) {{ slug name {ARTICLES} }} }}"
)
EDITION = """query EditionPage($number: Int!) {
  edition(number: $number) {
    number date title cover { url credit }
    pages { number articles { slug title primarySection { slug } } }
    supplements { slug title }
  }
}"""
ID_AND_VERSION = "query($slug: String!) { article(slug: $slug) { id version } }"
MOVE = """mutation($id: ID!, $version: Int!) {
  %s(id: $id, version: $version) { article { version } errors { code message } }
}"""

Request = tuple[str, str, dict[str, Any]]
"""A fill request: its kind, document and variables."""
_REQUEST: ContextVar[Request | None] = ContextVar("request", default=None)
"""The fill request being answered (read by put's wrapper)."""
_IN_EVENT: ContextVar[bool] = ContextVar("in_event", default=False)


@dataclass(frozen=True)
class Spent:
    """Milliseconds of wall time and of this process's CPU time (the latter is what the work
    costs here, whatever else the machine runs; it leaves out PostgreSQL's and Redis's)."""

    wall: float = 0.0
    cpu: float = 0.0

    def __add__(self, other: Spent) -> Spent:
        return Spent(self.wall + other.wall, self.cpu + other.cpu)

    def __sub__(self, other: Spent) -> Spent:
        return Spent(self.wall - other.wall, self.cpu - other.cpu)

    def __str__(self) -> str:
        return f"{self.wall:.1f} / {self.cpu:.1f}"

    @staticmethod
    def now() -> Spent:
        return Spent(time.perf_counter() * 1000, time.process_time() * 1000)


@dataclass
class Observed:
    """What the wrappers saw: each stored answer's request, and the purges' times."""

    stored: dict[str, Request] = field(default_factory=dict)
    events: list[Spent] = field(default_factory=list)
    """Each on_event call's time."""
    purges: list[tuple[frozenset[str], Spent, bool]] = field(default_factory=list)
    """Each on_purge call: its keys, its time, and whether on_event made it."""


def _observe(cache: ResponseCache) -> Observed:
    """Wrap the cache instance's put, on_event and on_purge (before it starts: start() hands
    its bound on_event and on_purge to the listeners)."""
    seen = Observed()
    put, on_event, on_purge = cache.put, cache.on_event, cache.on_purge

    async def observed_put(ticket: Any, *args: Any, **kwargs: Any) -> Any:
        entry = await put(ticket, *args, **kwargs)
        request = _REQUEST.get()
        if entry is not None and request is not None:
            seen.stored[ticket.cache_key] = request
        return entry

    async def timed_event(event: Event) -> None:
        token = _IN_EVENT.set(True)
        started = Spent.now()
        try:
            await on_event(event)
        finally:
            seen.events.append(Spent.now() - started)
            _IN_EVENT.reset(token)

    async def timed_purge(keys: frozenset[str]) -> None:
        started = Spent.now()
        await on_purge(keys)
        seen.purges.append((keys, Spent.now() - started, _IN_EVENT.get()))

    cache.put = observed_put  # type: ignore[method-assign]
    cache.on_event = timed_event  # type: ignore[method-assign]
    cache.on_purge = timed_purge  # type: ignore[method-assign]
    return seen


async def _plan(entries: int, article_pages: int) -> list[Request]:
    """``entries`` distinct anonymous requests of a news site, as (kind, document, variables)."""
    slugs = await visible_articles().order_by("-published_at").values_list("slug", flat=True)
    tags = await Tag.all().order_by("id").values_list("slug", "name")
    authors = await Author.all().order_by("id").values_list("slug", flat=True)
    sections = await Section.all().order_by("position").values_list("slug", flat=True)
    numbers = await Edition.all().order_by("-number").values_list("number", flat=True)
    front, section, search, page = (
        str(_payload(name)["query"])
        for name in ("front-page", "section-page-2", "search", "article-page")
    )
    plan: list[Request] = [("front page", front, {})]
    plan += [("article page", page, {"slug": s}) for s in slugs[:article_pages]]
    plan += [("edition", EDITION, {"number": n}) for n in numbers]
    plan += [
        ("section front", section, {"slug": s, "page": p, "perPage": 20})
        for s in sections
        for p in range(1, 21)
    ]
    plan += [("tag page", TAG, {"slug": s, "page": p}) for s, _name in tags for p in (1, 2)]
    plan += [("author page", AUTHOR, {"slug": s, "page": p}) for s in authors for p in (1, 2)]
    plan += [("search", search, {"query": name}) for _slug, name in tags[:300]]
    plan += [("article (light)", ARTICLE, {"slug": s}) for s in slugs[article_pages:]]
    if len(plan) < entries:
        raise SystemExit(f"the archive offers {len(plan)} requests, fewer than {entries}")
    return plan[:entries]


async def _ask(client: httpx.AsyncClient, request: Request) -> None:
    """One anonymous GET (the cacheable kind), which must answer without errors."""
    _kind, document, variables = request
    token = _REQUEST.set(request)
    try:
        params = {"query": document, "variables": orjson.dumps(variables).decode()}
        response = await client.get("/graphql", params=params)
    finally:
        _REQUEST.reset(token)
    if response.status_code != 200 or "errors" in response.json():
        raise SystemExit(f"{request[0]} {variables} failed: {response.text[:500]}")


async def _fill(client: httpx.AsyncClient, requests: list[Request], concurrency: int) -> float:
    """Ask every request, ``concurrency`` at a time; the seconds it took."""
    started = time.perf_counter()
    gate = asyncio.Semaphore(concurrency)

    async def one(request: Request) -> None:
        async with gate:
            await _ask(client, request)

    await asyncio.gather(*(one(request) for request in requests))
    return time.perf_counter() - started


async def _redis_entries(cache: ResponseCache) -> int | None:
    """Answers in the Redis tier (None without one)."""
    shared = cache.shared
    if shared is None:
        return None
    return len([1 async for _ in shared.client.scan_iter(match=shared.entry + "*", count=1000)])


def _shape(key: str, own: set[str]) -> str:
    """A core surrogate key with its ids and slugs left out (``Tag:slug:…:articles``); a
    plugin's key (lower case) as it is."""
    if key in own:
        return f"{key.rsplit(':', 1)[0]}:… (the article itself)"
    return _ID_OR_SLUG.sub("…", key) if key[:1].isupper() else key


_ID_OR_SLUG = re.compile(r"(?<=:)(?!(?:list|search|slug|number|articles)(?::|$))[^:]+")


@dataclass
class Write:
    """One publishing write and what it did to the cache."""

    name: str
    held_before: int
    held_after: int
    purged: Counter[str]
    """Purged answers by kind of request."""
    showed: Counter[str]
    """Of those, the answers that showed the article (carried its own key), by kind."""
    carried: Counter[str]
    """Purged answers by the shape of the purge keys they carried."""
    event: Spent
    """The cache's on_event: the keys from the database, then the purge (its on_purge)."""
    event_purge: Spent
    """That on_purge: the drop here, in Redis, the announcement and the hook."""
    other_purges: tuple[int, Spent]
    """Other purges during the write (plugins, through gqlnews.cache.bus): how many, ms."""
    mutation_ms: float
    keys: int
    redis: tuple[int | None, int | None]
    still_showing: int
    """Answers held after the write whose body names the article."""


class Session:
    """The app on one database, its cache filled through the ASGI transport."""

    def __init__(self, client: httpx.AsyncClient, cache: ResponseCache, seen: Observed) -> None:
        self.client, self.cache, self.seen = client, cache, seen

    def held(self) -> dict[str, Entry]:
        """The answers this bench stored that the in-process tier still holds."""
        now, found = time.time(), {}
        for key in self.seen.stored:
            entry = self.cache.local.get(key, now)
            if entry is not None:
                found[key] = entry
        return found

    async def write(self, mutation: str, slug: str, editor: dict[str, str]) -> Write:
        """Run ``mutation`` (articleUnpublish, articlePublish) on the article ``slug``."""
        article = (await self._as(editor, ID_AND_VERSION, {"slug": slug}))["article"]
        pk = await Article.filter(slug=slug).first().values_list("id", flat=True)
        before, redis_before = self.held(), await _redis_entries(self.cache)
        if len(before) != len(self.seen.stored):
            expired = Counter(
                kind for k, (kind, _, _) in self.seen.stored.items() if k not in before
            )
            raise SystemExit(f"answers expired before {mutation}: {_counts(expired)}")
        self.seen.events.clear()
        self.seen.purges.clear()
        started = time.perf_counter()
        variables = {"id": article["id"], "version": article["version"]}
        payload = (await self._as(editor, MOVE % mutation, variables))[mutation]
        mutation_ms = (time.perf_counter() - started) * 1000
        if payload["errors"]:
            raise SystemExit(f"{mutation} refused: {payload['errors']}")
        after, redis_after = self.held(), await _redis_entries(self.cache)
        keys = frozenset().union(*(keys for keys, _seconds, _inside in self.seen.purges))
        others = [spent for _keys, spent, inside in self.seen.purges if not inside]
        own = {f"Article:{pk}", f"Article:slug:{slug}"}
        purged = [key for key in before if key not in after]
        carried: Counter[str] = Counter()
        for key in purged:
            carried.update({_shape(k, own) for k in before[key].keys if k in keys})
        name = f'"{slug}"'.encode()
        return Write(
            name=mutation,
            held_before=len(before),
            held_after=len(after),
            purged=Counter(self.seen.stored[key][0] for key in purged),
            showed=Counter(
                self.seen.stored[key][0] for key in purged if own & set(before[key].keys)
            ),
            carried=carried,
            event=sum(self.seen.events, Spent()),
            event_purge=sum((t for _keys, t, inside in self.seen.purges if inside), Spent()),
            other_purges=(len(others), sum(others, Spent())),
            mutation_ms=mutation_ms,
            keys=len(keys),
            redis=(redis_before, redis_after),
            still_showing=sum(1 for entry in after.values() if name in entry.body),
        )

    async def _as(self, editor: dict[str, str], query: str, variables: dict[str, Any]) -> Any:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=editor
        )
        body = response.json()
        if body.get("errors"):
            raise SystemExit(f"the editor's request failed: {body['errors']}")
        return body["data"]


@dataclass
class Outcome:
    database: str
    import_seconds: float
    fill_seconds: float
    answers: Counter[str]
    """Answers stored by the fill, by kind."""
    bytes: int
    due: int
    """Scheduled publications of the archive already due, made before the fill."""
    writes: list[Write]


async def _session(
    database: str, settings: Settings, import_seconds: float, args: argparse.Namespace
) -> Outcome:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    app = create_app(settings)
    cache: ResponseCache = app.state.cache
    seen = _observe(cache)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://bench") as client,
    ):
        deadline = time.monotonic() + 10
        while not cache.connected:  # Redis: the listener subscribes first
            if time.monotonic() > deadline:
                raise SystemExit("the cache did not connect to Redis")
            await asyncio.sleep(0.05)
        # A server's scheduler would first publish what the archive has due; answers would
        # otherwise live a second (see gqlnews.cache.transitions).
        publisher, due = Publisher(app.state.plugins), 0
        while done := await run_once(publisher):
            due += done
        editor = await _editor()
        requests = await _plan(args.entries, args.article_pages)
        print(f"{database}: filling the cache with {len(requests):,} answers…", flush=True)
        fill_seconds = await _fill(client, requests, args.concurrency)
        if len(cache.local) != args.entries or cache.local.counts.evictions:
            raise SystemExit(
                f"the cache holds {len(cache.local)} answers ({cache.local.counts.evictions} "
                f"evicted), not {args.entries}: raise --max-mib"
            )
        outcome = Outcome(
            database,
            import_seconds,
            fill_seconds,
            Counter(kind for kind, _document, _variables in seen.stored.values()),
            cache.local.bytes,
            due,
            [],
        )
        slug = (
            await visible_articles()
            .order_by("-published_at")
            .first()
            .values_list("slug", flat=True)
        )
        session = Session(client, cache, seen)
        unpublished = await session.write("articleUnpublish", str(slug), editor)
        outcome.writes.append(unpublished)
        # Ask again what the unpublishing purged: the cache holds N answers again.
        held = session.held()
        await _fill(client, [r for k, r in seen.stored.items() if k not in held], args.concurrency)
        outcome.writes.append(await session.write("articlePublish", str(slug), editor))
    return outcome


async def _editor() -> dict[str, str]:
    """An editor's API token, as the Authorization header."""
    user = await users.create_user("bench-editor@example.org", "Bench", UserRole.EDITOR, None)
    issued = await tokens.issue(user, TokenKind.API, expires_at=None)
    return {"Authorization": f"Bearer {issued.text}"}


def _settings(database_url: str, redis_url: str, args: argparse.Namespace) -> Settings:
    """A server's settings, except: answers kept an hour (the fill must not outlive them), room
    for every answer, no scheduler (nothing but the bench writes)."""
    return Settings(
        database_url=database_url,
        redis_url=redis_url,
        cache=True,
        cache_ttl=3600,
        cache_max_bytes=args.max_mib * 1024 * 1024,
        scheduler_interval=0,
        graphiql=False,
        log_level="WARNING",
    )


def _sqlite(args: argparse.Namespace) -> Outcome:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite://{tmp}/purge.sqlite3"
        imported = _import(url, args.archive, [])
        settings = _settings(url, "", args)
        return asyncio.run(_session("SQLite", settings, imported.total_seconds, args))


def _postgresql(args: argparse.Namespace) -> Outcome:
    name = f"gqlnews_purge_{os.getpid()}"
    admin = f"{args.postgres.replace('postgres://', 'postgresql://', 1)}/postgres"
    asyncio.run(_postgres(admin, f'DROP DATABASE IF EXISTS "{name}"'))
    asyncio.run(_postgres(admin, f'CREATE DATABASE "{name}"'))
    try:
        url = f"{args.postgres}/{name}"
        imported = _import(url, args.archive, [])
        settings = _settings(url, args.redis, args)
        database = "PostgreSQL + Redis"
        return asyncio.run(_session(database, settings, imported.total_seconds, args))
    finally:
        asyncio.run(_postgres(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _apart(run: Callable[[argparse.Namespace], Outcome], args: argparse.Namespace) -> Outcome:
    """``run(args)`` in a process of its own: Tortoise keeps the SQL it built for the first
    database a process opened (SQLite's placeholders would reach PostgreSQL)."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(run, args).result()


def _verdict(database: str, w: Write) -> str:
    total = w.event + w.other_purges[1]
    others = f", the write's other purges {w.other_purges[1]}" if w.other_purges[0] else ""
    showed = sum(w.showed.values())
    return (
        f"- {database}, {w.name}: {w.held_before - w.held_after:,} of {w.held_before:,} answers "
        f"purged, {showed:,} of which showed the article; purge work {total.wall:.1f} ms wall "
        f"({total.cpu:.1f} ms CPU here; on_event {w.event}{others}): "
        + ("**under 50 ms**" if total.wall < 50 else "**over 50 ms**")
    )


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{kind} {n:,}" for kind, n in counter.most_common()) or "none"


def _report(outcome: Outcome) -> str:
    kinds = list(outcome.answers)
    lines = [
        f"### {outcome.database}",
        "",
        f"Archive imported (and indexed) in {outcome.import_seconds:.1f} s; a scheduler round "
        f"published the {outcome.due} publications it had due. The cache filled "
        f"with {sum(outcome.answers.values()):,} answers ({outcome.bytes / 2**20:.0f} MiB) in "
        f"{outcome.fill_seconds:.0f} s: {_counts(outcome.answers)}.",
        "",
        "Times in ms, wall / this process's CPU.",
        "",
        "| write | answers before | purged | after | purge: on_event | of which keys from "
        "the database | of which drop here, in Redis, hook | other purges in the write: "
        "how many, time | purge keys | mutation (client, wall) | Redis answers before → after "
        "| answers still naming the article |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for w in outcome.writes:
        redis = "–" if w.redis[0] is None else f"{w.redis[0]:,} → {w.redis[1]:,}"
        lines.append(
            f"| {w.name} | {w.held_before:,} | {w.held_before - w.held_after:,} "
            f"| {w.held_after:,} | **{w.event}** | {w.event - w.event_purge} "
            f"| {w.event_purge} | {w.other_purges[0]}, {w.other_purges[1]} "
            f"| {w.keys} | {w.mutation_ms:.0f} | {redis} | {w.still_showing} |"
        )
    lines += [
        "",
        "| kind | answers held | "
        + " | ".join(f"purged by {w.name} (showed the article)" for w in outcome.writes)
        + " |",
        "|---|---:|" + "---:|" * len(outcome.writes),
    ]
    for kind in kinds:
        cells = [f"{w.purged[kind]:,} ({w.showed[kind]:,})" for w in outcome.writes]
        lines.append(f"| {kind} | {outcome.answers[kind]:,} | " + " | ".join(cells) + " |")
    lines.append("")
    for w in outcome.writes:
        lines.append(
            f"Purge keys carried by the answers {w.name} dropped (an answer counts under each "
            f"it carried): {_counts(w.carried)}."
        )
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("archive", nargs="?", type=Path, default=DEFAULT_ARCHIVE)
    parser.add_argument("--entries", type=int, default=10_000, help="Answers in the cache.")
    parser.add_argument(
        "--article-pages",
        type=int,
        default=3000,
        help="How many of them are article pages (the example query, ~25 ms each to compute); "
        "the rest of the articles are asked with a lighter query.",
    )
    parser.add_argument("--concurrency", type=int, default=4, help="Fill requests at a time.")
    parser.add_argument("--max-mib", type=int, default=512, help="GQLNEWS_CACHE_MAX_BYTES in MiB.")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server URL without database name.",
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only.")
    parser.add_argument("--write", action="store_true", help=f"Also append to {RESULTS.name}.")
    args = parser.parse_args()
    if not args.archive.exists():
        sys.exit(f"{args.archive} does not exist (the shared datasets live in ../shared)")
    # The related plugin's background indexer would run beside the timed purge: off. Rankings
    # are cached a minute by default: an hour, so that the first answers of a fill that takes
    # minutes are still there at the write.
    os.environ["GQLNEWS_RELATED_INDEX_INTERVAL"] = "0"
    os.environ["GQLNEWS_RANKING_CACHE_SECONDS"] = "3600"
    tree = _tree()
    outcomes = [_apart(_sqlite, args)]
    if not args.no_postgres:
        outcomes.append(_apart(_postgresql, args))
    command = " ".join(["bench/cache_purge.py", *sys.argv[1:]])
    verdicts = [_verdict(o.database, w) for o in outcomes for w in o.writes]
    report = (
        f"Command: `.venv/bin/python {command}`\n\n"
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, code {tree}; "
        f"archive `{args.archive.name}`; the app in the bench's process (ASGI transport), "
        f"{args.concurrency} fill requests at a time; database and Redis on the same machine. "
        "The article is the newest public one; the purge time is one measurement per write.\n\n"
        f"Aim (the issue's): {AIM}.\n\n"
        + "\n".join(verdicts)
        + "\n\n"
        + "\n".join(_report(outcome) for outcome in outcomes)
    )
    print("\n" + report)
    if args.write:
        heading = "unpublishing and publishing one article, 10k archive"
        _append_dated(RESULTS, "Response cache: the cost of a purge", heading, report)


if __name__ == "__main__":
    main()
