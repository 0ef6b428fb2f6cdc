"""What an outbox row (:class:`gqlnews.models.revision.PublishEvent`) says, as the value the
``gqlnews_event`` hook receives. Not a table: the row is ``PublishEvent``."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    PUBLISHED = "published"
    RELEASED = "released"
    """An embargo lifted: the article is public from now on."""
    UNPUBLISHED = "unpublished"
    DELETED = "deleted"
    """Moved to the trash: whatever showed it must forget it."""
    RESTORED = "restored"
    """Taken out of the trash (public again if it was published)."""
    REFUSED = "refused"
    """A scheduled publication or an embargo lifting was refused by a before_publish hook."""
    UPDATED = "updated"
    """An article that was public, or is public now, changed (a correction, an embargo set…);
    the payload's ``was`` holds its section, tag and author ids before the change."""


@dataclass(frozen=True, slots=True)
class Event:
    """One publishing event: the outbox row's ``id`` (increasing; a receiver that sees an id
    twice has seen the same event), its kind, the article and the details."""

    id: int
    kind: EventKind
    article_id: int
    payload: dict[str, Any]
