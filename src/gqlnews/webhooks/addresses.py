"""Where a webhook may be sent: the URL's rules, and the addresses a host resolves to.

By default only global (public) addresses are allowed: loopback, private, link-local (the
cloud metadata address 169.254.169.254 among them), shared (100.64.0.0/10), multicast,
reserved and unspecified addresses are refused, checked when an endpoint is registered and
again, resolved afresh, before every attempt; the attempt then connects to the very address
that was checked (a DNS answer that changes in between cannot point it elsewhere).
``GQLNEWS_WEBHOOK_ALLOW_PRIVATE`` allows them (tests, intranets).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]
"""Host and port → the addresses to try, as text (the system's resolver by default)."""

MAX_URL_LENGTH = 2000


class AddressRefused(ValueError):
    """The URL or the address it resolves to may not receive webhooks; the message says why."""


@dataclass(frozen=True, slots=True)
class Target:
    """A URL split for sending: its host name (for ``Host`` and TLS) and the port."""

    url: str
    scheme: str
    host: str
    port: int
    parts: SplitResult


def parse_url(url: str) -> Target:
    """``url`` checked as a webhook URL: absolute ``http(s)``, a host, no credentials, no
    fragment, at most :data:`MAX_URL_LENGTH` characters."""
    if len(url) > MAX_URL_LENGTH:
        raise AddressRefused(f"the URL must be at most {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise AddressRefused(f"{url!r} is not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused(f"the URL must be an absolute http:// or https:// URL, got {url!r}")
    if parts.username is not None or parts.password is not None:
        raise AddressRefused("the URL must not contain credentials (user:password@)")
    if parts.fragment:
        raise AddressRefused("the URL must not have a #fragment")
    if any(c.isspace() for c in url):
        raise AddressRefused("the URL must not contain spaces")
    default = 443 if parts.scheme == "https" else 80
    return Target(url, parts.scheme, parts.hostname, port or default, parts)


def refusal(address: IPAddress) -> str | None:
    """Why ``address`` may not receive webhooks by default (None: it is a global address)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address (cloud metadata services live there)"
    if address.is_multicast or address.is_unspecified or address.is_reserved:
        return "not a unicast address"
    if address.is_private or not address.is_global:
        return "a private or non-global address"
    return None


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system's resolver gives for ``host`` (TCP), in its order."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def resolve(
    target: Target, allow_private: bool, resolver: Resolver = system_resolver
) -> IPAddress:
    """The address to connect to for ``target``: its first address once every address it
    resolves to is allowed (a name with any non-global address is refused whole)."""
    try:
        literal: IPAddress | None = ipaddress.ip_address(target.host)
    except ValueError:
        literal = None
    if literal is not None:
        found = [literal]
    else:
        try:
            found = [
                ipaddress.ip_address(a.split("%", 1)[0])
                for a in await resolver(target.host, target.port)
            ]
        except OSError as exc:
            raise AddressRefused(f"cannot resolve {target.host}: {exc}") from None
        if not found:
            raise AddressRefused(f"{target.host} has no address")
    if not allow_private:
        for address in found:
            why = refusal(address)
            if why is not None:
                named = "" if literal is not None else f"{target.host} resolves to "
                raise AddressRefused(
                    f"{named}{address}, {why}: refused (GQLNEWS_WEBHOOK_ALLOW_PRIVATE allows it)"
                )
    return found[0]
