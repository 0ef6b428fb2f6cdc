"""``gqlnews serve`` logs no access line per request, with one worker or several."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.helpers import scratch_database_url, wait_until_ready


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.parametrize("workers", [1, 2])
async def test_serve_logs_no_access_lines(tmp_path: Path, workers: int) -> None:
    log = tmp_path / "stderr.log"
    port = _free_port()
    workers_arg = ["--workers", str(workers)]
    async with scratch_database_url() as url:
        command = Path(sys.executable).with_name("gqlnews")
        env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
        env.update(GQLNEWS_LOG_FORMAT="json", GQLNEWS_LOG_LEVEL="INFO", TMPDIR=str(tmp_path))
        with log.open("w") as stderr:
            server = subprocess.Popen(
                [str(command), "--database-url", url, "serve", "--port", str(port), *workers_arg],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
            try:
                wait_until_ready(port)
                with httpx.Client(base_url=f"http://127.0.0.1:{port}") as http:
                    for _ in range(10):
                        # a fresh connection each time, so that every worker may get some
                        answer = http.post(
                            "/graphql",
                            json={"query": "{ sections { slug } }"},
                            headers={"connection": "close"},
                        )
                        assert answer.status_code == 200, answer.text
            finally:
                server.send_signal(signal.SIGINT)
                server.wait(timeout=30)
    text = log.read_text()
    # The workers' own lines are there (so access lines would be too)...
    assert text.count('"message":"Application startup complete."') == workers, text
    # ...but no line per request (uvicorn's: '127.0.0.1:5678 - "POST /graphql HTTP/1.1" 200').
    assert '"logger":"uvicorn.access"' not in text, text
    assert "/graphql HTTP/1.1" not in text, text


_ACCESS_AFTER_SETUP = """
import logging, sys
import uvicorn
from gqlnews.observability.logs import setup_logging
access_log = {"default": True, "off": False}.get(sys.argv[1])
if access_log is not None:  # as uvicorn configures a process before it makes the app
    log_config = uvicorn.config.LOGGING_CONFIG if sys.argv[1] == "default" else None
    uvicorn.Config("x:y", access_log=access_log, log_config=log_config).configure_logging()
setup_logging("INFO", "json")
access = logging.getLogger("uvicorn.access")
print(access.propagate, len(access.handlers))
"""


@pytest.mark.parametrize(
    ("uvicorn_config", "expected"),
    [
        ("untouched", "True 0"),  # the app made without uvicorn (tests, gqlnews.testing)
        ("default", "True 0"),  # `uvicorn --factory gqlnews.server:create_app`: access lines
        ("off", "False 0"),  # access_log=False (`gqlnews serve`, `uvicorn --no-access-log`)
    ],
)
def test_setup_logging_keeps_uvicorns_access_log_choice(uvicorn_config: str, expected: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _ACCESS_AFTER_SETUP, uvicorn_config],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == expected, done.stderr
