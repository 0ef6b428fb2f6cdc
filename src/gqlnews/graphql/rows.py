"""Light read-only rows for the catalog look-ups (sections, authors, tags, images), made from
the database's rows without Tortoise's model instances.

A page asks for a few hundred catalog rows (each article's sections, byline and tags, their
pictures); making each a model instance (``Model._init_from_db``: keyword arguments, one
``__setattr__`` per field, ``select_related``'s dictionaries) cost about a fifth of a planned
page's CPU. What reads these rows only reads their columns (the GraphQL types' ``from_model``,
the resolvers, the plans' batches), so the request's loaders give them a :class:`SectionRow`,
:class:`AuthorRow`, :class:`TagRow` or :class:`ImageRow`: an immutable named tuple with the
model's column attributes (the same names: ``pk``, the ``*_id`` foreign keys) and nothing
else, no ``save`` and no relations, so a write or a relation on one fails under mypy and at
run time. ``SectionLike`` and its kin name what a reader accepts: the model or the row.

The values are converted as Tortoise converts them for a model instance, by the same means:
its own sorting of each model's columns for the connection (``db_native_fields`` kept as the
driver gives them, ``db_default_fields`` through the field's type, ``db_complex_fields``
through its ``to_python_value``: enums, aware date-times, SQLite's booleans). Where each
column sits in a database row is read from the row's column names, once per statement's
columns and kind of connection.

Rows that stay model instances (articles, whose readers include the plugins' hooks and
relations) are made by :class:`Instances` from a prebuilt statement's rows: the same
instances Tortoise's executor makes, set attribute by attribute in the same order, without
the three dictionaries a row it builds for them (``select_related``'s split, then keyword
arguments).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any, Generic, NamedTuple, TypeVar

from ciso8601 import parse_datetime
from tortoise.fields import DatetimeField
from tortoise.models import Model
from tortoise.timezone import get_default_timezone, get_use_tz

from gqlnews.models import Author, Image, Section, Tag, TagKind

M = TypeVar("M", bound=Model)

MARKERS = frozenset({"__part", "__n"})
"""Columns a combined statement adds to each row after the model's
(:mod:`gqlnews.graphql.page_batches`): which of its parts the row answers, and its place
there. Never an attribute of an instance."""


class SectionRow(NamedTuple):
    """A :class:`gqlnews.models.Section`'s columns, read-only."""

    id: int
    slug: str
    name: str
    description: str
    position: int
    language: str | None
    parent_id: int | None

    @property
    def pk(self) -> int:
        return self.id


class AuthorRow(NamedTuple):
    """A :class:`gqlnews.models.Author`'s columns, read-only."""

    id: int
    slug: str
    name: str
    bio: str
    role: str
    email: str | None
    language: str | None
    avatar_id: int | None

    @property
    def pk(self) -> int:
        return self.id


class TagRow(NamedTuple):
    """A :class:`gqlnews.models.Tag`'s columns, read-only."""

    id: int
    slug: str
    name: str
    kind: TagKind
    language: str | None

    @property
    def pk(self) -> int:
        return self.id


class ImageRow(NamedTuple):
    """A :class:`gqlnews.models.Image`'s columns, read-only."""

    id: int
    url: str
    credit: str
    byline: str
    caption: str
    alt: str
    width: int | None
    height: int | None
    language: str | None
    created_at: datetime

    @property
    def pk(self) -> int:
        return self.id


SectionLike = Section | SectionRow
AuthorLike = Author | AuthorRow
TagLike = Tag | TagRow
ImageLike = Image | ImageRow

R = TypeVar("R", SectionRow, AuthorRow, TagRow, ImageRow)

_Read = Callable[[Any], Any]
"""Makes one light row from one database row."""


