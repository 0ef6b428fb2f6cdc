"""Who the client of a request is: the connection's peer, or, when that peer is a trusted
reverse proxy, the right-most ``X-Forwarded-For`` address that is not itself a trusted proxy.

Addresses left of that one were written by the client (or by proxies we do not know) and
prove nothing; a peer that is not trusted cannot speak for anyone, so its
``X-Forwarded-For`` is ignored. IPv6 clients are counted by their /64 network (one
subscriber usually holds a whole /64).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from starlette.types import Scope

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

UNKNOWN = "unknown"
"""The key of a request whose peer is not known (a Unix socket…)."""


def parse_networks(text: str) -> tuple[Network, ...]:
    """The comma-separated addresses and networks (CIDR) of ``text``; ValueError naming the
    first entry that is neither."""
    networks: list[Network] = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"{entry!r} is not an IP address or network (CIDR)") from None
    return tuple(networks)


class ClientAddresses:
    """Finds the client of a request, trusting the ``X-Forwarded-For`` of ``proxies`` only."""

    def __init__(self, proxies: Iterable[Network] = ()) -> None:
        self.proxies = tuple(proxies)

    def _trusted(self, address: Address) -> bool:
        return any(address in network for network in self.proxies)

    def of(self, scope: Scope) -> str:
        """The client's address (its /64 for IPv6), as text, for ``scope``."""
        client = scope.get("client")
        if not client:
            return UNKNOWN
        if not self.proxies:
            return _peer_key(client[0])
        peer = _address(client[0])
        if peer is None:
            return UNKNOWN
        if not self._trusted(peer):
            return _key(peer)
        nearest = peer
        for entry in reversed(_forwarded_for(scope)):
            address = _address(entry)
            if address is None:
                break  # garbage from a misconfigured hop: the last trusted one answers
            if not self._trusted(address):
                return _key(address)
            nearest = address
        return _key(nearest)


def _forwarded_for(scope: Scope) -> list[str]:
    entries: list[str] = []
    for name, value in scope.get("headers", ()):
        if name == b"x-forwarded-for":
            entries += value.decode("latin-1").split(",")
    return entries


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _peer_key(host: str) -> str:
    address = _address(host)
    return UNKNOWN if address is None else _key(address)


def _key(address: Address) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)
