"""Which host names footcoach answers for, and whose pages may change anything.

An ASGI middleware in front of the whole app (and of local mode's early answers), against DNS
rebinding and cross-site requests:

- The Host header must name this server. Local mode answers this machine's own names only
  (localhost and loopback addresses such as 127.0.0.1 and [::1], with any port): a page on
  another site whose name the attacker points at 127.0.0.1 still sends its own name, and is
  refused. Multi-user mode answers those and the names of FOOTCOACH_ALLOWED_HOSTS ('*' for
  any). Anything else is 400 problem+json, and the app never runs.
- A POST, PUT, PATCH or DELETE whose Origin header is not this server's own origin (the same
  scheme, host and port as the request) is refused with 403; without Origin, a Referer from
  another origin is refused the same way. With neither, web/auth.py's rule applies (a request
  the browser marks as cross-site with Sec-Fetch-Site is refused), as for old browsers and
  for clients that are no browser (curl, scripts), which send none of them.

The scheme is the one the ASGI server gives: behind a reverse proxy that ends TLS, uvicorn
applies X-Forwarded-Proto only from a trusted proxy (--forwarded-allow-ips).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request

from footcoach.web.problems import excerpt, problem, refusal

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
HOST_TEXT = re.compile(r"[A-Za-z0-9._~\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")
"""What a Host header may hold: a name or IPv4 address, or a bracketed IPv6 one; a port."""
Origin = tuple[str, str, int]
"""(scheme, host name, port): what two origins must share to be the same."""


def is_loopback(name: str) -> bool:
    """localhost, or an address of this machine's loopback interface (127.0.0.0/8, ::1)."""
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> tuple[str, int | None] | None:
    """(the name, lowercase and without brackets, and the port if given) of a Host header;
    None when it is no host name."""
    if not HOST_TEXT.fullmatch(header):
        return None
    parts = urlsplit(f"//{header}")
    try:
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return parts.hostname.rstrip("."), port


def origin_of(url: str) -> Origin | None:
    """The origin of an Origin header or a Referer URL; None for 'null' or no URL."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    return scheme, parts.hostname.rstrip("."), port or DEFAULT_PORTS[scheme]


class HostCheck:
    def __init__(self, app: ASGIApp, multi_user: bool, allowed_hosts: tuple[str, ...]) -> None:
        self.app = app
        self.multi_user = multi_user
        self.allowed = frozenset(allowed_hosts) if multi_user else frozenset()

    def answers_for(self, name: str) -> bool:
        return is_loopback(name) or name in self.allowed or "*" in self.allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        host = headers.get("host", "")
        found = host_name(host)
        if found is None or not self.answers_for(found[0]):
            await self._wrong_host(scope, receive, send, host)
            return
        if scope["type"] == "http" and scope["method"] in UNSAFE_METHODS:
            scheme = str(scope.get("scheme", "http"))
            own: Origin = (scheme, found[0], found[1] or DEFAULT_PORTS.get(scheme, 80))
            sender = headers.get("origin", headers.get("referer"))
            if sender is not None and origin_of(sender) != own:
                await _other_site(scope, receive, send, sender)
                return
        await self.app(scope, receive, send)

    async def _wrong_host(self, scope: Scope, receive: Receive, send: Send, host: str) -> None:
        if scope["type"] != "http":
            await send({"type": "websocket.close", "code": 1008})
            return
        shown = repr(excerpt(host)) if host else "(none)"
        if self.multi_user:
            detail = (
                f"This footcoach does not answer for the host name {shown}; its administrator "
                "lists the names it answers for in FOOTCOACH_ALLOWED_HOSTS."
            )
        else:
            detail = (
                f"This footcoach does not answer for the host name {shown}: in local mode it "
                "answers only this machine's own names, such as 127.0.0.1, localhost and [::1]."
            )
        answer = problem(400, "Unknown host", detail, "unknown-host")
        await answer(scope, receive, send)


async def _other_site(scope: Scope, receive: Receive, send: Send, sender: str) -> None:
    detail = (
        f"footcoach does not accept changes sent from another site ({excerpt(sender)}); send "
        "them from footcoach's own pages."
    )
    request = Request(scope, receive)
    answer = refusal(request, 403, "Not allowed", detail, "csrf")
    await answer(scope, receive, send)


def _headers(scope: Scope) -> dict[str, str]:
    """The request's Host, Origin and Referer headers (the first of each)."""
    found: dict[str, str] = {}
    for name, value in scope["headers"]:
        key = name.decode("latin-1").lower()
        if key in ("host", "origin", "referer") and key not in found:
            found[key] = value.decode("latin-1")
    return found
