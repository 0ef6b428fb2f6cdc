"""Rate limits: GraphQL requests per client IP and per Bearer token (429 + Retry-After),
sign-in attempts per account and per IP (aliases count; one signIn per request is checked),
client IPs behind trusted proxies, buckets shared through Redis, and the fallback when Redis
does not answer. Time is a clock the tests move, never a sleep."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
import redis.asyncio as redis
from starlette.applications import Starlette

from gqlnews.accounts import passwords
from gqlnews.cache.shared import namespace
from gqlnews.demo import DemoSummary
from gqlnews.models import UserRole
from gqlnews.ratelimit import RateLimits
from gqlnews.ratelimit.buckets import LocalBuckets, Rate
from gqlnews.ratelimit.clientip import ClientAddresses, parse_networks
from gqlnews.ratelimit.limiter import RETRY_SECONDS, Limiter
from gqlnews.ratelimit.shared import PREFIX, SharedBuckets
from gqlnews.server import create_app
from gqlnews.settings import Settings, SettingsError
from gqlnews.testing import count_queries
from tests.account_factories import PASSWORD, make_user, staff_token
from tests.cache_helpers import cached_app
from tests.helpers import TEST_DATABASE_URL

REDIS_URL = os.environ.get("GQLNEWS_TEST_REDIS_URL") or "redis://127.0.0.1:6379/2"
DEAD_REDIS_URL = "redis://127.0.0.1:1/0"
QUERY = "{ __typename }"


def sign_in_field(email: str, password: str) -> str:
    return f'signIn(email: "{email}", password: "{password}") {{ token errors {{ code }} }}'


class Clock:
    """Seconds, moved by the test."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def limited_app(clock: Clock, redis_url: str = "", **limits: Any) -> Starlette:
    """An app with the given limits (the others off) on the session's database."""
    values: dict[str, Any] = {
        "rate_limit_per_minute": 0,
        "token_rate_limit_per_minute": 0,
        "sign_in_limit_per_hour": 0,
        "sign_in_ip_limit_per_hour": 0,
        **limits,
    }
    app = create_app(Settings(database_url=TEST_DATABASE_URL, redis_url=redis_url, **values))
    limiter = app.state.rate_limits.limiter
    limiter.clock = clock
    return app


def rate_limits(app: Starlette) -> RateLimits:
    limits: RateLimits = app.state.rate_limits
    return limits


def client_of(app: Starlette, ip: str = "198.51.100.7") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def ask(http: httpx.AsyncClient, headers: dict[str, str] | None = None) -> httpx.Response:
    return await http.post("/graphql", json={"query": QUERY}, headers=headers)


