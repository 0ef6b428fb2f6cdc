"""Opaque Relay global IDs: base64 of ``Type:pk``."""

from __future__ import annotations

import base64
import binascii

from gqlnews.errors import BadUserInput

NODE_TYPES = frozenset({"Article", "Section", "Author", "Tag", "Edition", "Supplement", "Image"})


def encode_id(type_name: str, pk: int) -> str:
    """The global ID of row ``pk`` of ``type_name``."""
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def decode_id(global_id: str, *, argument: str = "id") -> tuple[str, int]:
    """``(type_name, pk)`` of a global ID; ``BAD_USER_INPUT`` when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
        type_name, _, pk = raw.partition(":")
        value = int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        value, type_name = -1, ""
    if type_name not in NODE_TYPES or value < 1:
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
