"""One stored answer: the exact bytes, their ETag, their surrogate keys and their deadline."""

from __future__ import annotations

from dataclasses import dataclass

import orjson


@dataclass(frozen=True, slots=True)
class Entry:
    body: bytes
    """The JSON answer, as sent."""
    etag: str
    """Its strong, quoted entity tag (see :func:`gqlnews.graphql.http_cache.entity_tag`)."""
    keys: tuple[str, ...]
    """The surrogate keys it depends on, sorted."""
    expires: float
    """Wall-clock time (``time.time()``) after which it must not be served."""

    @property
    def size(self) -> int:
        """Bytes it holds, roughly: the body and its keys."""
        return len(self.body) + sum(len(key) for key in self.keys) + 64

    def dumps(self) -> bytes:
        """The entry as bytes for the shared tier."""
        return orjson.dumps([self.etag, self.expires, list(self.keys), self.body.decode()])

    @classmethod
    def loads(cls, raw: bytes) -> Entry:
        """The inverse of :meth:`dumps`."""
        etag, expires, keys, body = orjson.loads(raw)
        return cls(body.encode(), str(etag), tuple(keys), float(expires))
