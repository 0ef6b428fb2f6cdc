"""Every command that opens a database fails the way `gqlnews check` diagnoses: one
``error: cannot use <url>: <reason>`` line, one ``fix:`` line, exit code 2, no traceback, in a
few seconds, and Ctrl-C ends it at once. Also: the settings name where a bad value came from,
``postgresql://`` is PostgreSQL, `check` writes nothing, `serve` checks its port first, and
import/export treat an empty or a behind database like `serve` does.

Every test runs the installed command in its own process, so it holds on both dialects."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer

from gqlnews.cli import describe_demo
from gqlnews.command_database import run_command
from gqlnews.db import dialect_of, tortoise_url
from gqlnews.demo import DemoSummary
from tests.helpers import run_gqlnews, scratch_database_url
from tests.test_plugin_host import write_plugin

BOUND = 5.0
"""Seconds a failing command may take, start-up included (the subprocess timeout)."""
REFUSED = "postgres://postgres@127.0.0.1:1/x"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _commands(folder: Path) -> list[tuple[str, ...]]:
    """Each command that opens a database, with what it needs (files in ``folder``)."""
    archive = folder / "in.jsonl"
    archive.write_text("", encoding="utf-8")
    return [
        ("migrate",),
        ("import", str(archive)),
        ("export", str(folder / "out.jsonl")),
        ("serve", "--port", str(_free_port())),
        ("demo",),
        ("users", "list"),
    ]


COMMAND_NAMES = ["migrate", "import", "export", "serve", "demo", "users list"]


def _command(folder: Path, name: str) -> tuple[str, ...]:
    return next(c for c in _commands(folder) if " ".join(c[:2]).startswith(name))


def _fails_cleanly(done: subprocess.CompletedProcess[str], reason: str, fix: str) -> None:
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "Traceback" not in output, output
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
    fixes = [line for line in done.stderr.splitlines() if line.startswith("fix: ")]
    assert len(errors) == 1 and len(fixes) == 1, done.stderr
    assert errors[0].startswith("error: cannot use "), errors
    assert reason in errors[0], errors
    assert fix in fixes[0], fixes
    assert "serving on" not in output


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_missing_sqlite_folder(tmp_path: Path, name: str) -> None:
    url = f"sqlite://{tmp_path}/nonexistent/dir/x.sqlite3"
    done = run_gqlnews("--database-url", url, *_command(tmp_path, name), timeout=BOUND)
    _fails_cleanly(done, f"folder {tmp_path}/nonexistent/dir does not exist", "mkdir -p")
    assert "--database-url" in done.stderr  # the fix names where the URL came from
    assert not (tmp_path / "nonexistent").exists()
    assert not (tmp_path / "out.jsonl").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]  # no partial export


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_refused_postgres_connection(tmp_path: Path, name: str) -> None:
    done = run_gqlnews("--database-url", REFUSED, *_command(tmp_path, name), timeout=BOUND)
    _fails_cleanly(done, f"cannot use {REFUSED}: ", "pg_isready -h 127.0.0.1 -p 1")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_sqlite_folder_under_a_regular_file(tmp_path: Path) -> None:
    """Unwritable even for root: the 'folder' is a file."""
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    url = f"sqlite://{tmp_path}/afile/x.sqlite3"
    done = run_gqlnews("--database-url", url, "migrate", timeout=BOUND)
    _fails_cleanly(done, f"{tmp_path}/afile is a file, not a folder", "--database-url")


def test_sqlite_path_that_is_a_folder(tmp_path: Path) -> None:
    done = run_gqlnews("--database-url", f"sqlite://{tmp_path}", "users", "list", timeout=BOUND)
    _fails_cleanly(done, f"{tmp_path} is a folder, not a file", "--database-url")


def test_missing_postgres_database() -> None:
    name = f"test_gqlnews_missing_{uuid.uuid4().hex[:8]}"
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    done = run_gqlnews("--database-url", url, "migrate", timeout=BOUND)
    _fails_cleanly(
        done, f'database "{name}" does not exist', f"createdb -h 127.0.0.1 -p 5432 {name}"
    )


def test_unknown_postgres_role_fails_authentication() -> None:
    """The server trusts local users, so a wrong password cannot be tested; a role that does
    not exist fails authentication the same way. The password is never shown."""
    role = f"nobody_{uuid.uuid4().hex[:8]}"
    url = f"postgres://{role}:s3cret@127.0.0.1:5432/postgres"
    done = run_gqlnews("--database-url", url, "users", "list", timeout=BOUND)
    _fails_cleanly(done, f'role "{role}" does not exist', "fix the user or password")
    assert "s3cret" not in done.stderr
    assert f"{role}:***@" in done.stderr


def test_the_variable_is_named_when_the_url_came_from_it(tmp_path: Path) -> None:
    env = {"GQLNEWS_DATABASE_URL": f"sqlite://{tmp_path}/nope/x.sqlite3"}
    done = run_gqlnews("migrate", env=env, timeout=BOUND)
    _fails_cleanly(done, "does not exist", "or point GQLNEWS_DATABASE_URL elsewhere")


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        (("--database-url", "mysql://x"), {}, "--database-url must start with"),
        ((), {"GQLNEWS_DATABASE_URL": "mysql://x"}, "GQLNEWS_DATABASE_URL must start with"),
    ],
)
def test_a_bad_setting_names_its_source(
    args: tuple[str, ...], env: dict[str, str], named: str
) -> None:
    done = run_gqlnews(*args, "migrate", env=env, timeout=BOUND)
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {named} sqlite:// or postgres://"), done.stderr


def test_postgresql_urls_are_postgres() -> None:
    for url in ("postgresql://u@h/db", "postgresql+asyncpg://u@h/db", "postgres://u@h/db"):
        assert dialect_of(url) == "postgres"
        assert tortoise_url(url).startswith("postgres://u@h/db")
    assert tortoise_url("postgresql://u@h/db?ssl=true", 3) == "postgres://u@h/db?ssl=true&timeout=3"
    done = run_gqlnews("--database-url", "postgresql://u@127.0.0.1:1/x", "migrate", timeout=BOUND)
    _fails_cleanly(done, "cannot use postgresql://u@127.0.0.1:1/x", "pg_isready")


def test_busy_port(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        url = f"sqlite://{tmp_path}/x.sqlite3"
        done = run_gqlnews("--database-url", url, "serve", "--port", str(port), timeout=BOUND)
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "Traceback" not in output and "serving on" not in output, output
    assert done.stderr.splitlines()[0] == f"error: port {port} on 127.0.0.1 is in use"
    assert done.stderr.splitlines()[1].startswith("fix: stop what listens there")
    assert list(tmp_path.iterdir()) == []  # refused before the database was touched


@pytest.fixture
def silent_server() -> Iterator[tuple[int, threading.Event]]:
    """A TCP server on 127.0.0.1 that accepts connections and never answers; the event is set
    once something connected."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    connected, stop = threading.Event(), threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
                connected.set()
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], connected
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()


