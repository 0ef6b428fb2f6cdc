"""Typed access to decoded JSON values; every error names the field and what was expected."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from gqlnews.archive.records import LineError
from gqlnews.text import is_language_tag

JsonObject = Mapping[str, Any]


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def obj(parent: JsonObject, key: str, where: str = "") -> JsonObject | None:
    """An optional nested object (absent or null gives None)."""
    value = parent.get(key)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise LineError(f"field '{where}{key}' must be an object, got {_show(value)}")
    return value


def required_str(parent: JsonObject, key: str, where: str = "") -> str:
    """A non-empty string that must be there."""
    value = parent.get(key)
    if value is None:
        raise LineError(f"missing required field '{where}{key}'")
    if not isinstance(value, str) or not value.strip():
        raise LineError(f"field '{where}{key}' must be a non-empty string, got {_show(value)}")
    return value


def optional_str(parent: JsonObject, key: str, where: str = "") -> str | None:
    """A string that may be absent or null."""
    value = parent.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise LineError(f"field '{where}{key}' must be a string, got {_show(value)}")
    return value


def optional_language(parent: JsonObject, key: str = "language", where: str = "") -> str | None:
    """A language tag (``fr``, ``ar``, ``ar-MA``) that may be absent or null."""
    value = optional_str(parent, key, where)
    if value is not None and not is_language_tag(value):
        raise LineError(
            f"field '{where}{key}' must be a language tag such as fr, ar or ar-MA, "
            f"got {_show(value)}"
        )
    return value


def _as_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise LineError(f"field '{name}' must be a whole number, got {_show(value)}")
    return value


def required_int(parent: JsonObject, key: str, where: str = "") -> int:
    """A whole number that must be there."""
    if parent.get(key) is None:
        raise LineError(f"missing required field '{where}{key}'")
    return _as_int(parent[key], where + key)


def optional_int(
    parent: JsonObject, key: str, where: str = "", minimum: int | None = None
) -> int | None:
    """A whole number that may be absent or null, at least ``minimum`` when given."""
    value = parent.get(key)
    if value is None:
        return None
    number = _as_int(value, where + key)
    if minimum is not None and number < minimum:
        raise LineError(f"field '{where}{key}' must be at least {minimum}, got {number}")
    return number


def str_list(parent: JsonObject, key: str, where: str = "") -> list[str] | None:
    """A list of distinct non-empty strings, or None when absent."""
    value = parent.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise LineError(f"field '{where}{key}' must be a list of strings, got {_show(value)}")
    duplicates = sorted({v for v in value if value.count(v) > 1})
    if duplicates:
        raise LineError(f"field '{where}{key}' lists {', '.join(duplicates)} more than once")
    return list(value)


def object_list(parent: JsonObject, key: str, where: str = "") -> list[JsonObject]:
    """A list of objects (absent gives an empty list)."""
    value = parent.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise LineError(f"field '{where}{key}' must be a list of objects")
    return value


def parse_timestamp(value: Any, name: str) -> datetime:
    """An ISO 8601 timestamp with a zone (``2024-06-15T08:00:00Z``), as an aware UTC datetime."""
    if not isinstance(value, str):
        raise LineError(f"bad date in '{name}': {_show(value)} is not a string")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise LineError(
            f"bad date in '{name}': {_show(value)} (expected YYYY-MM-DDTHH:MM:SSZ)"
        ) from None
    if moment.tzinfo is None:
        raise LineError(f"bad date in '{name}': {_show(value)} has no time zone (add Z for UTC)")
    return moment.astimezone(UTC)


def required_timestamp(parent: JsonObject, key: str, where: str = "") -> datetime:
    if parent.get(key) is None:
        raise LineError(f"missing required field '{where}{key}'")
    return parse_timestamp(parent[key], where + key)


def optional_timestamp(parent: JsonObject, key: str, where: str = "") -> datetime | None:
    value = parent.get(key)
    return None if value is None else parse_timestamp(value, where + key)


def required_date(parent: JsonObject, key: str, where: str = "") -> date:
    """A calendar date, ``YYYY-MM-DD``."""
    value = parent.get(key)
    if value is None:
        raise LineError(f"missing required field '{where}{key}'")
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise LineError(f"bad date in '{where}{key}': {_show(value)} (expected YYYY-MM-DD)")


def format_timestamp(moment: datetime) -> str:
    """UTC, ``YYYY-MM-DDTHH:MM:SSZ`` (with microseconds only when there are some)."""
    utc = moment.astimezone(UTC)
    spec = "seconds" if utc.microsecond == 0 else "microseconds"
    return utc.replace(tzinfo=None).isoformat(timespec=spec) + "Z"
