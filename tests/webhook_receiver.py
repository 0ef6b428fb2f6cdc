"""A real HTTP server on a free local port that receives webhooks as a partner would: it
verifies each signature with the ``standardwebhooks`` library and answers from a script."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: Any
    """The payload as the library verified it (None: the signature did not verify)."""
    started: float
    ended: float = 0.0


@dataclass
class Receiver:
    """Answers each request with the next entry of ``script`` (then ``then``): a status code,
    ``("hang", seconds)`` or ``("redirect", url)``."""

    secret: str = ""
    script: list[Any] = field(default_factory=list)
    then: Any = 200
    delay: float = 0.0
    """Seconds every request takes before its answer (to overlap attempts)."""
    received: list[Received] = field(default_factory=list)
    in_flight: dict[str, int] = field(default_factory=dict)
    most_in_flight: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""
    stop: threading.Event = field(default_factory=threading.Event)

    def answer(self) -> Any:
        with self.lock:
            return self.script.pop(0) if self.script else self.then

    def delivered(self) -> list[Received]:
        """The requests whose signature verified."""
        return [r for r in self.received if r.verified is not None]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def do_POST(self) -> None:
            started = time.monotonic()
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            message = headers.get("webhook-id", "")
            with receiver.lock:
                count = receiver.in_flight.get(message, 0) + 1
                receiver.in_flight[message] = count
                receiver.most_in_flight[message] = max(
                    receiver.most_in_flight.get(message, 0), count
                )
            try:
                verified = Webhook(receiver.secret).verify(body, headers)
            except WebhookVerificationError:
                verified = None
            entry = Received(headers, body, verified, started)
            with receiver.lock:
                receiver.received.append(entry)
            try:
                self._answer(receiver.answer())
            finally:
                entry.ended = time.monotonic()
                with receiver.lock:
                    receiver.in_flight[message] -= 1

        def _answer(self, what: Any) -> None:
            if receiver.delay:
                time.sleep(receiver.delay)
            if isinstance(what, tuple) and what[0] == "hang":
                receiver.stop.wait(what[1])
                return
            if isinstance(what, tuple) and what[0] == "redirect":
                self.send_response(307)
                self.send_header("location", what[1])
                self.send_header("content-length", "0")
                self.end_headers()
                return
            payload = json.dumps({"status": what}).encode()
            self.send_response(int(what))
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler


@contextmanager
def receiving(secret: str = "", **kw: Any) -> Iterator[Receiver]:
    """A running receiver on ``127.0.0.1`` and a free port (its ``url``), stopped after."""
    receiver = Receiver(secret=secret, **kw)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
