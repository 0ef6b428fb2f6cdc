"""Webhooks from real ``gqlnews serve`` processes: a server killed (SIGKILL) in the middle of
an attempt leaves its lease behind; once the lease ends, the restarted server delivers the
event, which is never lost. Also the ``gqlnews webhooks`` command end to end."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.helpers import run_gqlnews, scratch_database_url, wait_until_ready
from tests.webhook_receiver import Receiver, receiving

PUBLISH = textwrap.dedent(
    """
    import asyncio, sys
    from datetime import UTC, datetime
    from gqlnews.db import open_database
    from gqlnews.models import Article, ArticleSection, ArticleStatus, Section
    from gqlnews.newsroom.publishing import Publisher, Why, go_public

    async def main(url, count):
        async with open_database(url):
            section = await Section.create(slug="monde", name="Monde")
            for n in range(count):
                article = await Article.create(
                    slug=f"breve-{n}", title="Une brève", primary_section=section,
                    status=ArticleStatus.REVIEW,
                )
                await ArticleSection.create(article=article, section=section, position=0)
                await go_public(article.pk, Why.MANUAL, Publisher(), datetime.now(UTC))

    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
    """
)

ENV = {
    "GQLNEWS_WEBHOOK_ALLOW_PRIVATE": "true",
    "GQLNEWS_WEBHOOK_INTERVAL": "1",
    "GQLNEWS_WEBHOOK_TIMEOUT_MS": "4000",
    "GQLNEWS_SCHEDULER_INTERVAL": "0",
    "GQLNEWS_RELATED_INDEX_INTERVAL": "0",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(url: str, port: int) -> subprocess.Popen[str]:
    command = Path(sys.executable).with_name("gqlnews")
    return subprocess.Popen(
        [str(command), "--database-url", url, "serve", "--port", str(port)],
        env={**os.environ, **ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _publish(url: str, count: int) -> None:
    """Publish ``count`` articles from another process (the servers learn of them from the
    outbox only)."""
    done = subprocess.run(
        [sys.executable, "-c", PUBLISH, url, str(count)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def _wait_for(receiver: Receiver, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while len(receiver.received) < count:
        assert time.monotonic() < deadline, f"{len(receiver.received)} requests, not {count}"
        time.sleep(0.05)


def _stop(server: subprocess.Popen[str]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


async def test_a_server_killed_mid_delivery_delivers_after_its_restart() -> None:
    async with scratch_database_url() as url:
        migrated = run_gqlnews("--database-url", url, "migrate")
        assert migrated.returncode == 0, migrated.stderr
        with receiving(script=[("hang", 120)]) as receiver:
            added = run_gqlnews("--database-url", url, "webhooks", "add", receiver.url, env=ENV)
            assert added.returncode == 0, added.stderr
            receiver.secret = added.stdout.strip()
            port = _free_port()
            first = _serve(url, port)
            try:
                wait_until_ready(port)
                _publish(url, 1)
                _wait_for(receiver, 1, timeout=30)  # the attempt is in flight (it hangs)
                first.send_signal(signal.SIGKILL)
                first.wait(10)
            finally:
                if first.poll() is None:
                    first.kill()
                    first.wait()
            second = _serve(url, port)
            try:
                wait_until_ready(port)
                _wait_for(receiver, 2, timeout=60)  # once the dead process's lease ended
                listed = run_gqlnews("--database-url", url, "webhooks", "deliveries", "1")
            finally:
                _stop(second)
    assert [r.verified is not None for r in receiver.received] == [True, True]
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    assert receiver.received[1].verified["data"]["article"]["title"] == "Une brève"
    assert listed.returncode == 0, listed.stderr
    header, row = listed.stdout.splitlines()
    assert header.split()[:5] == ["EVENT", "KIND", "ARTICLE", "STATUS", "ATTEMPTS"]
    # The attempt the killed process had in flight was never recorded: one attempt, 200.
    assert row.split()[1:5] == ["published", "1", "delivered", "1"]
    assert "200" in row.split()[5:]


async def test_the_webhooks_command_adds_lists_and_removes_endpoints() -> None:
    async with scratch_database_url() as url:
        assert run_gqlnews("--database-url", url, "migrate").returncode == 0
        refused = run_gqlnews("--database-url", url, "webhooks", "add", "http://127.0.0.1:9/in")
        assert refused.returncode == 2
        assert refused.stderr.startswith("error: 127.0.0.1, a loopback address: refused")
        unknown = run_gqlnews(
            "--database-url",
            url,
            "webhooks",
            "add",
            "http://127.0.0.1:9/in",
            "--event",
            "printed",
            env=ENV,
        )
        assert unknown.returncode == 2
        assert "unknown event 'printed'" in unknown.stderr
        added = run_gqlnews(
            "--database-url",
            url,
            "webhooks",
            "add",
            "http://127.0.0.1:9/in",
            "--event",
            "published",
            "--event",
            "released",
            env=ENV,
        )
        assert added.returncode == 0, added.stderr
        assert added.stdout.startswith("whsec_")
        assert "cannot be shown again" in added.stderr
        listed = run_gqlnews("--database-url", url, "webhooks", "list")
        assert listed.stdout.split("\n")[1].split()[:5] == [
            "1",
            "http://127.0.0.1:9/in",
            "published,released",
            "all",
            "enabled",
        ]
        assert added.stdout.strip() not in listed.stdout  # the secret is shown once
        removed = run_gqlnews("--database-url", url, "webhooks", "remove", "1")
        assert (removed.returncode, removed.stdout) == (0, "webhook endpoint 1 removed\n")
        again = run_gqlnews("--database-url", url, "webhooks", "remove", "1")
        assert (again.returncode, again.stderr) == (2, "error: no webhook endpoint 1\n")


async def test_two_servers_attempt_each_delivery_once() -> None:
    """Two ``gqlnews serve`` processes on one database (PostgreSQL: ``SKIP LOCKED`` and
    leases; SQLite: its one writer) share the deliveries: each event reaches the receiver
    once, never twice at a time."""
    count = 10
    async with scratch_database_url() as url:
        assert run_gqlnews("--database-url", url, "migrate").returncode == 0
        with receiving(delay=0.2) as receiver:
            added = run_gqlnews("--database-url", url, "webhooks", "add", receiver.url, env=ENV)
            assert added.returncode == 0, added.stderr
            receiver.secret = added.stdout.strip()
            ports = [_free_port(), _free_port()]
            servers = [_serve(url, port) for port in ports]
            try:
                for port in ports:
                    wait_until_ready(port)
                _publish(url, count)
                _wait_for(receiver, count, timeout=60)
                deadline = time.monotonic() + 30
                while True:  # until both recorded their attempts
                    listed = run_gqlnews("--database-url", url, "webhooks", "deliveries", "1")
                    rows = listed.stdout.splitlines()[1:]
                    if [r.split()[3] for r in rows] == ["delivered"] * count:
                        break
                    assert time.monotonic() < deadline, listed.stdout
                    time.sleep(0.2)
            finally:
                for server in servers:
                    _stop(server)  # attempts in flight end first
    ids = [r.headers["webhook-id"] for r in receiver.delivered()]
    assert len(ids) == len(receiver.received) == count
    assert len(set(ids)) == count
    assert set(receiver.most_in_flight.values()) == {1}
    assert [r.split()[4] for r in rows] == ["1"] * count  # one attempt each
