"""Root field ``mostRead``: articles ranked by a plugin's ranking strategy over a time window.

The strategy (most read, gravity, trending… from the installed plugins) only proposes article
ids with scores; every proposal then goes through the request's visible-article loader, so a
ranking never shows what the reader may not see, however the strategy is written.

Dropping the articles the reader may not see must not shorten the page (a short page would
tell that hidden articles were read): when a round leaves it short and the strategy gave all
it was asked for, the strategy is asked again for :data:`GROWTH` times more (up to
:data:`MAX_PROPOSALS`), at most :data:`MAX_ROUNDS` rounds (two SQL statements each with the
built-in strategies).
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Annotated

import strawberry

from gqlnews.errors import BadUserInput, PluginFieldError
from gqlnews.graphql.context import Info
from gqlnews.graphql.loaders import catalog_by_slug
from gqlnews.graphql.types.article import Article
from gqlnews.graphql.types.article_columns import related_columns
from gqlnews.models import Section as SectionModel
from gqlnews.plugins.registry import Offered, Strategies
from gqlnews.plugins.strategies import RankingStrategy, Scored, Window
from gqlnews.slugs import normalize_slug

MAX_RANKED = 50
OVERFETCH = 3
"""The strategy is first asked for this many times ``first``, so that dropping invisible
articles usually fills the list in one round."""
GROWTH = 8
"""Each further round asks the strategy for this many times more than the last…"""
MAX_PROPOSALS = 2000
"""… but never for more than this many proposals."""
MAX_ROUNDS = 3
"""At most this many rounds (``first: 5``: 15, 120 then 960 proposals; ``first: 50``: 150,
1,200 then 2,000): a page comes back short only when the ranking is exhausted or more than
about 2,000 articles the reader may not see outrank the last visible one."""
MAX_WINDOW = timedelta(days=366)
PREFERRED_STRATEGY = "most-read"
log = logging.getLogger("gqlnews.plugins")


@strawberry.enum(description="The time a ranking covers: a period ending now, or CUSTOM.")
class RankingPeriod(Enum):
    HOUR = strawberry.enum_value("hour", description="The last hour.")
    DAY = strawberry.enum_value("day", description="The last 24 hours.")
    WEEK = strawberry.enum_value("week", description="The last 7 days.")
    MONTH = strawberry.enum_value("month", description="The last 30 days.")
    CUSTOM = strawberry.enum_value(
        "custom", description="From `since` (required) to `until` (default: now)."
    )


PERIODS = {
    RankingPeriod.HOUR: timedelta(hours=1),
    RankingPeriod.DAY: timedelta(days=1),
    RankingPeriod.WEEK: timedelta(days=7),
    RankingPeriod.MONTH: timedelta(days=30),
}


@strawberry.type(description="An article's place in a ranking.")
class RankedArticle:
    rank: int = strawberry.field(description="1 for the first, without gaps.")
    article: Article
    score: float = strawberry.field(
        description="Higher ranks first; comparable within one strategy and window."
    )
    reason: str = strawberry.field(description="What the strategy saw, for humans.")


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def ranking_window(
    period: RankingPeriod, since: datetime | None, until: datetime | None, now: datetime
) -> Window:
    """The window asked for; ``BAD_USER_INPUT`` naming the rule a bad one breaks. Times
    without a zone are UTC."""
    if period is not RankingPeriod.CUSTOM:
        if since is not None or until is not None:
            raise BadUserInput(
                "since and until are only allowed with window: CUSTOM",
                argument="since" if since is not None else "until",
            )
        return Window(since=now - PERIODS[period], until=now)
    if since is None:
        raise BadUserInput("window: CUSTOM needs since (until defaults to now)", argument="since")
    start, end = _utc(since), _utc(until) if until is not None else now
    if start >= end:
        raise BadUserInput("since must be before until", argument="since")
    if end - start > MAX_WINDOW:
        raise BadUserInput(f"a window may span at most {MAX_WINDOW.days} days", argument="since")
    return Window(since=start, until=end)


def ranking_strategy(strategies: Strategies, name: str | None) -> Offered[RankingStrategy] | None:
    """The strategy named, or by default "most-read" when installed, else the first offered;
    None when no plugin offers one."""
    if name is None:
        default = PREFERRED_STRATEGY if PREFERRED_STRATEGY in strategies.ranking else None
        name = default or next(iter(strategies.ranking), None)
        if name is None:
            return None
    offered = strategies.ranking.get(name)
    if offered is None:
        known = ", ".join(sorted(strategies.ranking)) or "none installed"
        raise BadUserInput(f"unknown strategy {name!r} (known: {known})", argument="strategy")
    return offered


async def _section_id(slug: str | None) -> int | None:
    if slug is None:
        return None
    found = await catalog_by_slug(SectionModel, normalize_slug(slug))
    if found is None:
        raise BadUserInput(f"unknown section {slug!r}", argument="section")
    return int(found.pk)


@dataclass(frozen=True, slots=True)
class RankingRequest:
    strategy: str | None
    section: str | None
    period: RankingPeriod
    since: datetime | None
    until: datetime | None
    first: int


async def _propose(
    offered: Offered[RankingStrategy], window: Window, section_id: int | None, limit: int
) -> list[Scored]:
    """The strategy's best ``limit`` proposals, best first (a failure is the plugin's)."""
    try:
        proposed = await offered.strategy.rank(window, section_id, limit)
        return sorted((s for s in proposed if isinstance(s, Scored)), key=lambda s: -float(s.score))
    except Exception as exc:
        log.error(
            "plugin %r failed in ranking strategy %r",
            offered.plugin,
            offered.strategy.name,
            exc_info=exc,
            extra={"plugin": offered.plugin},
        )
        raise PluginFieldError(offered.plugin, "Query.mostRead") from exc


async def ranked_articles(info: Info, asked: RankingRequest) -> list[RankedArticle]:
    """Validate the request, ask the strategy, keep the visible articles, best first."""
    if not 1 <= asked.first <= MAX_RANKED:
        raise BadUserInput(f"first must be between 1 and {MAX_RANKED}", argument="first")
    window = ranking_window(asked.period, asked.since, asked.until, info.context.now)
    offered = ranking_strategy(info.context.strategies, asked.strategy)
    section_id = await _section_id(asked.section)
    if offered is None:
        return []
    picked: list[RankedArticle] = []
    seen: set[int] = set()
    columns = related_columns(info)  # what ``article { … }`` shows: not the bodies of teasers
    limit = asked.first * OVERFETCH
    for _round in range(MAX_ROUNDS):
        ranked = await _propose(offered, window, section_id, limit)
        fresh = [s for s in ranked if s.article_id not in seen]
        ids = list(dict.fromkeys(s.article_id for s in fresh))
        rows = await info.context.loaders.read_articles(columns, ids)
        found = dict(zip(ids, rows, strict=True))
        for suggestion in fresh:
            row = found.pop(suggestion.article_id, None)  # pop: an id proposed twice counts once
            seen.add(suggestion.article_id)
            if row is None:
                continue
            picked.append(
                RankedArticle(
                    rank=len(picked) + 1,
                    article=Article.from_model(row),
                    score=float(suggestion.score),
                    reason=suggestion.reason,
                )
            )
            if len(picked) == asked.first:
                return picked
        if len(ranked) < limit:
            break  # the ranking is exhausted
        limit = min(limit * GROWTH, MAX_PROPOSALS)
    return picked


@strawberry.type
class RankingQueries:
    @strawberry.field(
        description=(
            "The most read articles over a window (default: the last 24 hours), ranked by a "
            "ranking strategy of an installed plugin (default: most-read, else the first "
            "offered; see rankingStrategies), in one section (primary or not) or all; visible "
            "articles only. Empty when no plugin offers a strategy; null, with a PLUGIN_ERROR, "
            f"when the strategy fails. first: 1 to {MAX_RANKED}; a CUSTOM window spans at most "
            f"{MAX_WINDOW.days} days."
        )
    )
    async def most_read(
        self,
        info: Info,
        strategy: str | None = None,
        section: Annotated[str | None, strawberry.argument(description="A section slug.")] = None,
        window: RankingPeriod = RankingPeriod.DAY,
        since: Annotated[
            datetime | None,
            strawberry.argument(description="Start of a CUSTOM window (inclusive)."),
        ] = None,
        until: Annotated[
            datetime | None,
            strawberry.argument(description="End of a CUSTOM window (exclusive; default: now)."),
        ] = None,
        first: int = 5,
    ) -> list[RankedArticle] | None:
        request = RankingRequest(strategy, section, window, since, until, first)
        return await ranked_articles(info, request)
