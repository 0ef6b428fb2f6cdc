"""Persisted documents: trusted GraphQL documents named by the SHA-256 of their text.

The registry lives in the database (:class:`~gqlnews.models.PersistedDocument`), so every
server process sees the same one; ``gqlnews documents add`` fills it, after checking each
document against the schema with the server's limits (:func:`check_document`). Each process
keeps a bounded LRU cache in front of it (:class:`DocumentStore`): a registered document costs
one SQL query the first time a process is asked for it, none after.

Apollo's automatic persisted queries (APQ) are remembered in a second bounded cache of the
process only, never in the database: anyone may send them, so they must not grow a table.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from graphql import (
    ASTValidationRule,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    parse,
    specified_rules,
    validate,
)
from tortoise.transactions import in_transaction

from gqlnews.models import PersistedDocument

SHA256_PREFIX = "sha256:"
CACHE_SIZE = 1000
"""Documents each cache of a process holds (registered ones; APQ ones), least recently used
out first."""

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def document_hash(text: str) -> str:
    """SHA-256 of ``text`` (its UTF-8 bytes, exactly as given), lower-case hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_sha256_hex(value: object) -> bool:
    """True for 64 lower-case hexadecimal digits."""
    return isinstance(value, str) and _SHA256_HEX.fullmatch(value) is not None


class DocumentIdError(ValueError):
    """A document id that is not ``sha256:`` and 64 lower-case hex digits."""


def parse_document_id(document_id: object) -> str:
    """The hex digest of a ``sha256:<hex>`` document id (GraphQL-over-HTTP's format)."""
    if not isinstance(document_id, str):
        raise DocumentIdError("documentId must be a string: sha256:<64 lower-case hex digits>")
    prefix, colon, payload = document_id.partition(":")
    if not colon or prefix != "sha256" or not is_sha256_hex(payload):
        raise DocumentIdError(
            f"documentId must be sha256:<64 lower-case hex digits>, got {document_id[:80]!r}"
        )
    return payload


def hash_argument(value: str) -> str:
    """A hash given on the command line or as a manifest key: ``sha256:<hex>`` or the bare
    hex digest."""
    try:
        return parse_document_id(value if ":" in value else SHA256_PREFIX + value)
    except DocumentIdError:
        raise DocumentIdError(
            f"a document hash is sha256:<64 lower-case hex digits> (or the bare digits), "
            f"got {value[:80]!r}"
        ) from None


@dataclass(frozen=True, slots=True)
class CheckedDocument:
    """A document's text and hash, the operations it defines, and what is wrong with it
    against the schema (nothing: it may be registered)."""

    text: str
    sha256: str
    operation_names: tuple[str, ...]
    errors: tuple[str, ...]
    source: str = ""


def _describe(error: GraphQLError) -> str:
    where = error.locations[0] if error.locations else None
    return f"{error.message} (line {where.line}, column {where.column})" if where else error.message


def check_document(
    text: str,
    schema: GraphQLSchema,
    rules: Sequence[type[ASTValidationRule]] = (),
    max_tokens: int | None = None,
    source: str = "",
) -> CheckedDocument:
    """Parse ``text`` (at most ``max_tokens`` tokens) and validate it against ``schema`` with
    the specified rules and ``rules`` (the server's depth and alias limits)."""
    digest = document_hash(text)
    try:
        document = parse(text, max_tokens=max_tokens)
    except GraphQLError as exc:
        return CheckedDocument(text, digest, (), (_describe(exc),), source)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    names = tuple(op.name.value for op in operations if op.name)
    errors = [_describe(e) for e in validate(schema, document, [*specified_rules, *rules])]
    if not operations:
        errors.append("the document defines no operation")
    return CheckedDocument(text, digest, names, tuple(errors), source)


async def register(documents: Sequence[CheckedDocument]) -> list[bool]:
    """Store ``documents`` (checked, without errors) in one transaction; for each, whether it
    was new (a document registered before is left as it was)."""
    if any(document.errors for document in documents):
        raise ValueError("only documents without errors can be registered")
    created: list[bool] = []
    async with in_transaction():
        for document in documents:
            _row, new = await PersistedDocument.get_or_create(
                sha256=document.sha256,
                defaults={
                    "text": document.text,
                    "operation_names": list(document.operation_names),
                    "source": document.source[:200],
                },
            )
            created.append(new)
    return created


async def unknown(hashes: Sequence[str]) -> list[str]:
    """The hashes among ``hashes`` that name no registered document."""
    rows = await PersistedDocument.filter(sha256__in=list(hashes)).values_list("sha256", flat=True)
    known = {str(digest) for digest in rows}
    return [digest for digest in hashes if digest not in known]


async def remove(hashes: Sequence[str]) -> int:
    """Delete the registered documents of ``hashes``; how many went."""
    return await PersistedDocument.filter(sha256__in=list(hashes)).delete()


class DocumentCache:
    """A bounded map of hash -> text, least recently used out first."""

    def __init__(self, maxsize: int = CACHE_SIZE) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[str, str] = OrderedDict()

    def get(self, digest: str) -> str | None:
        text = self._items.get(digest)
        if text is not None:
            self._items.move_to_end(digest)
        return text

    def put(self, digest: str, text: str) -> None:
        self._items[digest] = text
        self._items.move_to_end(digest)
        while len(self._items) > self.maxsize:
            self._items.popitem(last=False)

    def drop(self, digest: str) -> None:
        self._items.pop(digest, None)

    def __len__(self) -> int:
        return len(self._items)


class DocumentStore:
    """One process's view of the registry: registered documents cached after their first
    look-up, and the APQ documents clients sent this process.

    ``gqlnews documents remove`` reaches running processes through Redis (the response
    cache's purge channel); without Redis, a process that cached a removed document serves it
    until it falls out of the cache or the process restarts.
    """

    def __init__(self, maxsize: int = CACHE_SIZE) -> None:
        self.registered = DocumentCache(maxsize)
        self.automatic = DocumentCache(maxsize)

    def forget(self, digest: str) -> None:
        """Drop ``digest`` from both caches (it was removed from the registry)."""
        self.registered.drop(digest)
        self.automatic.drop(digest)

    async def trusted(self, digest: str) -> str | None:
        """The text of registered document ``digest`` (one SQL query on a cache miss)."""
        text = self.registered.get(digest)
        if text is None:
            found = await (
                PersistedDocument.filter(sha256=digest).first().values_list("text", flat=True)
            )
            if found is not None:
                text = str(found)
                self.registered.put(digest, text)
        return text
