"""Cross-site request forgery defence for unsafe methods: an origin check plus a synchronizer token.

The secret behind the token is the signed-in session's own (rotated with every login), or for anonymous
visitors an HMAC of a random cookie, so that the login and register forms are covered too. Each rendered
token is masked with fresh random bytes, so the page never repeats the secret (BREACH). Forms send it as
`csrf_token`; scripts that use the cookie send the `X-CSRF-Token` header. Requests carrying no cookie session,
such as bearer-token API calls, have no ambient credentials to abuse and are exempt.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from markupsafe import Markup, escape
from starlette.requests import Request

from app.errors import Forbidden
from app.web.cookies import queue_cookie, read_cookie
from app.web.forms import CSRF_FIELD, read_form
from app.web.i18n import N_

CSRF_HEADER = "x-csrf-token"
ANONYMOUS_COOKIE = "pa_csrf"
SESSION_SECRET_STATE = "csrf_session_secret"  # noqa: S105 - a state key, not a secret
"""request.state key where the accounts layer puts the signed-in session's CSRF secret."""

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_SECRET_BYTES = 32
_ANONYMOUS_STATE = "csrf_anonymous_cookie"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class CsrfRejected(Forbidden):
    code = "csrf_failed"
    title = "Form expired"


def new_session_secret() -> str:
    """A fresh secret to store with a new signed-in session."""
    return secrets.token_hex(_SECRET_BYTES)


def _anonymous_secret(request: Request, *, create: bool) -> str | None:
    state = request.scope.setdefault("state", {})
    value = state.get(_ANONYMOUS_STATE) or read_cookie(request, ANONYMOUS_COOKIE)
    if not value or len(value) > 100:
        if not create:
            return None
        value = secrets.token_urlsafe(_SECRET_BYTES)
        queue_cookie(request, ANONYMOUS_COOKIE, value, max_age=None)
    state[_ANONYMOUS_STATE] = value
    key: str = request.app.state.settings.secret_key
    # Keyed with the server's secret: a cookie planted by someone else cannot be turned into a valid token.
    return hmac.new(key.encode(), f"csrf-anonymous:{value}".encode(), hashlib.sha256).hexdigest()


def expected_secret(request: Request, *, create: bool = False) -> str | None:
    session_secret = request.scope.get("state", {}).get(SESSION_SECRET_STATE)
    if isinstance(session_secret, str) and session_secret:
        return session_secret
    return _anonymous_secret(request, create=create)


def mask(secret_hex: str) -> str:
    secret = bytes.fromhex(secret_hex)
    pad = secrets.token_bytes(len(secret))
    return (pad + bytes(a ^ b for a, b in zip(pad, secret, strict=True))).hex()


def unmask(token: str) -> str | None:
    try:
        raw = bytes.fromhex(token)
    except ValueError:
        return None
    if len(raw) != 2 * _SECRET_BYTES:
        return None
    pad, masked = raw[:_SECRET_BYTES], raw[_SECRET_BYTES:]
    return bytes(a ^ b for a, b in zip(pad, masked, strict=True)).hex()


def csrf_token(request: Request) -> str:
    """A token for one form on this page (new random mask each call, same secret underneath)."""
    secret = expected_secret(request, create=True)
    assert secret is not None
    return mask(secret)


class LazyCsrfToken:
    """`{{ csrf_token }}` in templates: computed only on pages that have a form, so others set no cookie."""

    def __init__(self, request: Request) -> None:
        self._request = request
        self._value: str | None = None

    def __str__(self) -> str:
        if self._value is None:
            self._value = csrf_token(self._request)
        return self._value

    def __html__(self) -> Markup:
        return escape(str(self))


def own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}".lower()


def check_origin(request: Request) -> None:
    """Refuse unsafe requests that a browser says come from another site."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        if fetch_site in ("same-origin", "none"):
            return
        raise CsrfRejected(N_("Cross-site requests may not change anything here."))
    origin = request.headers.get("origin")
    # No header at all: not a browser, or a very old one; the token check below still applies.
    if origin is not None and origin.lower() != own_origin(request):
        raise CsrfRejected(N_("Cross-site requests may not change anything here."))


async def submitted_token(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(_FORM_TYPES):
        form = await read_form(request)
        value: Any = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def verify_request(request: Request, *, exempt: bool) -> None:
    """Raise CsrfRejected for an unsafe request without a matching token or from another origin."""
    if request.method in SAFE_METHODS or exempt:
        return
    check_origin(request)
    token = await submitted_token(request)
    secret = expected_secret(request)
    unmasked = unmask(token) if token else None
    if secret is None or unmasked is None or not hmac.compare_digest(unmasked, secret):
        raise CsrfRejected(
            N_("This form has expired or did not come from this site. Reload the page and try again.")
        )
