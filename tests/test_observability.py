"""Request ids, structured logs, Prometheus metrics (one and several workers), and /readyz
recovering by itself when PostgreSQL or Redis comes back."""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.applications import Starlette

from gqlnews.observability import extension
from gqlnews.observability.logs import JSONFormatter
from gqlnews.observability.requestctx import RequestIdFilter
from gqlnews.server import create_app
from gqlnews.settings import Settings
from tests.helpers import gql, scratch_database_url, wait_until_ready
from tests.proxy import CuttableProxy

REDIS_URL = os.environ.get("GQLNEWS_TEST_REDIS_URL", "")
POSTGRES_URL = os.environ.get("GQLNEWS_TEST_POSTGRES_URL", "") or (
    os.environ.get("GQLNEWS_TEST_DATABASE_URL", "")
    if os.environ.get("GQLNEWS_TEST_DATABASE_URL", "").startswith("postgres")
    else ""
)


async def test_every_response_carries_a_request_id(client: httpx.AsyncClient) -> None:
    made = await client.get("/healthz")
    assert len(made.headers["x-request-id"]) == 32
    echoed = await client.get("/healthz", headers={"X-Request-ID": "proxy-42.a"})
    assert echoed.headers["x-request-id"] == "proxy-42.a"
    unsafe = await client.get("/healthz", headers={"X-Request-ID": "bad id\n"})
    assert unsafe.headers["x-request-id"] != "bad id\n"


async def test_log_lines_of_a_request_carry_its_id_as_json(
    client: httpx.AsyncClient, broken_sections: str
) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JSONFormatter())
    handler.addFilter(RequestIdFilter())
    logging.getLogger("gqlnews").addHandler(handler)
    try:
        response = await client.post("/graphql", json={"query": "{ sections { slug } }"})
    finally:
        logging.getLogger("gqlnews").removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    errors = [line for line in lines if line["level"] == "error"]
    assert errors, lines
    assert errors[0]["request_id"] == response.headers["x-request-id"]
    assert broken_sections in errors[0]["exception"]


def _sample(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in text.splitlines():
        if line.startswith(f"{name}{{{wanted}}} " if labels else f"{name} "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_metrics_count_operations_errors_and_sql(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The process's first 200 operation names keep their label (then: "other"); other tests
    # of this worker may have used them up, so this one counts with labels of its own.
    monkeypatch.setattr(extension, "LABELS", extension.OperationLabels())
    before = (await client.get("/metrics")).text
    query = "query FrontTest { articles(first: 5) { nodes { slug authors { name } } } }"
    for _ in range(3):
        await client.post("/graphql", json={"query": query, "operationName": "FrontTest"})
    await gql(client, "{ articles(first: 500) { totalCount } }")
    after_response = await client.get("/metrics")
    assert after_response.headers["content-type"].startswith("text/plain")
    after = after_response.text
    ops = "gqlnews_graphql_requests_total"
    assert (
        _sample(after, ops, operation="FrontTest") - _sample(before, ops, operation="FrontTest")
        == 3
    )
    errors = "gqlnews_graphql_errors_total"
    assert _sample(after, errors, code="BAD_USER_INPUT") > _sample(
        before, errors, code="BAD_USER_INPUT"
    )
    sql = "gqlnews_sql_queries_per_request_sum"
    # 3 × (page + bylines) + the refused query (no SQL) = 6 statements
    assert _sample(after, sql) - _sample(before, sql) == 6
    assert "gqlnews_graphql_request_seconds_bucket" in after


async def test_metrics_add_up_across_two_workers(tmp_path: Path) -> None:
    async with scratch_database_url() as url:
        command = Path(sys.executable).with_name("gqlnews")
        env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
        env["TMPDIR"] = str(tmp_path)  # where the workers' metrics folder goes
        server = subprocess.Popen(
            [str(command), "--database-url", url, "serve", "--port", "8796", "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = "http://127.0.0.1:8796"
            wait_until_ready(8796)
            with httpx.Client(base_url=base) as http:
                for _ in range(20):
                    # a fresh connection each time, so both workers get some
                    http.post(
                        "/graphql",
                        json={"query": "query Two { sections { slug } }"},
                        headers={"connection": "close"},
                    )
                text = http.get("/metrics").text
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
    # Each worker runs the query once; the response cache answers the rest.
    executed = _sample(text, "gqlnews_graphql_requests_total", operation="Two")
    misses = _sample(text, "gqlnews_cache_requests_total", result="miss", tier="")
    hits = _sample(text, "gqlnews_cache_requests_total", result="hit", tier="local")
    assert executed == misses and 1 <= misses < 20 and misses + hits == 20, (executed, hits)
    assert list(tmp_path.iterdir()) == [], "the metrics folder outlived the server"


async def test_readyz_follows_redis_down_and_back(demo: object) -> None:
    if not REDIS_URL:
        pytest.skip("set GQLNEWS_TEST_REDIS_URL (CI does) to test against Redis")
    target = urlsplit(REDIS_URL)
    proxy = CuttableProxy(target.hostname or "127.0.0.1", target.port or 6379)
    await proxy.start()
    app: Starlette = create_app(Settings(redis_url=f"redis://127.0.0.1:{proxy.port}/0"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        up = await c.get("/readyz")
        assert (up.status_code, up.json()["checks"]) == (200, {"database": "ok", "redis": "ok"})
        await proxy.cut()
        down = await c.get("/readyz")  # reads still work: degraded, not out of the pool
        assert down.status_code == 200
        assert down.json() == {
            "status": "degraded",
            "checks": {"database": "ok", "redis": "degraded"},
        }
        await proxy.restore()
        back = await c.get("/readyz")
        assert back.status_code == 200
    await proxy.close()


_POSTGRES_SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys, httpx
    from tortoise.context import TortoiseContext
    from gqlnews.db import tortoise_config
    from gqlnews.server import create_app
    from gqlnews.settings import Settings
    from tests.proxy import CuttableProxy

    async def main(host, port, database):
        proxy = CuttableProxy(host, port)
        await proxy.start()
        url = f"postgres://postgres@127.0.0.1:{proxy.port}/{database}"
        statuses = []
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(url))
            app = create_app(Settings(database_url=url))
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                statuses.append((await client.get("/readyz")).status_code)
                await proxy.cut()
                statuses.append((await client.get("/readyz")).status_code)
                statuses.append((await client.get("/readyz")).status_code)
                await proxy.restore()
                for _ in range(5):
                    code = (await client.get("/readyz")).status_code
                    if code == 200:
                        break
                    await asyncio.sleep(0.2)
                statuses.append(code)
            await ctx.connections.close_all(discard=True)
        await proxy.close()
        print(json.dumps(statuses))

    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
    """
)


async def test_readyz_follows_postgres_down_and_back() -> None:
    if not POSTGRES_URL:
        pytest.skip("set GQLNEWS_TEST_POSTGRES_URL (CI does) to test against PostgreSQL")
    target = urlsplit(POSTGRES_URL.replace("{}", "x"))
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _POSTGRES_SCRIPT,
            target.hostname or "127.0.0.1",
            str(target.port or 5432),
            "postgres",
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [200, 503, 503, 200]