def _converter(model: type[Model], column: str) -> Callable[[Any], Any] | None:
    """How Tortoise turns ``column``'s value into the attribute's (None: as the driver gives
    it), for the connection ``model``'s meta was made for (see ``_init_from_db``)."""
    meta = model._meta
    for key, _name, _field in meta.db_native_fields:
        if key == column:
            return None
    for key, _name, field in meta.db_default_fields:
        if key == column:
            field_type = field.field_type
            return lambda value: None if value is None else field_type(value)
    for key, _name, field in meta.db_complex_fields:
        if key == column:
            if isinstance(field, DatetimeField) and (
                type(field).to_python_value is DatetimeField.to_python_value
            ):
                return _datetime_converter(field)
            return field.to_python_value
    raise LookupError(f"{model.__name__} has no column {column!r}")


def _datetime_converter(field: DatetimeField[Any]) -> Callable[[Any], Any]:
    """Tortoise's conversion of a date-time column, with the aware values taken the short
    way: Tortoise moves one to the default time zone after two checks made per value
    (``get_use_tz()``, ``is_naive``); here the setting is read once (Tortoise keeps both it
    and the zone for the life of the process) and an aware value is one ``astimezone``. That
    is PostgreSQL's driver's value (0.7 against 1.3 µs a value, 4 to 6 values an article),
    and SQLite's text with its offset, parsed with ciso8601 as Tortoise parses it
    (tests/test_datetime_parsing.py). Anything
    else (None, a naive value or text, time zones off) is Tortoise's own conversion."""
    slow = field.to_python_value
    if not get_use_tz():
        return slow
    zone = get_default_timezone()

    def convert(value: Any) -> Any:
        if value.__class__ is str:
            parsed = parse_datetime(value)
            if parsed.tzinfo is not None:
                return parsed.astimezone(zone)
            return slow(value)
        if value.__class__ is datetime and value.tzinfo is not None:
            return value.astimezone(zone)
        return slow(value)

    return convert


def _reader(
    cls: type[Any], model: type[Model], names: Sequence[str], prefix: str = ""
) -> Callable[[Any], Any]:
    """The function that makes a ``cls`` from a database row whose columns are ``names``
    (those of ``model`` start with ``prefix``)."""
    projection = model._meta.fields_db_projection
    if set(cls._fields) != set(projection):
        raise TypeError(f"{cls.__name__} does not have the columns of {model.__name__}")
    columns = [projection[name] for name in cls._fields]
    getter = itemgetter(*(names.index(prefix + column) for column in columns))
    converters = [
        (i, convert)
        for i, convert in enumerate(_converter(model, column) for column in columns)
        if convert is not None
    ]
    new = tuple.__new__
    if not converters:
        return lambda record: new(cls, getter(record))

    def read(record: Any) -> Any:
        values = list(getter(record))
        for i, convert in converters:
            values[i] = convert(values[i])
        return new(cls, values)

    return read


def row_of(cls: type[R], instance: Any) -> R:
    """The ``cls`` row of a model instance (its attributes, as they are)."""
    return cls._make(getattr(instance, name) for name in cls._fields)


class Rows(Generic[R]):
    """Reads the rows of a statement over ``model`` (its columns only) as ``cls`` rows."""

    def __init__(self, cls: type[R], model: type[Model]) -> None:
        self.cls: type[R] = cls
        self.model = model
        self._readers: dict[tuple[str, tuple[str, ...]], _Read] = {}

    def records(self, records: Sequence[Any], dialect: str) -> list[R]:
        """The light rows of the database rows ``records`` of a ``dialect`` connection."""
        if not records:
            return []
        names = tuple(records[0].keys())
        read = self._readers.get((dialect, names))
        if read is None:
            read = self._readers[dialect, names] = _reader(self.cls, self.model, names)
        return [read(record) for record in records]

    def instances(self, instances: Sequence[Any]) -> list[R]:
        """The light rows of model instances (a statement Tortoise ran itself)."""
        return [row_of(self.cls, instance) for instance in instances]


