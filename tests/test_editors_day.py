"""The editor's day in examples/ runs end to end: every step answers as the script expects,
and a reader sees exactly what they should at each step."""

from __future__ import annotations

import importlib.util
import os
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import httpx

from gqlnews.models import ArticleRevision, UserRole
from gqlnews.newsroom.publishing import Publisher
from gqlnews.newsroom.scheduler import Scheduler
from gqlnews.plugins import make_plugin_manager
from gqlnews.settings import Settings
from tests.account_factories import PASSWORD, make_user

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "examples" / "editors-day" / "editors_day.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("editors_day", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_an_editors_day(client: httpx.AsyncClient) -> None:
    editor = await make_user(UserRole.EDITOR, password=PASSWORD)
    said: list[str] = []
    scheduler = Scheduler(Publisher(make_plugin_manager(Settings())), interval=1)
    scheduler.start()  # what the server's lifespan runs: it lifts the embargo
    try:
        final = await _load().run(
            client, editor.email, PASSWORD, say=said.append, embargo_seconds=1.5
        )
    finally:
        await scheduler.stop()
    assert final["status"] == "PUBLISHED"
    sights = [line.strip() for line in said if "reader" in line]
    assert sights[0] == "a reader does not see it"  # draft
    assert sights[1] == "a reader does not see it"  # published under embargo
    assert sights[-1] == "a reader sees it"
    previews = [line.strip() for line in said if "preview link" in line]
    assert previews == [
        "preview link made, valid for an hour: shared with the summit's press office",
        "the press office's preview link shows the draft, with today's subtitle",
        "preview links revoked: 1",
        "the revoked preview link gets PREVIEW_TOKEN_INVALID",
    ]
    actions = await ArticleRevision.filter(article__slug=final["slug"]).values_list(
        "action", flat=True
    )
    assert {"create", "submit", "embargo", "publish", "unpublish", "restore"} <= set(actions)


def test_the_docstrings_commands_work_as_written(tmp_path: Path) -> None:
    """Every command the script's docstring gives, run as a shell would from the repository's
    root; only the database file (into tmp_path) and the port (a free one) differ."""
    port = _free_port()
    docs = (_load().__doc__ or "").replace("newsroom.sqlite3", str(tmp_path / "newsroom.sqlite3"))
    commands = _commands(docs.replace("8000", str(port)))
    assert [c.split()[0] for c in commands] == ["export", "gqlnews", "echo", "gqlnews", "python"]
    bin_dir = Path(sys.executable).parent  # gqlnews and python, as in the activated venv
    env = {k: v for k, v in os.environ.items() if not k.startswith("GQLNEWS_")}
    env |= {"PATH": f"{bin_dir}{os.pathsep}{env['PATH']}", "TMPDIR": str(tmp_path)}
    server: subprocess.Popen[bytes] | None = None
    try:
        for command in commands:
            if command.startswith("export "):
                env |= dict(item.split("=", 1) for item in shlex.split(command)[1:])
            elif command.endswith("&"):
                server = subprocess.Popen(
                    ["bash", "-c", "exec " + command.removesuffix("&")], cwd=ROOT, env=env
                )
                _wait_for(port, server)
            else:
                done = subprocess.run(
                    ["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True
                )
                assert done.returncode == 0, f"{command}\n{done.stdout}{done.stderr}"
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    assert "a reader sees it" in done.stdout.splitlines()[-2], done.stdout


def _commands(docstring: str) -> list[str]:
    """The indented lines of a docstring, continuations joined, comments dropped."""
    block = "\n".join(line[4:] for line in docstring.splitlines() if line.startswith("    "))
    lines = block.replace("\\\n", " ").splitlines()
    return [" ".join(line.split("  #", 1)[0].split()) for line in lines]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the server did not listen on port {port} in 30 s")