_AS_FROM_A_TERMINAL = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)
"""Run the command with Ctrl-C's default disposition, as a shell in a terminal starts it: a
test run started in the background (CI may be) ignores SIGINT, and children inherit that."""


def _start_waiting(
    port: int, connected: threading.Event, tmp_path: Path, name: str
) -> subprocess.Popen[str]:
    """Start ``gqlnews NAME`` on the silent server; return once it is connecting (the start-up
    itself is not what is measured: a loaded machine may take seconds to import Python)."""
    command = Path(sys.executable).with_name("gqlnews")
    url = f"postgres://postgres@127.0.0.1:{port}/x"
    arguments = _command(tmp_path, name)
    process = subprocess.Popen(
        [sys.executable, "-c", _AS_FROM_A_TERMINAL, command, "--database-url", url, *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert connected.wait(30), "the command never tried to connect"
    return process


def _finish(
    process: subprocess.Popen[str], send: int | None = None
) -> tuple[subprocess.CompletedProcess[str], float]:
    """Optionally send ``send``, wait for the end; the outcome and the seconds it took."""
    try:
        if send is not None:
            process.send_signal(send)
        started = time.monotonic()
        out, err = process.communicate(timeout=30)
        elapsed = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err), elapsed


@pytest.mark.parametrize("name", ["migrate", "import"])
def test_a_silent_server_is_given_up_on(
    silent_server: tuple[int, threading.Event], tmp_path: Path, name: str
) -> None:
    port, connected = silent_server
    done, elapsed = _finish(_start_waiting(port, connected, tmp_path, name))
    # a 3 s connection timeout, and the rest of the 5 s for the message and the exit
    assert elapsed < BOUND
    _fails_cleanly(done, "no answer within 3 s", f"pg_isready -h 127.0.0.1 -p {port}")


@pytest.mark.parametrize("name", ["migrate", "import"])
def test_ctrl_c_ends_a_command_waiting_for_the_database(
    silent_server: tuple[int, threading.Event], tmp_path: Path, name: str
) -> None:
    port, connected = silent_server
    done, elapsed = _finish(_start_waiting(port, connected, tmp_path, name), signal.SIGINT)
    assert elapsed < 2, "Ctrl-C did not end it at once"
    assert done.returncode == 130, (done.stdout, done.stderr)
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr.strip() == "interrupted"


def test_ctrl_c_cancels_a_command_between_loop_callbacks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """asyncio.run's own handler cancels the command from inside whatever callback the
    signal interrupts (a connection's callback that has just checked its future then fails
    to set it, and the loop prints a traceback): run_command's handler runs in the loop,
    after that callback."""
    seen: list[bool] = []

    async def work() -> None:
        loop = asyncio.get_running_loop()
        connected = loop.create_future()

        def callback() -> None:
            os.kill(os.getpid(), signal.SIGINT)
            seen.append(connected.done())  # asyncio.run's handler has cancelled it by now
            connected.set_result(None)

        loop.call_soon(callback)
        await connected
        await asyncio.sleep(30)

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(typer.Exit) as stopped:
            run_command(work())
    finally:
        signal.signal(signal.SIGINT, previous)
    assert stopped.value.exit_code == 130 and seen == [False]
    assert capsys.readouterr().err.strip() == "interrupted"
    assert signal.getsignal(signal.SIGINT) is previous


def test_check_writes_nothing(tmp_path: Path) -> None:
    done = run_gqlnews("--database-url", f"sqlite://{tmp_path}/new.sqlite3", "check")
    assert done.returncode == 0, done.stdout
    assert "does not exist yet: `gqlnews migrate` (or `serve`) will create it" in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_the_demo_summary_is_readable() -> None:
    summary = DemoSummary(12, 13, 41, 160, 14, 3, 150, 3, 2, 2, 1)
    text = describe_demo(summary)
    assert text.splitlines()[0] == (
        "demo newsroom loaded: 150 articles in 12 sections, 14 editions, 3 supplements, "
        "13 authors, 41 tags, 160 images"
    )
    assert "DemoSummary" not in text


async def test_import_and_export_migrate_an_empty_database_and_refuse_one_behind(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "out.jsonl"
    async with scratch_database_url() as url:
        exported = run_gqlnews("--database-url", url, "export", str(archive))
        assert exported.returncode == 0, exported.stderr
        assert "empty database: applied migration 0001_initial" in exported.stderr
        assert "applied migration" not in exported.stdout
    async with scratch_database_url() as url:
        partial = run_gqlnews("--database-url", url, "migrate", "--target", "0001_initial")
        assert partial.returncode == 0, partial.stderr
        for command in (("import", str(archive)), ("export", str(tmp_path / "again.jsonl"))):
            refused = run_gqlnews("--database-url", url, *command)
            assert refused.returncode == 2, refused.stdout
            assert "the database is behind (0002_search" in refused.stderr
            assert "run `gqlnews migrate` first" in refused.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


PLUGIN_WITH_A_FIELD_AND_A_COMMAND = """
    import strawberry
    import typer
    from gqlnews.plugins.hookspecs import TypeExtension

    @strawberry.type
    class ArticleShoutedTitle:
        @strawberry.field(description="The title, shouted.")
        def shouted_title(self) -> str:
            return "HEY"

    @hookimpl
    def gqlnews_extend_types():
        return [TypeExtension("Article", ArticleShoutedTitle)]

    def bonjour(name: str) -> None:
        "Say hello."
        typer.echo(f"bonjour {name}")

    @hookimpl
    def gqlnews_register_commands(cli):
        cli.command()(bonjour)
"""


def test_plugins_dir_option_reaches_the_schema_and_the_commands(tmp_path: Path) -> None:
    plugins = tmp_path / "plugins"
    write_plugin(plugins, "shout", PLUGIN_WITH_A_FIELD_AND_A_COMMAND)
    sdl = tmp_path / "schema.graphql"
    option = ("--plugins-dir", str(plugins))
    exported = run_gqlnews(*option, "schema", "export", "-o", str(sdl))
    assert exported.returncode == 0, exported.stderr
    assert "shoutedTitle: String" in sdl.read_text(encoding="utf-8")
    same = run_gqlnews(*option, "schema", "check", str(sdl))
    assert same.returncode == 0, same.stdout
    without = run_gqlnews("schema", "check", str(sdl))  # the installed plugins only
    assert without.returncode == 1
    assert "shoutedTitle" in without.stdout
    from_env = run_gqlnews("schema", "check", str(sdl), env={"GQLNEWS_PLUGINS_DIR": str(plugins)})
    assert from_env.returncode == 0, from_env.stdout
    hello = run_gqlnews(f"--plugins-dir={plugins}", "bonjour", "Rabat")
    assert hello.returncode == 0, hello.stderr
    assert hello.stdout.strip() == "bonjour Rabat"
    listed = run_gqlnews(*option, "--help")
    assert "bonjour" in listed.stdout
