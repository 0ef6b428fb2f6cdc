"""Rate limits: token buckets per client IP and per Bearer token for GraphQL requests, and
tighter ones for sign-in attempts (per account and per IP), kept in this process or shared
through Redis (:mod:`.limiter`); who the client is behind trusted proxies (:mod:`.clientip`).

The ASGI middleware that answers 429 is :mod:`.middleware`; ``signIn`` asks
:class:`RateLimits` before it verifies a password.
"""

from gqlnews.ratelimit.buckets import Rate
from gqlnews.ratelimit.policy import RATE_LIMITED, RateLimits

__all__ = ["RATE_LIMITED", "Rate", "RateLimits"]
