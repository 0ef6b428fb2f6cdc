"""The plugin's own knobs, read from the environment (the core's ``Settings`` are the core's).

* ``GQLNEWS_RANKING_FLUSH_SECONDS`` (default 5): how often counted views are written.
* ``GQLNEWS_RANKING_REDIS_KEY`` (default ``gqlnews:ranking:views``): the Redis hash where the
  instances count views when ``GQLNEWS_REDIS_URL`` is set; give each deployment sharing one
  Redis its own key.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

FLUSH_SECONDS_ENV = "GQLNEWS_RANKING_FLUSH_SECONDS"
REDIS_KEY_ENV = "GQLNEWS_RANKING_REDIS_KEY"


@dataclass(frozen=True, slots=True)
class RankingConfig:
    flush_seconds: float = 5.0
    redis_key: str = "gqlnews:ranking:views"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> RankingConfig:
        """The configuration the environment describes; a bad value names its variable."""
        source = os.environ if env is None else env
        config = cls()
        raw = source.get(FLUSH_SECONDS_ENV, "").strip()
        if raw:
            try:
                seconds = float(raw)
            except ValueError:
                seconds = math.nan
            if not 0 < seconds <= 3600:
                raise ValueError(f"{FLUSH_SECONDS_ENV} must be a number of seconds in (0, 3600]")
            config = RankingConfig(seconds, config.redis_key)
        key = source.get(REDIS_KEY_ENV, "").strip()
        return RankingConfig(config.flush_seconds, key) if key else config
