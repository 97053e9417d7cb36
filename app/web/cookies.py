"""Cookies set from anywhere in a request (flash messages, the CSRF cookie), written onto the response.

Names get the `__Host-` prefix over https, which pins a cookie to this exact host, path / and Secure.
Signed values use HMAC-SHA256 with the SECRET_KEY, so a visitor cannot forge them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Literal

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_PENDING = "pending_cookies"


@dataclass(frozen=True)
class PendingCookie:
    name: str
    value: str
    max_age: int | None
    secure: bool
    samesite: Literal["lax", "strict"] = "lax"


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def cookie_name(request: Request, base: str) -> str:
    """BASE, or `__Host-BASE` when served over https."""
    return f"__Host-{base}" if is_https(request) else base


def read_cookie(request: Request, base: str) -> str | None:
    return request.cookies.get(cookie_name(request, base))


def set_cookie(response: Response, request: Request, base: str, value: str, *, max_age: int | None) -> None:
    """An HttpOnly, SameSite=Lax cookie for the whole site; Secure and `__Host-` over https."""
    response.set_cookie(
        cookie_name(request, base),
        value,
        max_age=max_age,
        path="/",
        secure=is_https(request),
        httponly=True,
        samesite="lax",
    )


def delete_cookie(response: Response, request: Request, base: str) -> None:
    set_cookie(response, request, base, "", max_age=0)


def queue_cookie(request: Request, base: str, value: str, *, max_age: int | None) -> None:
    """Set a cookie on the response this request ends with, whichever handler builds it."""
    pending: dict[str, PendingCookie] = request.scope.setdefault("state", {}).setdefault(_PENDING, {})
    name = cookie_name(request, base)
    pending[name] = PendingCookie(name, value, max_age, is_https(request))


def queue_cookie_deletion(request: Request, base: str) -> None:
    queue_cookie(request, base, "", max_age=0)


def has_pending_cookies(scope: Scope) -> bool:
    """Whether the response to this request will set cookies (the middleware below adds them)."""
    return bool(scope.get("state", {}).get(_PENDING))


def _header(cookie: PendingCookie) -> tuple[bytes, bytes]:
    response = Response()
    response.set_cookie(
        cookie.name,
        cookie.value,
        max_age=cookie.max_age,
        path="/",
        secure=cookie.secure,
        httponly=True,
        samesite=cookie.samesite,
    )
    return next((key, value) for key, value in response.raw_headers if key == b"set-cookie")


class PendingCookiesMiddleware:
    """Adds the cookies queued during the request to the response's headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state: dict[str, object] = scope.setdefault("state", {})

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start":
                pending = state.get(_PENDING)
                if isinstance(pending, dict) and pending:
                    message["headers"] = [
                        *message.get("headers", []),
                        *(_header(cookie) for cookie in pending.values()),
                    ]
            await send(message)

        await self.app(scope, receive, send_with_cookies)


def sign(secret_key: str, purpose: str, value: str) -> str:
    """VALUE with an HMAC tag bound to PURPOSE, so a value signed for one use is refused for another."""
    payload = base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")
    return f"{payload}.{_tag(secret_key, purpose, payload)}"


def unsign(secret_key: str, purpose: str, signed: str) -> str | None:
    payload, _, tag = signed.rpartition(".")
    if not payload or not hmac.compare_digest(tag, _tag(secret_key, purpose, payload)):
        return None
    try:
        return base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None


def _tag(secret_key: str, purpose: str, payload: str) -> str:
    digest = hmac.new(secret_key.encode(), f"{purpose}:{payload}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
