"""Helpers shared by the archive tests (this module has no tests of its own).

The sample archive ``tests/data/newsroom-sample.jsonl.gz`` holds every reference line of the
shared ``newsroom-500.jsonl`` and 60 of its articles (see ``tests/data/README.md``).
"""

from __future__ import annotations

import copy
import gzip
import io
import json
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from gqlnews.archive.exporter import Exporter, ExportFilter
from gqlnews.archive.importer import Importer, ImportSummary
from gqlnews.archive.progress import SilentProgress
from gqlnews.archive.reader import ArchiveReader
from gqlnews.models import (
    Article,
    ArticleAuthor,
    ArticleSection,
    ArticleTag,
    Author,
    Edition,
    Image,
    Section,
    Supplement,
    Tag,
)
from tests.helpers import migrated_database

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "newsroom-sample.jsonl.gz"
SCHEMA = DATA / "ninjs-schema_2.1.json"
SAMPLE_COUNTS = {
    "section": 12,
    "author": 300,
    "tag": 500,
    "edition": 1096,
    "supplement": 43,
    "article": 60,
}
TABLES = (Section, Author, Tag, Image, Edition, Supplement, Article)
LINK_TABLES = (ArticleSection, ArticleAuthor, ArticleTag)

Line = dict[str, Any]


@cache
def _sample_text() -> str:
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as handle:
        return handle.read()


def sample_lines() -> list[Line]:
    """The sample, decoded (a fresh copy each time: change it freely)."""
    return [json.loads(text) for text in _sample_text().splitlines()]


def reference_lines() -> list[Line]:
    return [line for line in sample_lines() if line["type"] != "article"]


def article_lines() -> list[Line]:
    return [line for line in sample_lines() if line["type"] == "article"]


def encode(lines: Iterable[Line | str]) -> bytes:
    """JSON Lines; a ``str`` item is written as it is (to make bad lines)."""
    out = io.StringIO()
    for line in lines:
        out.write(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False))
        out.write("\n")
    return out.getvalue().encode("utf-8")


def write_archive(path: Path, lines: Iterable[Line | str]) -> Path:
    data = encode(lines)
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)
    return path


def renamed(article: Line, suffix: str) -> Line:
    """A copy of an article line with its own uri and slug (``suffix`` appended)."""
    twin = copy.deepcopy(article)
    ninjs = twin["ninjs"]
    ninjs["uri"] += f"-{suffix}"
    ninjs["slugline"] += f"-{suffix}"
    ninjs["gqlnews"]["slug"] += f"-{suffix}"
    return twin


@asynccontextmanager
async def fresh_database() -> AsyncIterator[None]:
    """An empty database of the test dialect, built by the migrations, dropped afterwards."""
    async with migrated_database():
        yield


async def import_path(path: Path, **options: Any) -> ImportSummary:
    with ArchiveReader.open(str(path)) as reader:
        return await Importer(progress=SilentProgress(), **options).run(reader)


async def export_bytes(
    filters: ExportFilter | None = None, copyright_holder: str | None = None
) -> bytes:
    out = io.BytesIO()
    await Exporter(
        filters=filters, copyright_holder=copyright_holder, progress=SilentProgress()
    ).run(out)
    return out.getvalue()


def decode(data: bytes) -> list[Line]:
    return [json.loads(text) for text in data.decode("utf-8").splitlines()]


async def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table the importer writes, in id order."""
    return {
        model.__name__: await model.all().order_by("id").values()
        for model in (*TABLES, *LINK_TABLES)
    }


async def table_counts() -> dict[str, int]:
    return {model.__name__: await model.all().count() for model in (*TABLES, *LINK_TABLES)}


@cache
def ninjs_validator() -> jsonschema.protocols.Validator:
    """The official IPTC ninjs 2.1 schema (``tests/data/ninjs-schema_2.1.json``)."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)  # type: ignore[no-any-return]


def ninjs_errors(line: Line) -> list[str]:
    """Schema errors of an article line's ninjs object without our ``gqlnews`` extension."""
    ninjs = {key: value for key, value in line["ninjs"].items() if key != "gqlnews"}
    return [error.message for error in ninjs_validator().iter_errors(ninjs)]