def assert_limited(response: httpx.Response, retry: int) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["retry-after"] == str(retry)
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": retry}
    assert f"retry in {retry} s" in error["message"]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every argon2 verification (real ones, counted)."""
    calls: list[str] = []
    real = passwords._verify_sync

    def counted(stored: str, password: str) -> passwords.Verdict:
        calls.append(password)
        return real(stored, password)

    monkeypatch.setattr(passwords, "_verify_sync", counted)
    return calls


# --- GraphQL requests ------------------------------------------------------------------


async def test_an_ip_bucket_refuses_with_429_and_refills(demo: DemoSummary, clock: Clock) -> None:
    app = limited_app(clock, rate_limit_per_minute=3)
    async with client_of(app) as http, client_of(app, "198.51.100.8") as other:
        assert (await ask(http)).status_code == 200
        assert (await http.get("/graphql", params={"query": QUERY})).status_code == 200
        assert (await ask(http)).status_code == 200
        assert_limited(await ask(http), 20)  # 3 a minute: one token every 20 s
        assert_limited(await http.get("/graphql", params={"query": QUERY}), 20)
        clock.now += 5
        assert_limited(await ask(http), 15)
        for path in ("/healthz", "/readyz", "/metrics"):
            assert (await http.get(path)).status_code == 200, path
        assert (await ask(other)).status_code == 200, "another client has its own bucket"
        clock.now += 15
        assert (await ask(http)).status_code == 200
        assert (await ask(http)).status_code == 429
        clock.now += 3600  # refilled to 3, never more
        assert [(await ask(http)).status_code for _ in range(4)] == [200, 200, 200, 429]


async def test_a_token_has_its_own_bucket_instead_of_its_ip(
    demo: DemoSummary, clock: Clock
) -> None:
    _user, token = await staff_token(UserRole.EDITOR)
    app = limited_app(clock, rate_limit_per_minute=2, token_rate_limit_per_minute=3)
    signed = {"Authorization": f"Bearer {token}"}
    async with client_of(app) as http:
        assert [(await ask(http)).status_code for _ in range(3)] == [200, 200, 429]
        assert [(await ask(http, signed)).status_code for _ in range(3)] == [200, 200, 200]
        refused = await ask(http, signed)
        assert_limited(refused, 20)
        assert "with one token" in refused.json()["errors"][0]["message"]
    keys = list(rate_limits(app).limiter.local._buckets)
    assert token not in str(keys), "buckets are keyed by the token's hash, never the token"


async def test_made_up_tokens_count_against_the_ip(demo: DemoSummary, clock: Clock) -> None:
    app = limited_app(clock, rate_limit_per_minute=2, token_rate_limit_per_minute=100)
    async with client_of(app) as http:
        for n in range(3):  # the third empties no more: it is refused and marks the IP
            fake = {"Authorization": f"Bearer gqna_0123456789ab_{str(n) * 43}"}
            assert (await ask(http, fake)).status_code == 401
        third = {"Authorization": "Bearer gqna_0123456789ab_" + "x" * 43}
        assert_limited(await ask(http, third), 30)  # 2 a minute: one token every 30 s
        assert (await ask(http)).status_code == 429
        clock.now += 30
        assert (await ask(http)).status_code == 200


def test_client_addresses_trust_forwarding_only_from_trusted_proxies() -> None:
    addresses = ClientAddresses(parse_networks("10.0.0.0/8, 192.0.2.1"))

    def of(peer: str, *forwarded: str) -> str:
        headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
        return addresses.of({"type": "http", "client": (peer, 1), "headers": headers})

    assert of("203.0.113.5") == "203.0.113.5"
    assert of("203.0.113.5", "1.1.1.1") == "203.0.113.5", "an untrusted peer is not believed"
    assert of("10.1.2.3", "6.6.6.6, 1.1.1.1") == "1.1.1.1", "right-most untrusted entry"
    assert of("10.1.2.3", "6.6.6.6, 1.1.1.1, 192.0.2.1", "10.0.0.9") == "1.1.1.1"
    assert of("10.1.2.3", "10.0.0.9") == "10.0.0.9", "all trusted: the farthest one"
    assert of("10.1.2.3") == "10.1.2.3"
    assert of("10.1.2.3", "6.6.6.6, junk") == "10.1.2.3", "garbage: the last trusted hop"
    assert of("10.1.2.3", "2001:db8:1:2:3::9") == "2001:db8:1:2::/64"
    assert of("::ffff:203.0.113.5") == "203.0.113.5"
    assert ClientAddresses().of({"type": "http", "client": None, "headers": []}) == "unknown"


def test_trusted_proxies_are_validated_at_startup() -> None:
    with pytest.raises(SettingsError, match=r"GQLNEWS_TRUSTED_PROXIES.*'proxy\.local'"):
        Settings.from_env({"GQLNEWS_TRUSTED_PROXIES": "10.0.0.0/8, proxy.local"})
    assert Settings.from_env({"GQLNEWS_TRUSTED_PROXIES": "10.0.0.0/8, ::1"}).trusted_proxies


async def test_forwarded_for_is_honoured_only_from_a_trusted_peer(
    demo: DemoSummary, clock: Clock
) -> None:
    app = limited_app(clock, rate_limit_per_minute=1, trusted_proxies="10.0.0.0/8")

    def via(address: str) -> dict[str, str]:
        return {"X-Forwarded-For": f"6.6.6.{address[-1]}, {address}"}

    async with client_of(app, "10.0.0.2") as proxy, client_of(app, "203.0.113.9") as direct:
        assert (await ask(proxy, via("1.1.1.1"))).status_code == 200
        assert (await ask(proxy, via("1.1.1.1"))).status_code == 429
        assert (await ask(proxy, via("1.1.1.2"))).status_code == 200, "another client"
        assert (await ask(direct, {"X-Forwarded-For": "9.9.9.1"})).status_code == 200
        spoofed = await ask(direct, {"X-Forwarded-For": "9.9.9.2"})
        assert spoofed.status_code == 429, "a spoofed header from an untrusted peer is ignored"


def test_local_buckets_are_bounded() -> None:
    buckets = LocalBuckets(max_keys=100)
    rate = Rate(1, 60.0)
    for n in range(10_000):
        buckets.take(f"ip:{n}", rate, 0.0)
    assert len(buckets) == 100
    assert buckets.take("ip:9999", rate, 0.0) > 0, "the most recent ones are kept"


# --- sign-in attempts --------------------------------------------------------------------


async def sign_in(http: httpx.AsyncClient, email: str, password: str = "wrong password!") -> Any:
    return await http.post(
        "/graphql", json={"query": "mutation { " + sign_in_field(email, password) + " }"}
    )


async def test_aliased_sign_ins_check_no_password_and_each_counts(
    demo: DemoSummary, clock: Clock, verifications: list[str]
) -> None:
    user = await make_user(UserRole.EDITOR, password=PASSWORD)
    app = limited_app(clock, sign_in_limit_per_hour=100, sign_in_ip_limit_per_hour=31)
    aliased = " ".join(
        f"a{n}: " + sign_in_field(user.email, f"guess number {n}") for n in range(30)
    )
    async with client_of(app) as http:
        response = await http.post("/graphql", json={"query": f"mutation {{ {aliased} }}"})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["data"] is None
        assert {e["extensions"]["code"] for e in body["errors"]} == {"TOO_MANY_SIGN_INS"}
        assert "has 30 signIn fields" in body["errors"][0]["message"]
        assert verifications == [], "no password was checked"
        # The 30 attempts were counted: one is left of 31 this hour.
        ok = (await sign_in(http, user.email, PASSWORD)).json()["data"]["signIn"]
        assert ok["errors"] == [] and ok["token"]
        assert verifications == [PASSWORD]
        refused = await sign_in(http, user.email, PASSWORD)
        assert_limited(refused, 117)  # 31 an hour: one every 116.1 s
        assert refused.json()["data"] is None
        assert verifications == [PASSWORD], "a refused attempt checks no password"


async def test_sign_ins_are_limited_per_account_named_whether_it_exists_or_not(
    demo: DemoSummary, clock: Clock, verifications: list[str]
) -> None:
    user = await make_user(UserRole.EDITOR, password=PASSWORD)
    app = limited_app(clock, sign_in_limit_per_hour=2, sign_in_ip_limit_per_hour=100)
    answers: dict[str, list[tuple[int, Any]]] = {}
    async with client_of(app) as http:
        for email in (user.email, f"nobody-{uuid.uuid4().hex}@example.org"):
            answers[email] = []
            for spelling in (email, f"  {email.upper()} ", email):
                response = await sign_in(http, spelling)
                answers[email].append((response.status_code, response.json()))
        assert len(verifications) == 4
        first, second = answers.values()
        assert first == second, "an unknown account is limited exactly as a real one"
        statuses = [status for status, _body in first]
        assert statuses == [200, 200, 429]
        error = first[2][1]["errors"][0]
        assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": 1800}
        assert "per hour for one account" in error["message"]
        refused = await sign_in(http, user.email, PASSWORD)
        assert refused.status_code == 429, "even with the right password"
        assert (await sign_in(http, "someone.else@example.org")).status_code == 200
        clock.now += 1800
        ok = (await sign_in(http, user.email, PASSWORD)).json()["data"]["signIn"]
        assert ok["errors"] == []


async def test_sign_ins_are_limited_per_ip(demo: DemoSummary, clock: Clock) -> None:
    app = limited_app(clock, sign_in_limit_per_hour=100, sign_in_ip_limit_per_hour=2)
    async with client_of(app) as http, client_of(app, "198.51.100.99") as other:
        assert (await sign_in(http, "a@example.org")).status_code == 200
        assert (await sign_in(http, "b@example.org")).status_code == 200
        refused = await sign_in(http, "c@example.org")
        assert_limited(refused, 1800)
        assert "from one client" in refused.json()["errors"][0]["message"]
        assert (await sign_in(other, "c@example.org")).status_code == 200


async def test_checking_a_password_does_not_block_other_requests(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sign-in's argon2 work runs in a thread: other requests are answered meanwhile."""
    started, release = threading.Event(), threading.Event()
    real = passwords._verify_sync

    def slow(stored: str, password: str) -> passwords.Verdict:
        started.set()
        release.wait(30)
        return real(stored, password)

    monkeypatch.setattr(passwords, "_verify_sync", slow)
    signing_in = asyncio.ensure_future(sign_in(client, "slow@example.org"))
    try:
        while not started.is_set():
            await asyncio.sleep(0.01)
        other = await asyncio.wait_for(ask(client), 10)
        assert other.status_code == 200
        assert not signing_in.done()
    finally:
        release.set()
    assert (await signing_in).status_code == 200


