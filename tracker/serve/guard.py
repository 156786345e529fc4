"""The checks every request to the review server passes before it reaches a screen.

What belongs here: the rules of a local server that has write endpoints, and nothing about any
screen. A request is refused unless its ``Host`` is one of this server's names with its port
(against DNS rebinding, where a page of another site reaches the server under that site's name);
its ``Origin``, when it carries one, is this server itself (against posts from other sites); and a
POST says ``Content-Type: application/json`` (which a plain HTML form on another site cannot send).
Every answer carries headers that keep the pages from being framed, sniffed or scripted from
elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

LOOPBACK = ("localhost", "127.0.0.1", "[::1]")
METHODS = ("GET", "HEAD", "POST")
SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
     b"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` values that name this server: the loopback names and the address it listens
    on, each with the port (and without it too on port 80, where browsers leave it out)."""
    names = {*LOOPBACK, f"[{host}]" if ":" in host and not host.startswith("[") else host}
    found = {f"{n}:{port}" for n in names}
    if port == 80:
        found |= names
    return frozenset(h.lower() for h in found)


def refusal(method: str, headers: Mapping[str, str], hosts: frozenset[str]) -> tuple[int, str] | None:
    """Why a request must be refused, as (status, one-line message), or None when it may pass.

    ``headers`` is looked up by lower-case names."""
    host = (headers.get("host") or "").lower()
    if host not in hosts:
        return 400, f"the Host {host or '(none)'!r} is not this server's"
    origin = headers.get("origin")
    if origin is not None and origin.lower() != f"http://{host}":
        return 403, f"requests from {origin!r} are refused: only pages of this server may send them"
    if method not in METHODS:
        return 405, f"method {method} is not allowed (GET, HEAD, POST)"
    if method == "POST":
        kind = (headers.get("content-type") or "").split(";")[0].strip().lower()
        if kind != "application/json":
            return 415, f"a POST must send JSON with 'Content-Type: application/json', not {kind or 'nothing'!r}"
    return None


class Guard:
    """ASGI middleware: refuse what ``refusal`` refuses (as JSON ``{"error": ...}``), add the
    security headers to every answer."""

    def __init__(self, app, hosts: frozenset[str]):
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refused = refusal(scope["method"], headers, self.hosts)
        if refused is not None:
            status, message = refused
            body = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8")
            await send({"type": "http.response.start", "status": status,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode()), *SECURITY_HEADERS]})
            await send({"type": "http.response.body", "body": body})
            return

        async def send_secured(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_secured)
