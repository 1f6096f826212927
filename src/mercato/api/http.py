"""HTTP plumbing shared by the JSON API and the HTML pages: ETags, paging links, security headers,
request size limits.

Kept as plain ASGI middleware (not ``BaseHTTPMiddleware``): it adds nothing per request but a
header list, and it cannot be bypassed by a streaming response.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# No inline script or style anywhere: article text is untrusted, and even if an escape were ever
# missed, the browser would refuse to run what it injected.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """Adds the CSP and friends to every response (API, pages, static files, errors)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in have
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses request bodies over ``max_bytes`` with 413, whether announced by Content-Length or
    streamed in chunks (the running count stops reading at the limit)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _too_large(send, self.max_bytes, status=400, message="invalid Content-Length")
                    return
                if declared > self.max_bytes:
                    await _too_large(send, self.max_bytes)
                    return
        seen = 0
        started = refused = False

        async def limited_receive() -> Message:
            nonlocal seen, started, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # Answer 413 now and tell the app the client left: frameworks turn exceptions
                    # raised while reading the body into their own 400, which would hide the cause.
                    refused = True
                    if not started:
                        started = True
                        await _too_large(send, self.max_bytes)
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 is the answer; whatever the app says after it is dropped
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except Exception:
            if not refused:
                raise


async def _too_large(send: Send, limit: int, status: int = 413, message: str | None = None) -> None:
    body = json.dumps({"error": "too_large", "message": message or f"request body over {limit} bytes"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


# -- ETags --------------------------------------------------------------------------------------
def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def not_modified(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = [t.strip() for t in header.split(",")]
    # Weak comparison (RFC 9110 §13.1.2): W/"x" matches "x" for If-None-Match.
    return "*" in tags or etag in tags or f"W/{etag}" in tags


def cached_response(request: Request, body: bytes, media_type: str, headers: dict[str, str] | None = None) -> Response:
    """200 with an ETag, or 304 when the client already has this exact body. ``no-cache`` makes
    browsers revalidate every time: the store changes whenever an article is ingested."""
    etag = etag_of(body)
    base = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Cookie, Accept-Language", **(headers or {})}
    if not_modified(request, etag):
        return Response(status_code=304, headers=base)
    return Response(content=body, media_type=media_type, headers=base)


def json_body(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode()


# -- paging -------------------------------------------------------------------------------------
def page_links(request: Request, limit: int, offset: int, has_next: bool) -> dict[str, str | None]:
    """``self``/``next``/``prev`` links of a list, same query with another offset (relative URLs,
    so they stay right behind a proxy)."""

    def at(off: int) -> str:
        params = dict(request.query_params)
        params["limit"] = str(limit)
        params["offset"] = str(off)
        return str(request.url.path) + "?" + "&".join(f"{k}={_q(v)}" for k, v in params.items())

    return {
        "self": at(offset),
        "next": at(offset + limit) if has_next else None,
        "prev": at(max(0, offset - limit)) if offset > 0 else None,
    }


def link_header(links: dict[str, str | None]) -> str:
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url and rel != "self")


def _q(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


class HeadAsGet:
    """Answer HEAD like GET without the body (FastAPI routes declare GET only; monitors and
    link checkers send HEAD)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def no_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, no_body)
