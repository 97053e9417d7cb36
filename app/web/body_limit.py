"""Request bodies are bounded before they are read, and anonymous API writes are refused before theirs is.

A body larger than the route's limit (imports have their own, larger one) is refused with 413: at once when
Content-Length says so, or as soon as a streamed body passes the limit, so a worker never holds more than the
limit in memory. An unsafe API call with neither a bearer token nor a session cookie cannot succeed, so it
is answered 401 without reading its body at all.
"""

from __future__ import annotations

import orjson
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_SESSION_COOKIE = b"pa_session"  # the accounts layer's cookie; only its presence matters here


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return {bytes(name): bytes(value) for name, value in scope["headers"]}


def _too_large(limit: int) -> HTTPException:
    # An HTTPException, because FastAPI turns any other error met while reading a body into a 400.
    return HTTPException(413, f"The request body is larger than the limit of {limit:,} bytes.")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int, larger: dict[str, int]) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = larger  # path -> limit, for the routes that take larger bodies (imports)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        if _is_anonymous_api_write(scope, headers):
            await _refuse_unauthenticated(send)
            return
        limit = self.larger.get(scope["path"], self.max_bytes)
        declared = headers.get(b"content-length", b"")
        too_large = declared.isdigit() and int(declared) > limit
        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            if too_large:
                raise _too_large(limit)  # the error handlers answer 413 without a byte of the body read
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _too_large(limit)
            return message

        await self.app(scope, bounded_receive, send)


def _is_anonymous_api_write(scope: Scope, headers: dict[bytes, bytes]) -> bool:
    if scope["method"] in _SAFE_METHODS or not scope["path"].startswith("/api/"):
        return False
    if b"authorization" in headers or _SESSION_COOKIE + b"=" in headers.get(b"cookie", b""):
        return False
    # Only for an existing route and method: anything else keeps its 404 or 405.
    routes = getattr(scope["app"], "routes", [])
    return any(route.matches(scope)[0] == Match.FULL for route in routes)


async def _refuse_unauthenticated(send: Send) -> None:
    body = orjson.dumps(
        {"detail": "Writing needs an API token: send Authorization: Bearer <token>.", "code": "unauthorized"}
    )
    await send(
        {
            "type": "http.response.start",
            "status": 401,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"www-authenticate", b"Bearer"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
