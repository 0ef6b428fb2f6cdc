"""The editorial workflow: which status an article may move to from which.

::

    draft ──submit──▶ review ──schedule──▶ scheduled ──(due)──▶ published
      ▲                 │  └─────────publish──────────────────────▲ │
      └──return─────────┘                                         │ unpublish
                                                      unpublished ◀┘
    unpublished ──publish/schedule──▶ … (republishing), ──return──▶ draft

A scheduled article can also be published at once, or unpublished (taken off the schedule).
"""

from __future__ import annotations

from enum import StrEnum

from gqlnews.models import ArticleStatus
from gqlnews.newsroom.problems import Code, Refused, refuse

S = ArticleStatus


class Move(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    SCHEDULE = "schedule"
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"


TRANSITIONS: dict[Move, tuple[frozenset[ArticleStatus], ArticleStatus]] = {
    Move.SUBMIT: (frozenset({S.DRAFT}), S.REVIEW),
    Move.RETURN: (frozenset({S.REVIEW, S.UNPUBLISHED}), S.DRAFT),
    Move.SCHEDULE: (frozenset({S.REVIEW, S.SCHEDULED, S.UNPUBLISHED}), S.SCHEDULED),
    Move.PUBLISH: (frozenset({S.REVIEW, S.SCHEDULED, S.UNPUBLISHED}), S.PUBLISHED),
    Move.UNPUBLISH: (frozenset({S.PUBLISHED, S.SCHEDULED}), S.UNPUBLISHED),
}
"""Move → (the statuses it may start from, the status it leads to)."""


def target(move: Move, current: ArticleStatus) -> ArticleStatus:
    """The status ``move`` leads to from ``current``; refused with INVALID_TRANSITION when the
    workflow does not allow it."""
    sources, destination = TRANSITIONS[move]
    if current not in sources:
        allowed = ", ".join(sorted(s.value for s in sources))
        raise _invalid(move, current, allowed)
    return destination


def _invalid(move: Move, current: ArticleStatus, allowed: str) -> Refused:
    return refuse(
        None,
        Code.INVALID_TRANSITION,
        f"cannot {move.value} an article that is {current.value} (only from: {allowed})",
    )
