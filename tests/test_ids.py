"""Global IDs: remembered once made, the same text as made afresh, the memory bounded."""

from __future__ import annotations

import base64

import pytest

from gqlnews import ids


def _fresh(type_name: str, pk: object) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def test_a_remembered_id_is_the_one_made_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ids, "_KNOWN", {})
    for _ in range(2):  # made, then remembered
        assert ids.encode_id("Article", 42) == _fresh("Article", 42)
        assert ids.decode_id(ids.encode_id("Section", 7)) == ("Section", 7)
    assert sorted(ids._KNOWN) == [("Article", 42), ("Section", 7)]
    # a pk that is not exactly an int is not answered from the memory (True equals 1)
    assert ids.encode_id("Article", 1) == _fresh("Article", 1)
    assert ids.encode_id("Article", True) == _fresh("Article", True)


def test_the_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ids, "_KNOWN", {})
    monkeypatch.setattr(ids, "_MAX_KNOWN", 3)
    for pk in range(1, 8):
        assert ids.encode_id("Tag", pk) == _fresh("Tag", pk)
        assert len(ids._KNOWN) <= 3