# --- Redis ---------------------------------------------------------------------------------


@pytest_asyncio.fixture
async def space() -> AsyncIterator[str]:
    """A Redis namespace of the test's own, deleted at the end."""
    name = f"test-{uuid.uuid4().hex}"
    yield name
    client = redis.from_url(REDIS_URL)
    try:
        async for key in client.scan_iter(match=f"{PREFIX}{name}:*"):
            await client.delete(key)
    finally:
        await client.aclose()


async def test_two_apps_share_buckets_through_redis(
    demo: DemoSummary, clock: Clock, space: str
) -> None:
    apps = [limited_app(clock, REDIS_URL, rate_limit_per_minute=2) for _ in range(2)]
    for app in apps:
        rate_limits(app).limiter = Limiter(REDIS_URL, space, clock=clock)
    assert RateLimits(apps[0].state.settings).limiter.space == namespace(TEST_DATABASE_URL)
    try:
        async with client_of(apps[0]) as first, client_of(apps[1]) as second:
            assert (await ask(first)).status_code == 200
            assert (await ask(second)).status_code == 200
            assert_limited(await ask(first), 30)
            assert_limited(await ask(second), 30)
            clock.now += 30
            assert (await ask(second)).status_code == 200
            assert (await ask(first)).status_code == 429
        client = redis.from_url(REDIS_URL)
        try:
            keys = [key async for key in client.scan_iter(match=f"{PREFIX}{space}:*")]
            assert keys == [f"{PREFIX}{space}:ip:198.51.100.7".encode()]
            assert 0 < await client.pttl(keys[0]) <= 61_000, "an idle bucket expires"
        finally:
            await client.aclose()
        assert not rate_limits(apps[0]).limiter.local._buckets, "nothing counted locally"
    finally:
        for app in apps:
            await rate_limits(app).aclose()


