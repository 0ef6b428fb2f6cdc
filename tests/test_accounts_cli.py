"""`gqlnews users …` and `gqlnews tokens …`: input checked before the database is opened, then
end to end on a real database, with a real server authenticating the token the command printed
and revocation taking effect."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from gqlnews.cli import app
from tests.helpers import run_gqlnews, scratch_database_url, wait_until_ready

TOKEN = re.compile(r"^gqna_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$")
ME = {"query": "{ me { email role } }"}
NEW = ["users", "create", "--email", "w@example.org", "--name", "W", "--role"]
runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        ([*NEW, "boss", "--no-password"], None, "'boss' is not one of"),
        ([*NEW, "author", "--password-stdin"], "short\n", "at least 10 characters"),
        ([*NEW, "author", "--password-stdin"], "", "--password-stdin read an empty line"),
        ([*NEW, "author"], "", "no terminal to ask for the password"),
        ([*NEW, "author", "--password-stdin", "--no-password"], "x\n", "not both"),
        (
            ["users", "create", "--email", "nope", "--name", "N", "--role", "author"],
            None,
            "'nope' is not an email address",
        ),
        (["users", "set-role", "a@example.org", "boss"], None, "'boss' is not one of"),
        (
            ["tokens", "create", "--user", "a@b.c", "--expires-days", "0"],
            None,
            "greater than or equal",
        ),
        (["tokens", "revoke", "xyz"], None, "'xyz' is not a token prefix"),
    ],
)
def test_bad_input_is_exit_code_2_with_a_message(
    args: list[str], stdin: str | None, message: str
) -> None:
    result = runner.invoke(app, ["--database-url", "sqlite:///nonexistent/x.db", *args], stdin)
    assert result.exit_code == 2, result.output
    assert message in result.output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    return done.stdout


def _refused(done: subprocess.CompletedProcess[str], message: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert message in done.stderr, done.stderr


async def test_accounts_and_api_tokens_from_the_command_line() -> None:
    async with scratch_database_url() as url:
        db = ("--database-url", url)
        _refused(run_gqlnews(*db, "users", "list"), "the database is behind (0001_initial")
        _ok(run_gqlnews(*db, "migrate"))

        create = (*db, "users", "create", "--email", "Desk@Example.org", "--name", "Desk")
        secret = "a long enough secret"
        created = run_gqlnews(*create, "--role", "editor", "--password-stdin", input=secret)
        assert _ok(created).startswith("created editor account desk@example.org")
        _refused(
            run_gqlnews(*create, "--role", "admin", "--password-stdin", input=secret),
            "an account with email desk@example.org already exists",
        )
        bot = (*db, "users", "create", "--email", "wire@example.org", "--name", "Wire feed")
        _ok(run_gqlnews(*bot, "--role", "author", "--no-password"))
        changed = run_gqlnews(*db, "users", "set-role", "wire@example.org", "contributor")
        assert _ok(changed).strip() == "wire@example.org is now contributor"
        _refused(
            run_gqlnews(*db, "tokens", "create", "--user", "ghost@example.org"),
            "no account with email ghost@example.org",
        )
        made = run_gqlnews(
            *db,
            *("tokens", "create", "--user", "wire@example.org", "--name", "feed"),
            *("--expires-days", "30"),
        )
        token = _ok(made).strip()
        found = TOKEN.match(token)
        assert found, made.stdout
        prefix = found.group(1)
        assert "cannot be shown again" in made.stderr and token not in made.stderr

        port = _free_port()
        command = Path(sys.executable).with_name("gqlnews")
        server = subprocess.Popen(
            [str(command), *db, "serve", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_ready(port)
            endpoint = f"http://127.0.0.1:{port}/graphql"
            auth = {"Authorization": f"Bearer {token}"}
            me = httpx.post(endpoint, json=ME, headers=auth, timeout=10)
            expected = {"email": "wire@example.org", "role": "CONTRIBUTOR"}
            assert me.json() == {"data": {"me": expected}}
            used = _ok(run_gqlnews(*db, "tokens", "list", "--user", "wire@example.org"))
            assert token not in used
            # prefix kind user name created expires last-used state: it was used just now
            row = rf"{prefix}\s+api\s+wire@example\.org\s+feed\s+(\S+ \S+\s+){{3}}active"
            assert re.search(row, used), used

            _refused(run_gqlnews(*db, "tokens", "revoke", "0" * 12), "no token with prefix")
            revoked = run_gqlnews(*db, "tokens", "revoke", f"gqna_{prefix}")
            assert f"token {prefix} revoked" in _ok(revoked)
            assert "already revoked" in _ok(run_gqlnews(*db, "tokens", "revoke", prefix))
            refused = httpx.post(endpoint, json=ME, headers=auth, timeout=10)
            assert refused.status_code == 401
            assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
            everything = _ok(run_gqlnews(*db, "tokens", "list", "--all"))
            assert re.search(rf"{prefix}.*revoked", everything), everything

            sign_in = f'mutation {{ signIn(email: "desk@example.org", password: "{secret}") '
            signed_in = httpx.post(endpoint, json={"query": sign_in + "{ token } }"}, timeout=10)
            session = signed_in.json()["data"]["signIn"]["token"]
            assert session.startswith("gqns_")
            active = _ok(run_gqlnews(*db, "tokens", "list"))
            assert prefix not in active and session[5:17] in active
            disabled = _ok(run_gqlnews(*db, "users", "disable", "desk@example.org"))
            assert "desk@example.org disabled; 1 token(s) revoked" in disabled
            session_auth = {"Authorization": f"Bearer {session}"}
            gone = httpx.post(endpoint, json=ME, headers=session_auth, timeout=10)
            assert gone.status_code == 401
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=20)
        listed = _ok(run_gqlnews(*db, "users", "list"))
        assert re.search(r"desk@example\.org\s+Desk\s+editor\s+no\s+\d{4}-", listed), listed
        assert re.search(r"wire@example\.org\s+Wire feed\s+contributor\s+yes\s+-", listed)
