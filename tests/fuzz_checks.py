"""What no answer to the fuzzer may contain (a 5xx, a traceback, a file path, a Python
exception's name, an INTERNAL_SERVER_ERROR, a 4xx without a code, a hidden article), and the
tally of what was sent and what failed, grouped for the report."""

from __future__ import annotations

import builtins
import hashlib
import json
import re
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.fuzz_support import Newsroom

_EXCEPTION_NAMES = {
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
}


def _library_exception_names() -> set[str]:
    names: set[str] = set()
    import sqlite3

    import asyncpg.exceptions
    import tortoise.exceptions

    for module in (tortoise.exceptions, asyncpg.exceptions, sqlite3):
        names.update(
            name
            for name, value in vars(module).items()
            if isinstance(value, type) and issubclass(value, BaseException)
        )
    return names


_INTERNAL_NAMES = sorted(
    (_EXCEPTION_NAMES | _library_exception_names() | {"NoValuesFetched", "CancelledError"})
    # Words that are also plain English or GraphQL in this API's answers.
    - {"Warning", "Error", "Exception", "BaseException"},
    key=len,
    reverse=True,
)
_INTERNAL = re.compile(r"\b(?:" + "|".join(map(re.escape, _INTERNAL_NAMES)) + r")\b")
_PATH = re.compile(r"Traceback|File \"|site-packages|(?:/[\w.-]+)+\.py\b|\.py\", line \d+")
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
OVER_BUDGET = "not sent (over budget)"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _token(word: str) -> re.Pattern[str]:
    """``word`` standing alone (not inside a longer id or slug)."""
    return re.compile(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])")


@dataclass(frozen=True)
class Failure:
    """One answer that broke a rule: which rule, what was sent, what came back."""

    kind: str
    detail: str
    request: str
    status: int
    answer: str

    def key(self) -> tuple[str, str]:
        return self.kind, self.detail


def check_answer(
    response: httpx.Response, sent: str, hidden: Newsroom | None
) -> list[tuple[str, str]]:
    """What is wrong with ``response`` to a request whose text was ``sent``: a list of
    ``(rule, detail)``. ``hidden``: the newsroom whose hidden articles the answer must not name
    (None: no such rule). What the request itself said may come back (an error naming the bad
    argument): only what it did not say counts."""
    found: list[tuple[str, str]] = []
    if response.status_code >= 500:
        found.append(("HTTP 5xx", str(response.status_code)))
    try:
        body = json.loads(response.text)
    except ValueError:
        body = None
        found.append(("answer not JSON", f"HTTP {response.status_code}"))
    # The raw text and the texts the JSON holds, unescaped (a path in a message is quoted).
    text = response.text + "\n" + "\n".join(_strings(body))
    for match in set(_PATH.findall(text)):
        if match not in sent:
            found.append(("traceback or file path", match))
    for match in set(_INTERNAL.findall(text)):
        if match not in sent:
            found.append(("Python exception name", match))
    if body is None:
        return found
    errors = body.get("errors") if isinstance(body, dict) else None
    if response.status_code >= 400 and not (
        isinstance(errors, list) and all(_code(e) for e in errors)
    ):
        found.append(("HTTP error without a GraphQL error code", str(response.status_code)))
    for error in errors if isinstance(errors, list) and response.status_code < 500 else []:
        if _code(error) == INTERNAL_SERVER_ERROR:
            found.append((INTERNAL_SERVER_ERROR, _where(error)))
    if hidden is not None:
        strings = "\n".join(_strings(body))
        for kind, words in (
            ("hidden article id", hidden.hidden_ids),
            ("hidden article slug", hidden.hidden_slugs),
            ("hidden article title", hidden.hidden_titles),
        ):
            for word in words:
                if word in strings and word not in sent and _token(word).search(strings):
                    found.append((kind, word))
    return found


def _code(error: Any) -> str | None:
    if not isinstance(error, dict):
        return None
    extensions = error.get("extensions")
    code = extensions.get("code") if isinstance(extensions, dict) else None
    return code if isinstance(code, str) else None


def _first_code(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return "(not JSON)"
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list) or not errors:
        return None
    return _code(errors[0]) or "(no code)"


def _where(error: dict[str, Any]) -> str:
    path = error.get("path")
    return ".".join(str(p) for p in path if isinstance(p, str)) if path else "(no path)"


