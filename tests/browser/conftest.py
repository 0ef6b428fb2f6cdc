"""Browser tests: Debian's Chromium driven by Playwright, against a real ``gqlnews serve`` with
the demo newsroom (in a database of the run's kind, SQLite or PostgreSQL) and the example site's
own server (examples/site/serve.py), both on free ports of 127.0.0.1.

One browser for the session, a fresh context per test. Each page a test opens must load with
no console error, no failed request and no request to any host but 127.0.0.1 (such requests
are refused and reported); a screenshot of each is written to the artefacts folder
(``GQLNEWS_TEST_ARTEFACTS``, default ``test-artefacts/`` in the checkout, not committed).

Chromium missing is a failure that says how to install it, never a skip: `.ci/run` installs it.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, Request, async_playwright

from tests.helpers import run_gqlnews, scratch_database_url, wait_until_ready

REPO = Path(__file__).resolve().parents[2]
SITE = REPO / "examples" / "site"
ARTEFACTS = Path(os.environ.get("GQLNEWS_TEST_ARTEFACTS") or REPO / "test-artefacts") / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Chromium's own connections (updates, safe browsing…) would be refused here and show up
    # as failed requests: it makes none.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "the browser tests need Debian's Chromium: install it with `apt-get install chromium` "
    "(as root; `.ci/run` does it in CI), or point GQLNEWS_TEST_CHROMIUM at a Chromium "
    "executable. Playwright's own browser download (`playwright install`) is not used."
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every browser test runs in one test process (one browser, one pair of servers)."""
    for item in items:
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.xdist_group("browser"))


def chromium_executable() -> str:
    """The Chromium to drive: GQLNEWS_TEST_CHROMIUM, else `chromium` on the PATH."""
    found = os.environ.get("GQLNEWS_TEST_CHROMIUM") or shutil.which("chromium")
    if not found or not Path(found).exists():
        pytest.fail(f"Chromium not found: {INSTALL_HINT}", pytrace=False)
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Servers:
    """Where the demo API and the example site answer."""

    api_port: int
    site_port: int
    token: str = ""
    """An editor's Bearer token (for the editors' picks and slots)."""

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.api_port}/graphql"

    @property
    def site(self) -> str:
        return f"http://127.0.0.1:{self.site_port}"


def _stop(process: subprocess.Popen[str]) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        _out, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        _out, err = process.communicate()
    return err or ""


@contextmanager
def serve_site(api: str, port: int | None = None) -> Iterator[str]:
    """The example site's own server (examples/site/serve.py) on ``port`` (default: a free
    one), calling the API at ``api``; yields its URL."""
    port = port or _free_port()
    site = subprocess.Popen(
        [sys.executable, str(SITE / "serve.py"), "--port", str(port), "--api", api, "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for_port(port, site)
        yield f"http://127.0.0.1:{port}"
    finally:
        errors = _stop(site)
        assert "Traceback" not in errors, errors


@pytest_asyncio.fixture(scope="session")
async def servers(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Servers]:
    """``gqlnews serve`` on the demo newsroom (GraphiQL on, the site's origin allowed, as
    ``make site`` runs it) and the example site's server in front of it. The API's log goes
    to a file (a pipe nobody reads during the session could fill up and stall it); an error
    in it fails the session."""
    ports = Servers(api_port=_free_port(), site_port=_free_port())
    async with scratch_database_url() as url:
        editor = ("--email", "desk@example.org", "--name", "Desk", "--role", "editor")
        for args in (("demo",), ("users", "create", *editor, "--no-password")):
            done = run_gqlnews("--database-url", url, *args)
            assert done.returncode == 0, done.stderr
        made = run_gqlnews("--database-url", url, "tokens", "create", "--user", "desk@example.org")
        assert made.returncode == 0, made.stderr
        token = next(word for word in made.stdout.split() if len(word) > 30)
        ports = dataclasses.replace(ports, token=token)
        env = {
            **os.environ,
            "GQLNEWS_GRAPHIQL": "true",
            "GQLNEWS_CORS_ORIGINS": ports.site,
            "GQLNEWS_LOG_LEVEL": "WARNING",
        }
        gqlnews = Path(sys.executable).with_name("gqlnews")
        log_path = tmp_path_factory.mktemp("browser") / "api.log"
        with log_path.open("w") as log:
            api = subprocess.Popen(
                [str(gqlnews), "--database-url", url, "serve", "--port", str(ports.api_port)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log,
                text=True,
            )
        try:
            wait_until_ready(ports.api_port)
            with serve_site(ports.api, ports.site_port):
                yield ports
        finally:
            _stop(api)
            logged = log_path.read_text(encoding="utf-8").splitlines()
            api_errors = [line for line in logged if '"level":"error"' in line]
            assert not api_errors, api_errors


def _wait_for_port(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 20
    while True:
        if process.poll() is not None:
            raise AssertionError(f"the site's server stopped: {_stop(process)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            assert time.monotonic() < deadline, f"nothing listens on port {port}"
            time.sleep(0.05)


@pytest_asyncio.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """One headless Chromium for the session."""
    executable = chromium_executable()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            await launched.close()


@dataclass
class Watch:
    """What went wrong while a test's pages loaded."""

    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)
    """Substrings of the failures a test causes on purpose (the API stopped...)."""

    def problems(self) -> list[str]:
        def unexpected(texts: list[str]) -> list[str]:
            return [text for text in texts if not any(part in text for part in self.expected)]

        return [
            *(f"console error: {text}" for text in unexpected(self.console_errors)),
            *(f"failed request: {text}" for text in unexpected(self.failed)),
            *(f"request to another host (refused): {url}" for url in self.outside),
        ]


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest_asyncio.fixture
async def page(
    browser: Browser, watch: Watch, request: pytest.FixtureRequest
) -> AsyncIterator[Page]:
    """A page in a fresh context; at the end its screenshot is saved and nothing may have
    gone wrong (see :class:`Watch`)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")

    async def only_this_machine(route: object) -> None:
        from playwright.async_api import Route

        assert isinstance(route, Route)
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith("data:") or host == "127.0.0.1":
            await route.continue_()
        else:
            watch.outside.append(route.request.url)
            await route.abort("blockedbyclient")

    await context.route(re.compile(r".*"), only_this_machine)
    opened = await context.new_page()
    opened.on(
        "console",
        lambda message: (
            watch.console_errors.append(f"{message.text} ({message.location})")
            if message.type == "error"
            else None
        ),
    )
    opened.on("pageerror", lambda error: watch.console_errors.append(f"uncaught: {error}"))
    opened.on("request", lambda sent: watch.requests.append(sent))

    def request_failed(failed: Request) -> None:
        # A picture whose element the page replaced (the next page of a list) is cancelled by
        # the browser: net::ERR_ABORTED, not a failure a reader sees. Anything else counts.
        if failed.resource_type == "image" and failed.failure == "net::ERR_ABORTED":
            return
        watch.failed.append(
            f"{failed.method} {failed.url} {(failed.post_data or '')[:80]}: {failed.failure}"
        )

    opened.on("requestfailed", request_failed)

    async def status(response: object) -> None:
        from playwright.async_api import Response

        assert isinstance(response, Response)
        if response.status >= 400:
            watch.failed.append(f"{response.url}: HTTP {response.status}")

    opened.on("response", status)
    try:
        yield opened
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        await opened.screenshot(path=ARTEFACTS / f"{name}.png", full_page=True)
        assert not watch.problems(), "\n".join(watch.problems())
    finally:
        await context.close()
