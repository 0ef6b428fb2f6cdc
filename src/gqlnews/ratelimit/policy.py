"""The limits of ``Settings`` applied to requests and sign-in attempts: which bucket a
request or an attempt takes from, and how long to wait when it is empty."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from starlette.types import Scope

from gqlnews.cache.shared import namespace
from gqlnews.ratelimit.buckets import Rate
from gqlnews.ratelimit.clientip import ClientAddresses, parse_networks
from gqlnews.ratelimit.limiter import Limiter
from gqlnews.settings import Settings

RATE_LIMITED = "RATE_LIMITED"
"""``extensions.code`` of a request or sign-in attempt refused by a limit."""

MAX_BAD_TOKEN_IPS = 10_000
"""Client IPs refused for bad tokens that one process remembers (the oldest go first)."""


def _rate(count: int, period: float) -> Rate | None:
    return Rate(count, period) if count > 0 else None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def retry_after(wait: float) -> int:
    """``Retry-After``: whole seconds, at least 1."""
    return max(1, math.ceil(wait))


@dataclass(frozen=True, slots=True)
class Refusal:
    """A limit said no: the message for the client and the seconds to wait."""

    message: str
    retry_after: int


class RateLimits:
    """The limits of one app (``settings``); ``limiter`` holds the buckets."""

    def __init__(self, settings: Settings, limiter: Limiter | None = None) -> None:
        self.limiter = limiter or Limiter(settings.redis_url, namespace(settings.database_url))
        self.clients = ClientAddresses(parse_networks(settings.trusted_proxies))
        self.per_ip = _rate(settings.rate_limit_per_minute, 60.0)
        self.per_token = _rate(settings.token_rate_limit_per_minute, 60.0)
        self.sign_in_per_account = _rate(settings.sign_in_limit_per_hour, 3600.0)
        self.sign_in_per_ip = _rate(settings.sign_in_ip_limit_per_hour, 3600.0)
        self._bad_token_ips: dict[str, float] = {}
        """Client IPs whose bucket refused tokens emptied, and until when (this process)."""

    @property
    def limits_requests(self) -> bool:
        """Some GraphQL requests are limited (the middleware has work to do)."""
        return self.per_ip is not None or self.per_token is not None

    async def request(self, scope: Scope, token: str | None) -> Refusal | None:
        """Take a token for a GraphQL request, from its Bearer token's bucket when it has
        one (``token``), else from its client IP's; None when it may go on.

        A client IP whose bucket was emptied by refused tokens (:meth:`bad_token`) is refused
        with any token too: made-up tokens would otherwise each get a bucket of their own."""
        if token is not None:
            if self._bad_token_ips:
                refusal = self._still_bad(scope)
                if refusal is not None:
                    return refusal
            if self.per_token is None:
                return None
            wait = await self.limiter.take("token:" + _digest(token), self.per_token)
            what = f"{self.per_token.capacity} requests per minute with one token"
        else:
            if self.per_ip is None:
                return None
            wait = await self.limiter.take("ip:" + self.clients.of(scope), self.per_ip)
            what = f"{self.per_ip.capacity} requests per minute from one client"
        if wait <= 0:
            return None
        seconds = retry_after(wait)
        return Refusal(f"rate limit exceeded ({what}): retry in {seconds} s", seconds)

    async def bad_token(self, scope: Scope) -> None:
        """A request's token was refused (HTTP 401): it counts against its client IP, as an
        anonymous request would; once that bucket is empty, the IP's requests with tokens are
        refused until it refills."""
        if self.per_ip is None:
            return
        address = self.clients.of(scope)
        wait = await self.limiter.take("ip:" + address, self.per_ip)
        if wait > 0:
            if len(self._bad_token_ips) >= MAX_BAD_TOKEN_IPS:
                del self._bad_token_ips[next(iter(self._bad_token_ips))]
            self._bad_token_ips[address] = self.limiter.clock() + wait

    def _still_bad(self, scope: Scope) -> Refusal | None:
        address = self.clients.of(scope)
        until = self._bad_token_ips.get(address)
        if until is None:
            return None
        wait = until - self.limiter.clock()
        if wait <= 0:
            del self._bad_token_ips[address]
            return None
        seconds = retry_after(wait)
        return Refusal(
            f"rate limit exceeded (too many refused tokens from one client): retry in {seconds} s",
            seconds,
        )

    async def sign_in(self, scope: Scope, login: str) -> Refusal | None:
        """Count one sign-in attempt naming ``login`` (normalised; whether or not such an
        account exists) from the request's client IP; None when it may be checked."""
        if self.sign_in_per_ip is not None:
            key = "signin-ip:" + self.clients.of(scope)
            wait = await self.limiter.take(key, self.sign_in_per_ip)
            if wait > 0:
                seconds = retry_after(wait)
                what = f"{self.sign_in_per_ip.capacity} per hour from one client"
                return Refusal(f"too many sign-in attempts ({what}): retry in {seconds} s", seconds)
        if self.sign_in_per_account is not None:
            key = "signin-account:" + _digest(login)
            wait = await self.limiter.take(key, self.sign_in_per_account)
            if wait > 0:
                seconds = retry_after(wait)
                what = f"{self.sign_in_per_account.capacity} per hour for one account"
                return Refusal(f"too many sign-in attempts ({what}): retry in {seconds} s", seconds)
        return None

    async def aclose(self) -> None:
        await self.limiter.aclose()
