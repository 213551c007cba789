"""The client's address, for rate limits, lockouts, allow-lists and logs.

Behind a reverse proxy every request comes from the proxy, so keying on `REMOTE_ADDR` makes the
whole city one client. `TRUSTED_PROXIES` (environment, comma-separated addresses or CIDRs) names
the proxies; only when the direct peer is one of them is `X-Forwarded-For` read, from the right:
each trusted proxy appended the address it saw, so the rightmost address that is not a trusted
proxy is the client. Anything left of it was written by the client and is ignored.
"""

import ipaddress
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """Parsed address list ("10.0.0.0/8", "127.0.0.1", "::1"); bad entries fail loudly."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.9:5123"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def in_networks(address: str, entries: Iterable[str]) -> bool:
    """True when `address` is inside one of `entries` (addresses or CIDRs)."""
    parsed = _parse(address)
    if parsed is None:
        return False
    return any(parsed in network for network in networks(tuple(entries)))


def client_ip(request: HttpRequest) -> str:
    """The client address: `REMOTE_ADDR`, or the rightmost untrusted `X-Forwarded-For` hop when
    the direct peer is a trusted proxy. Memoised on the request."""
    cached = getattr(request, "_thidua_client_ip", None)
    if cached is not None:
        return str(cached)
    result = client_ip_of(request.META)
    request._thidua_client_ip = result  # type: ignore[attr-defined]
    return result


def client_ip_of(environ: Mapping[str, Any]) -> str:
    """`client_ip` from a WSGI environ (or `request.META`), for code ahead of Django."""
    remote = environ.get("REMOTE_ADDR", "") or ""
    trusted = tuple(getattr(settings, "TRUSTED_PROXIES", ()))
    return _resolve(remote, environ.get("HTTP_X_FORWARDED_FOR", ""), trusted) if trusted else remote


@lru_cache(maxsize=4096)  # the same visitors come back: parse each (peer, header) once
def _resolve(remote: str, forwarded: str, entries: tuple[str, ...]) -> str:
    trusted = networks(entries)
    peer = _parse(remote)
    if peer is None or not any(peer in net for net in trusted):
        return remote
    result = remote
    for hop in reversed(forwarded.split(",")):
        address = _parse(hop)
        if address is None:
            break  # a malformed hop: keep the last address a trusted proxy vouched for
        result = str(address)
        if not any(address in net for net in trusted):
            break
    return result