class Links(Generic[R]):
    """Reads the rows of a statement over a link model (``ArticleSection``…) with its
    ``target`` selected with it (``select_related``) as (article id, ``cls`` row) pairs."""

    def __init__(self, cls: type[R], model: type[Model], target: str) -> None:
        self.cls: type[R] = cls
        self.model = model
        self.target = target
        self._readers: dict[tuple[str, tuple[str, ...]], tuple[int, int, _Read]] = {}

    def _reader(self, names: tuple[str, ...]) -> tuple[int, int, _Read]:
        related = {name.split(".", 1)[0] for name in names if "." in name}
        if len(related) != 1 or "article_id" not in names:
            raise LookupError(f"not a link statement with one related table: {names}")
        prefix = f"{related.pop()}."
        pk = prefix + self.model._meta.db_pk_column
        if pk not in names:
            raise LookupError(f"a link statement without its target's key: {names}")
        read = _reader(self.cls, self.model, names, prefix)
        return names.index("article_id"), names.index(pk), read

    def records(self, records: Sequence[Any], dialect: str) -> list[tuple[int, R]]:
        """The (article id, light row) pairs of the database rows ``records``. A target
        that several articles link to (the section "Une" of a front page's articles) is one
        row, read once: a statement gives it the same columns each time."""
        if not records:
            return []
        names = tuple(records[0].keys())
        found = self._readers.get((dialect, names))
        if found is None:
            found = self._readers[dialect, names] = self._reader(names)
        article, key, read = found
        made: dict[Any, R] = {}
        pairs: list[tuple[int, R]] = []
        for record in records:
            row = made.get(record[key])
            if row is None:
                row = made[record[key]] = read(record)
            pairs.append((record[article], row))
        return pairs

    def instances(self, instances: Sequence[Any]) -> list[tuple[int, R]]:
        """The pairs of link model instances (a statement Tortoise ran itself)."""
        return [
            (int(link.article_id), row_of(self.cls, getattr(link, self.target)))
            for link in instances
        ]


def _instance_reader(model: type[M], names: Sequence[str]) -> Callable[[Any], M] | None:
    """The function that makes a ``model`` instance from a database row whose columns are
    ``names``, as ``Model._init_from_db`` makes it (the same attributes, set the same way,
    in the same order), without its keyword arguments. A row with some of the model's
    columns only (``.only()``) makes a partial instance, as Tortoise makes it then (the row's
    columns in its order, ``_partial`` set). None when the row has a column that is not the
    model's (other than :data:`MARKERS`) or an attribute is a descriptor."""
    meta = model._meta
    columns = [
        (key, name)
        for fields in (meta.db_native_fields, meta.db_default_fields, meta.db_complex_fields)
        for key, name, _field in fields
    ]
    if any(hasattr(type(getattr(model, name, None)), "__set__") for _key, name in columns):
        return None
    own = [key for key in names if key not in MARKERS]
    partial = any(key not in own for key, _name in columns)
    if partial:
        attribute = dict(columns)
        if any(key not in attribute for key in own):
            return None
        columns = [(key, attribute[key]) for key in own]
    plan = [(names.index(key), name, _converter(model, key)) for key, name in columns]
    custom_pk = meta.db_pk_column not in meta.generated_db_fields
    new = model.__new__

    def read(record: Any) -> M:
        instance = new(model)
        values = instance.__dict__
        values["_partial"] = partial
        values["_saved_in_db"] = True
        values["_custom_generated_pk"] = custom_pk
        values["_await_when_save"] = {}
        for index, name, convert in plan:
            value = record[index]
            values[name] = value if convert is None else convert(value)
        return instance

    return read


class Instances(Generic[M]):
    """Makes ``model`` instances from the rows of a statement that selects the model's
    columns (no related model, no annotation), as Tortoise's executor makes them, at about a
    third of its cost (bench/plans-results.md, sixth round). tests/test_instances.py checks
    that both make the same instances."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self._readers: dict[tuple[str, tuple[str, ...]], Callable[[Any], M] | None] = {}

    def records(self, records: Sequence[Any], dialect: str) -> list[M] | None:
        """The instances of the database rows ``records`` of a ``dialect`` connection; None
        when their columns are not the model's (let Tortoise make them)."""
        if not records:
            return []
        names = tuple(records[0].keys())
        key = (dialect, names)
        if key in self._readers:
            read = self._readers[key]
        else:
            read = self._readers[key] = _instance_reader(self.model, names)
        return None if read is None else [read(record) for record in records]
