"""The plugin's own knobs, read from the environment (the core's ``Settings`` are the core's).

* ``GQLNEWS_RANKING_FLUSH_SECONDS`` (default 5): how often counted views are written.
* ``GQLNEWS_RANKING_REDIS_KEY`` (default ``gqlnews:ranking:views``): the Redis hash where the
  instances count views when ``GQLNEWS_REDIS_URL`` is set; give each deployment sharing one
  Redis its own key.
* ``GQLNEWS_RANKING_CACHE_SECONDS`` (default 60): how long the response cache may keep an
  answer ranked from view counts (no write purges it: views keep coming), and a process the
  scores it read (:mod:`gqlnews_ranking.scores`); 0 never keeps one.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace

FLUSH_SECONDS_ENV = "GQLNEWS_RANKING_FLUSH_SECONDS"
REDIS_KEY_ENV = "GQLNEWS_RANKING_REDIS_KEY"
CACHE_SECONDS_ENV = "GQLNEWS_RANKING_CACHE_SECONDS"
DEFAULT_CACHE_SECONDS = 60.0
MAX_CACHE_SECONDS = 3600


def _seconds(raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        return math.nan  # refused by the range checks below (NaN is in no range)


@dataclass(frozen=True, slots=True)
class RankingConfig:
    flush_seconds: float = 5.0
    redis_key: str = "gqlnews:ranking:views"
    cache_seconds: float = DEFAULT_CACHE_SECONDS

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RankingConfig:
        """The configuration the environment describes; a bad value names its variable."""
        source = os.environ if env is None else env
        config = cls()
        raw = source.get(FLUSH_SECONDS_ENV, "").strip()
        if raw:
            seconds = _seconds(raw)
            if not 0 < seconds <= 3600:
                raise ValueError(f"{FLUSH_SECONDS_ENV} must be a number of seconds in (0, 3600]")
            config = replace(config, flush_seconds=seconds)
        key = source.get(REDIS_KEY_ENV, "").strip()
        if key:
            config = replace(config, redis_key=key)
        raw = source.get(CACHE_SECONDS_ENV, "").strip()
        if raw:
            seconds = _seconds(raw)
            if not 0 <= seconds <= MAX_CACHE_SECONDS:
                raise ValueError(
                    f"{CACHE_SECONDS_ENV} must be a number of seconds from 0 (rankings never "
                    f"cached) to {MAX_CACHE_SECONDS}, not {raw!r}"
                )
            config = replace(config, cache_seconds=seconds)
        return config