@dataclass
class Tally:
    """The requests sent and the distinct failures seen (the first example of each).

    Requests go out in the order they were made, from one thread of their own, so that the
    next document is generated while the server answers the previous one (a context manager:
    it stops that thread on leaving).
    """

    seed: int
    budget: float
    """Seconds the requests may take in all."""
    started: float = field(default_factory=time.monotonic)
    previous: str = "(none)"
    """The request sent before the current one."""
    sent: dict[str, int] = field(default_factory=dict)
    digest: Any = field(default_factory=lambda: hashlib.sha256())
    """Of every request sent: two runs of one seed send the same requests (same digest)."""
    outcomes: dict[str, int] = field(default_factory=dict)
    """Answers by HTTP status and first error code (``200 ok``: no error), to see that the
    fuzzer reaches the resolvers rather than only the validation."""
    failures: dict[tuple[str, str], tuple[Failure, int]] = field(default_factory=dict)
    _pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=1))
    _pending: deque[Future[None]] = field(default_factory=deque)

    def __enter__(self) -> Tally:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def submit(
        self,
        phase: str,
        request: str,
        send: Callable[[], httpx.Response],
        sent: str,
        hidden: Newsroom | None,
    ) -> None:
        """Queue one request (see :meth:`send`); at most a few wait at any time. Past
        :attr:`budget` seconds, requests are counted in ``sent["not sent (over budget)"]``
        instead, so that a server that hangs cannot hold the suite for long."""
        self.digest.update(request.encode("utf-8", "surrogatepass"))
        if time.monotonic() - self.started > self.budget:
            self.sent[OVER_BUDGET] = self.sent.get(OVER_BUDGET, 0) + 1
            return
        self._pending.append(self._pool.submit(self.send, phase, request, send, sent, hidden))
        while len(self._pending) > 4:
            self._pending.popleft().result()

    def drain(self) -> None:
        """Wait until every queued request is answered and checked."""
        while self._pending:
            self._pending.popleft().result()

    def send(
        self,
        phase: str,
        request: str,
        send: Callable[[], httpx.Response],
        sent: str,
        hidden: Newsroom | None,
    ) -> None:
        """Send one request (``send``), check its answer, count it and keep what is wrong."""
        self.sent[phase] = self.sent.get(phase, 0) + 1
        try:
            response = send()
        except httpx.TimeoutException as exc:
            self._keep(Failure(f"{phase}: no answer in time", type(exc).__name__, request, 0, ""))
            return
        except httpx.TransportError as exc:
            # A connection the server dropped after answering the previous request fails the
            # next one sent on it: send again on a new connection to tell the two apart.
            try:
                response = send()
            except httpx.TransportError:
                self._keep(Failure(f"{phase}: no answer", type(exc).__name__, request, 0, str(exc)))
                return
            self._keep(
                Failure(
                    f"{phase}: connection dropped after answering",
                    type(exc).__name__,
                    self.previous,
                    0,
                    str(exc),
                )
            )
        finally:
            self.previous = request
        outcome = f"{phase}: {response.status_code} {_first_code(response) or 'ok'}"
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
        for kind, detail in check_answer(response, sent, hidden):
            self._keep(
                Failure(
                    f"{phase}: {kind}", detail, request, response.status_code, response.text[:600]
                )
            )

    def _keep(self, failure: Failure) -> None:
        first, count = self.failures.get(failure.key(), (failure, 0))
        self.failures[failure.key()] = (first, count + 1)

    def report(self, log: Path | None = None) -> str:
        """The seed, the counts, each distinct failure (its first example) and the errors the
        server logged (from ``log``)."""
        lines = [
            f"fuzz seed {self.seed} (replay: GQLNEWS_FUZZ_SEED={self.seed}); sent {self.sent}"
            f" (digest {self.digest.hexdigest()[:12]})",
            f"{len(self.failures)} distinct failures:",
        ]
        for (kind, detail), (first, count) in sorted(self.failures.items()):
            lines += [
                f"- {kind} [{detail}] x{count}: HTTP {first.status}",
                f"    request: {first.request[:1500]}",
                f"    answer:  {first.answer}",
            ]
        if log is not None:
            lines.append("errors the server logged:")
            lines += [f"- x{count} {error}" for error, count in server_errors(log).items()]
        return "\n".join(lines)


def server_errors(log: Path) -> dict[str, int]:
    """The errors the server logged (log lines: uvicorn logs some a second time), by their
    exception's last line and the deepest gqlnews frame (for the failure report: it groups
    failures by their cause)."""
    found: dict[str, int] = {}
    for line in log.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if not isinstance(entry, dict) or entry.get("level") not in ("error", "critical"):
            continue
        trace = str(entry.get("exception", ""))
        frames = re.findall(
            r'File "[^"]*/((?:gqlnews|gqlnews_\w+)/[^"]+)", line (\d+), in (\w+)', trace
        )
        last = trace.strip().splitlines()[-1] if trace.strip() else entry.get("message", "")
        where = ":".join(frames[-1]) if frames else "?"
        # The same error with another input: the characters and positions it names vary.
        last = re.sub(r"(?<=\s)'[^']*'(?=[\s:,.)]|$)|\d+", "…", last)
        key = f"{last[:200]} (at {where})"
        found[key] = found.get(key, 0) + 1
    return found
