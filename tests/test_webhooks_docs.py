"""The receiver example of docs/webhooks.md works: run as written (its secret and port
filled in), it accepts a message signed by gqlnews's sender and refuses a forged one."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

from gqlnews.webhooks import sender
from gqlnews.webhooks.endpoints import new_secret

DOC = Path(__file__).resolve().parent.parent / "docs" / "webhooks.md"


def _receiver_code(secret: str, port: int) -> str:
    text = DOC.read_text(encoding="utf-8")
    intro = text.index("A complete receiver")
    code = re.search(r"```python\n(.*?)```", text[intro:], re.S)
    assert code is not None, "the receiver example is gone from docs/webhooks.md"
    source = code.group(1)
    assert 'SECRET = "whsec_…"' in source and '("0.0.0.0", 8080)' in source
    return source.replace('"whsec_…"', repr(secret)).replace(
        '("0.0.0.0", 8080)', f'("127.0.0.1", {port})'
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_documented_receiver_accepts_a_signed_message_and_refuses_a_forged_one() -> None:
    secret, port = new_secret(), _free_port()
    receiver = subprocess.Popen(
        [sys.executable, "-u", "-c", _receiver_code(secret, port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/gqlnews"
    body = '{"type": "article.published", "data": {"article": {"id": 7, "title": "Titre"}}}'
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the documented receiver did not start"
                time.sleep(0.1)
        async with sender.client(10) as client:
            signed = await sender.send(
                client, url, "gqlnews-event-1", body, secret, timeout=10, allow_private=True
            )
            forged = await sender.send(
                client,
                url,
                "gqlnews-event-2",
                body,
                new_secret(),
                timeout=10,
                allow_private=True,
            )
        assert (signed.status_code, signed.delivered) == (204, True)
        assert (forged.status_code, forged.delivered) == (401, False)
    finally:
        receiver.terminate()
        out, _ = receiver.communicate(timeout=10)
    assert out.splitlines() == ["article.published 7 Titre"]
