"""``gqlnews documents …``: the registry of trusted GraphQL documents (persisted documents).

Documents are checked against the schema (the enabled plugins' fields included, the server's
depth, alias and token limits) before anything is written; a command that refuses one writes
nothing. Bad input ends a command with a message and exit code 2.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Annotated

import typer

from gqlnews.cache import bus
from gqlnews.cache.keys import document as document_key
from gqlnews.command_database import run_on_database
from gqlnews.documents import (
    SHA256_PREFIX,
    CheckedDocument,
    DocumentIdError,
    check_document,
    document_hash,
    hash_argument,
    remove,
    unknown,
)
from gqlnews.documents import register as register_documents
from gqlnews.models import PersistedDocument
from gqlnews.settings import Settings

documents_app = typer.Typer(
    help="Trusted GraphQL documents (persisted documents): add, list, remove, check.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


class _Refused(Exception):
    """The command cannot do what was asked; the message says why (exit code 2)."""


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def _checker(settings: Settings) -> Callable[[str, str], CheckedDocument]:
    """Check a document (text, source) against the schema the server would build."""
    from gqlnews.graphql.schema import build_schema, limit_rules
    from gqlnews.plugins import PluginError, make_plugin_manager

    try:
        schema = build_schema(settings, make_plugin_manager(settings))
    except PluginError as exc:
        raise _fail(str(exc)) from None
    rules = limit_rules(settings)

    def check(text: str, source: str) -> CheckedDocument:
        return check_document(text, schema._schema, rules, settings.max_tokens, source)

    return check


def _read_text(path: Path) -> str:
    """The file's exact text (no newline translation: the hash is of these bytes)."""
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise _fail(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise _fail(f"{path} is not UTF-8 text") from None


def _manifest(path: Path) -> list[tuple[str, str]]:
    """The (text, source) pairs of a ``{"<sha256>": "<document>"}`` manifest, each key
    checked against its document."""
    try:
        entries = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise _fail(f"{path} is not JSON: {exc}") from None
    if not isinstance(entries, dict) or not all(
        isinstance(value, str) for value in entries.values()
    ):
        raise _fail(f'{path} must be a JSON object {{"<sha256>": "<document text>", …}}')
    problems: list[str] = []
    for key, text in entries.items():
        try:
            digest = hash_argument(key)
        except DocumentIdError:
            problems.append(f"{path}: key {key[:80]!r} is not a SHA-256 hex digest")
            continue
        actual = document_hash(text)
        if actual != digest:
            problems.append(
                f"{path}: key {key} is not the SHA-256 of its document (which is {actual})"
            )
    if problems:
        for problem in problems:
            typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(2)
    return [(text, f"{path}#{hash_argument(key)[:12]}") for key, text in entries.items()]


@documents_app.command("add")
def documents_add(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="GraphQL files; the whole text of each is one document."),
    ] = None,
    manifest: Annotated[
        Path | None,
        typer.Option(help='A {"<sha256>": "<document>"} JSON map from a frontend build.'),
    ] = None,
) -> None:
    """Register documents after checking them against the schema; print `sha256:<hex> FILE`
    for each. Nothing is written when one is refused."""
    if not files and manifest is None:
        raise _fail("give .graphql files or --manifest FILE.json")
    sources = [(_read_text(path), str(path)) for path in files or []]
    if manifest is not None:
        sources += _manifest(manifest)
    check = _checker(ctx.obj)
    checked = [check(text, source) for text, source in sources]
    refused = [document for document in checked if document.errors]
    if refused:
        for document in refused:
            for error in document.errors:
                typer.echo(f"error: {document.source}: {error}", err=True)
        typer.echo(f"{len(refused)} document(s) refused; nothing was registered", err=True)
        raise typer.Exit(2)

    created = run_on_database(ctx.obj, lambda: register_documents(checked))
    for document, new in zip(checked, created, strict=True):
        again = "" if new else " (already registered)"
        typer.echo(f"{SHA256_PREFIX}{document.sha256} {document.source}{again}")


@documents_app.command("list")
def documents_list(ctx: typer.Context) -> None:
    """List the registered documents: hash, operation names, when it was added, source, and
    whether it runs as a plan (``planned``) or is executed, and why (see docs/plans.md)."""

    async def rows() -> list[PersistedDocument]:
        return await PersistedDocument.all().order_by("created_at", "id")

    documents = run_on_database(ctx.obj, rows)
    if not documents:
        typer.echo("no registered documents")
        return
    settings: Settings = ctx.obj
    plan = _planner(settings)
    for document in documents:
        names = ",".join(document.operation_names) or "(anonymous)"
        created = document.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        typer.echo(
            f"{SHA256_PREFIX}{document.sha256}  {names}  {created}  {document.source}"
            f"  {plan(document.text)}"
        )


def _planner(settings: Settings) -> Callable[[str], str]:
    """How a document's operations run on the server ``settings`` describe."""
    from gqlnews.graphql.plans.support import plan_summary
    from gqlnews.graphql.schema import build_schema
    from gqlnews.plugins import make_plugin_manager

    if not settings.plans:
        return lambda _text: "executed (GQLNEWS_PLANS is off)"
    schema = build_schema(settings, make_plugin_manager(settings))._schema
    return lambda text: plan_summary(schema, text)


@documents_app.command("remove")
def documents_remove(
    ctx: typer.Context,
    hashes: Annotated[list[str], typer.Argument(help="sha256:<hex> (or the bare hex) of each.")],
) -> None:
    """Remove registered documents (all or none: an unknown hash removes nothing). Running
    servers forget them at once through Redis (GQLNEWS_REDIS_URL); without it, a server that
    served one may keep it until it restarts."""
    try:
        digests = list(dict.fromkeys(hash_argument(value) for value in hashes))
    except DocumentIdError as exc:
        raise _fail(str(exc)) from None

    async def work() -> int:
        missing = await unknown(digests)
        if missing:
            names = ", ".join(SHA256_PREFIX + digest for digest in missing)
            raise _Refused(f"not registered: {names}; nothing was removed")
        removed = await remove(digests)
        await bus.purge(document_key(digest) for digest in digests)
        return removed

    run_on_database(ctx.obj, work, refused=(_Refused,))
    for digest in digests:
        typer.echo(f"removed {SHA256_PREFIX}{digest}")


@documents_app.command("check")
def documents_check(ctx: typer.Context) -> None:
    """Check every registered document against the current schema; exit 1 listing those that
    no longer validate."""
    broken, _total = report_invalid(ctx.obj)
    if broken:
        raise typer.Exit(1)


def report_invalid(settings: Settings) -> tuple[int, int]:
    """Print each registered document that no longer validates against the schema the server
    would build, and a summary line; returns (invalid, registered)."""

    async def rows() -> list[PersistedDocument]:
        return await PersistedDocument.all().order_by("created_at", "id")

    documents = run_on_database(settings, rows)
    check = _checker(settings)
    broken = 0
    for document in documents:
        result = check(document.text, document.source)
        if not result.errors:
            continue
        broken += 1
        typer.echo(f"INVALID {SHA256_PREFIX}{document.sha256} {document.source}")
        for error in result.errors:
            typer.echo(f"        {error}")
    if broken:
        typer.echo(f"{broken} of {len(documents)} registered document(s) no longer validate")
    else:
        typer.echo(f"all {len(documents)} registered document(s) validate against the schema")
    return broken, len(documents)


def register(app: typer.Typer) -> None:
    """Add ``documents`` to the ``gqlnews`` command."""
    app.add_typer(documents_app, name="documents")