async def test_unreachable_redis_falls_back_to_this_process(
    demo: DemoSummary, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    app = limited_app(clock, DEAD_REDIS_URL, rate_limit_per_minute=2)
    caplog.set_level(logging.INFO, logger="gqlnews.ratelimit")
    try:
        async with client_of(app) as http:
            statuses = [(await ask(http)).status_code for _ in range(4)]
            clock.now += RETRY_SECONDS + 30  # Redis is tried again, and fails again
            statuses += [(await ask(http)).status_code for _ in range(2)]
        assert statuses == [200, 200, 429, 429, 200, 429], "counted here, and nothing fails"
        assert rate_limits(app).limiter.degraded
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1, "logged once"
        assert "Redis unreachable" in warnings[0].getMessage()
    finally:
        await rate_limits(app).aclose()


async def test_the_limits_go_back_to_redis_when_it_returns(
    demo: DemoSummary,
    clock: Clock,
    space: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = limited_app(clock, REDIS_URL, rate_limit_per_minute=2)
    limiter = rate_limits(app).limiter = Limiter(REDIS_URL, space, clock=clock)
    real = SharedBuckets.take
    down = True

    async def flaky(self: SharedBuckets, key: str, rate: Rate, now: float) -> float:
        if down:
            raise redis.ConnectionError("Redis is down (test)")
        return await real(self, key, rate, now)

    monkeypatch.setattr(SharedBuckets, "take", flaky)
    caplog.set_level(logging.INFO, logger="gqlnews.ratelimit")
    try:
        async with client_of(app) as http:
            assert [(await ask(http)).status_code for _ in range(3)] == [200, 200, 429]
            assert limiter.degraded
            down = False
            clock.now += 1  # before the retry: still here
            assert (await ask(http)).status_code == 429
            clock.now += RETRY_SECONDS
            assert [(await ask(http)).status_code for _ in range(3)] == [200, 200, 429], (
                "back on Redis, where this client's bucket is full"
            )
            assert not limiter.degraded
        logged = [r.getMessage() for r in caplog.records if r.name == "gqlnews.ratelimit"]
        assert "shared again" in logged[-1]
    finally:
        await limiter.aclose()


async def test_sign_ins_in_fragments_and_variables_are_counted_for_their_accounts(
    demo: DemoSummary, clock: Clock, verifications: list[str]
) -> None:
    app = limited_app(clock, sign_in_limit_per_hour=1, sign_in_ip_limit_per_hour=100)
    document = (
        'mutation($e: String!) { ...F x: signIn(email: $e, password: "p") { token } '
        'x: signIn(email: $e, password: "p") { token } } '
        'fragment F on Mutation { ... on Mutation { signIn(email: "b@example.org", '
        'password: "p") { token } } }'
    )
    async with client_of(app) as http:
        response = await http.post(
            "/graphql", json={"query": document, "variables": {"e": "A@example.org"}}
        )
        assert response.status_code == 200, response.text
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "TOO_MANY_SIGN_INS"
        assert "has 2 signIn fields" in error["message"]
        for email in ("a@example.org", "b@example.org"):
            assert (await sign_in(http, email)).status_code == 429, email
        assert (await sign_in(http, "c@example.org")).status_code == 200
    assert verifications == ["wrong password!"]


async def test_answers_from_the_response_cache_count_too(
    demo: DemoSummary, clock: Clock, settings: Settings
) -> None:
    app = cached_app(settings, rate_limit_per_minute=3)
    rate_limits(app).limiter.clock = clock
    query = "{ sections { slug } }"
    try:
        async with client_of(app) as http:
            await http.get("/graphql", params={"query": query})
            with count_queries() as sql:
                hits = [await http.get("/graphql", params={"query": query}) for _ in range(2)]
            assert [hit.status_code for hit in hits] == [200, 200]
            assert sql.count == 0, "both came from the cache"
            assert_limited(await http.get("/graphql", params={"query": query}), 20)
    finally:
        await app.state.cache.stop()
