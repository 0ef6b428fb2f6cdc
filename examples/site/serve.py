#!/usr/bin/env python3
"""Serve the example site (``public/``) on http://127.0.0.1:8080, with the standard library only.

    python examples/site/serve.py [--port 8080] [--api http://127.0.0.1:8000/graphql]

Besides the files of ``public/`` it answers two paths itself:

- ``/js/config.js``: where the API is (``--api``), so that the site can be pointed at any
  gqlnews without editing a file (any other static server serves the file of ``public/``,
  which names http://127.0.0.1:8000/graphql);
- ``/media/…``: a placeholder picture for each photo of the demo newsroom, whose URLs name a
  host that does not exist (``medias.observateur.example``); the site rewrites them to
  ``/media/…`` (see ``public/js/config.js``). A real site points at its own image server.

`make site` runs it beside the demo API; see README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import sys
from functools import partial
from html import escape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit

PUBLIC = Path(__file__).resolve().parent / "public"
MEDIA_BASE = "https://medias.observateur.example"


def placeholder(path: str) -> bytes:
    """An SVG picture standing for the photo at ``path`` (its colour drawn from the path)."""
    digest = hashlib.sha256(path.encode()).digest()
    hue = digest[0] * 360 // 256
    portrait = "/editions/" in path or "/supplements/" in path or "/auteurs/" in path
    width, height = (1240, 1754) if portrait else (1600, 1000)
    parts = path.removeprefix("/media/").rsplit(".", 1)[0].replace("-", " ").split("/")
    label = escape((parts[-1] if len(parts[-1]) > 12 else " · ".join(parts[-2:]))[:60])
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><defs><linearGradient id="g" x2="1" y2="1">'
        f'<stop offset="0" stop-color="hsl({hue},35%,55%)"/>'
        f'<stop offset="1" stop-color="hsl({(hue + 40) % 360},40%,30%)"/></linearGradient></defs>'
        f'<rect width="100%" height="100%" fill="url(#g)"/>'
        f'<text x="50%" y="50%" fill="white" font-family="sans-serif" font-size="{width // 24}" '
        f'text-anchor="middle">{label}</text></svg>'
    ).encode()


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files of ``public/``, the generated ``/js/config.js`` and ``/media/`` pictures."""

    api_url = "http://127.0.0.1:8000/graphql"
    quiet = False
    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".graphql": "application/graphql; charset=utf-8",
        ".css": "text/css",
        ".html": "text/html; charset=utf-8",
    }

    def do_GET(self) -> None:
        # The browser may go away mid-answer (a picture it no longer needs): nothing to do.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._answer()

    def _answer(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == "/js/config.js":
            config = {"API_URL": self.api_url, "MEDIA_BASE": MEDIA_BASE, "MEDIA_PROXY": "/media"}
            body = "".join(
                f"export const {name} = {json.dumps(value)};\n" for name, value in config.items()
            )
            self._send(body.encode(), "text/javascript")
        elif path.startswith("/media/") and path.endswith((".jpg", ".jpeg", ".png")):
            self._send(placeholder(path), "image/svg+xml")
        else:
            super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        if not self.quiet:
            super().log_message(format, *args)


def main(argv: list[str] | None = None) -> None:
    """Parse the options and serve until interrupted."""
    parser = argparse.ArgumentParser(description="Serve the gqlnews example site.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--api", default="http://127.0.0.1:8000/graphql", help="gqlnews URL")
    parser.add_argument("--quiet", action="store_true", help="log no request")
    options = parser.parse_args(argv)
    handler = type("Handler", (SiteHandler,), {"api_url": options.api, "quiet": options.quiet})
    server = ThreadingHTTPServer(
        (options.host, options.port), partial(handler, directory=str(PUBLIC))
    )
    print(
        f"the site: http://{options.host}:{options.port}/ (API: {options.api})",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    main()
