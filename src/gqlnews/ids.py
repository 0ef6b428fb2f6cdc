"""Opaque Relay global IDs: base64 of ``Type:pk``.

A pk is written in plain decimal, from 1 to :data:`MAX_PK`: the primary keys are 32-bit
integer columns (``integer`` on PostgreSQL), so a larger number (``2^63``…) names nothing
and would overflow the database's parameter; such IDs are refused like any malformed one
(``BAD_USER_INPUT``) before any SQL runs.
"""

from __future__ import annotations

import base64
import binascii
import re

from gqlnews.errors import BadUserInput

MAX_PK = 2**31 - 1
"""The largest primary key (a signed 32-bit integer column)."""
_PK = re.compile(r"[1-9][0-9]{0,9}")

NODE_TYPES = frozenset({"Article", "Section", "Author", "Tag", "Edition", "Supplement", "Image"})


_KNOWN: dict[tuple[str, int], str] = {}
_MAX_KNOWN = 1 << 16


def encode_id(type_name: str, pk: int) -> str:
    """The global ID of row ``pk`` of ``type_name``."""
    # Every object a page shows gets its ID whether the query asks for it or not (a front
    # page: about 110), and the same rows come back request after request: the IDs of int
    # pks are remembered (65,536 of them, a few MB; 0.15 against 0.4 µs a call).
    if type(pk) is not int:
        return _encoded(type_name, pk)
    key = (type_name, pk)
    known = _KNOWN.get(key)
    if known is None:
        if len(_KNOWN) >= _MAX_KNOWN:
            _KNOWN.clear()
        known = _KNOWN[key] = _encoded(type_name, pk)
    return known


def _encoded(type_name: str, pk: object) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def decode_id(global_id: str, *, argument: str = "id") -> tuple[str, int]:
    """``(type_name, pk)`` of a global ID; ``BAD_USER_INPUT`` when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
        type_name, _, pk = raw.partition(":")
        value = int(pk) if _PK.fullmatch(pk) else -1
    except (binascii.Error, UnicodeDecodeError, ValueError):
        value, type_name = -1, ""
    if type_name not in NODE_TYPES or not 1 <= value <= MAX_PK:
        raise BadUserInput(f"{argument} {global_id!r} is not a valid gqlnews ID", argument=argument)
    return type_name, value


def decode_id_of(type_name: str, global_id: str, *, argument: str = "id") -> int:
    """The pk of a global ID that must be of ``type_name``."""
    found, pk = decode_id(global_id, argument=argument)
    if found != type_name:
        raise BadUserInput(
            f"{argument} must be the ID of a {type_name}, not of a {found}", argument=argument
        )
    return pk
