"""The language of each request: `?lang=` (then remembered), the cookie, Accept-Language, else English.

The middleware puts the choice in `current_locale` for gettext and in the scope for the answer cache, and
marks every HTML answer with Content-Language and Vary, since the same address reads differently per reader.
"""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.web.cookies import queue_cookie
from app.web.i18n import CHINESE, DEFAULT_LOCALE, current_locale, language_tag
from app.web.templating import templates

LANGUAGE_COOKIE = "pa_lang"
LANGUAGE_COOKIE_NAMES = frozenset({LANGUAGE_COOKIE, f"__Host-{LANGUAGE_COOKIE}"})
LANGUAGE_PARAM = "lang"
SCOPE_KEY = "locale"
_ONE_YEAR = 365 * 24 * 3600
_VARY = b"Accept-Language, Cookie"


def supported_locale(value: str | None) -> str | None:
    """The catalog for a language tag or cookie value: 'zh', 'zh-CN', 'zh-Hans' → zh_Hans; 'en-GB' → en."""
    if not value:
        return None
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    if primary == "zh":
        return CHINESE
    if primary == "en":
        return DEFAULT_LOCALE
    return None


def from_accept_language(header: str | None) -> str | None:
    """The supported language the reader ranks highest (q-values honoured, order breaks ties)."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, parameters = part.strip().partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        locale = supported_locale(tag)
        if locale is not None and quality > 0:
            ranked.append((-quality, position, locale))
    return min(ranked)[2] if ranked else None


def language_cookie(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The remembered choice from the raw Cookie header, if any."""
    for name, value in headers:
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except CookieError:  # a malformed cookie header chooses nothing
                return None
            for cookie_name in LANGUAGE_COOKIE_NAMES:
                if cookie_name in jar:
                    return supported_locale(jar[cookie_name].value)
    return None


def negotiate(scope: Scope) -> tuple[str, str | None]:
    """(the locale for this request, an explicit ?lang= choice to remember or None)."""
    request = Request(scope)
    chosen = supported_locale(request.query_params.get(LANGUAGE_PARAM))
    if chosen is not None:
        return chosen, chosen
    remembered = language_cookie(scope["headers"])
    if remembered is not None:
        return remembered, None
    return from_accept_language(request.headers.get("accept-language")) or DEFAULT_LOCALE, None


def request_locale(scope: Scope) -> str:
    """The locale the middleware chose for this request (English outside a request)."""
    locale = scope.get("state", {}).get(SCOPE_KEY)
    return locale if isinstance(locale, str) else DEFAULT_LOCALE


class LocaleMiddleware:
    """Chooses the language of each request and labels the answer with it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        locale, to_remember = negotiate(scope)
        scope.setdefault("state", {})[SCOPE_KEY] = locale
        current_locale.set(locale)
        if to_remember is not None and to_remember != language_cookie(scope["headers"]):
            queue_cookie(Request(scope), LANGUAGE_COOKIE, to_remember, max_age=_ONE_YEAR)

        async def send_labelled(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower(): value for name, value in headers}
                if not names.get(b"content-type", b"").startswith(b"text/html"):
                    await send(message)
                    return
                if b"content-language" not in names:
                    headers.append((b"content-language", language_tag(locale).encode()))
                if b"vary" in names:
                    headers = [
                        (name, value + b", " + _VARY if name.lower() == b"vary" else value)
                        for name, value in headers
                    ]
                else:
                    headers.append((b"vary", _VARY))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_labelled)


def language_link(request: Request, locale: str) -> str:
    """This page's address with ?lang= set to LOCALE (the header's switcher, and links to share)."""
    query = [(name, value) for name, value in request.query_params.multi_items() if name != LANGUAGE_PARAM]
    query.append((LANGUAGE_PARAM, "zh" if locale == CHINESE else "en"))
    return f"{request.url.path}?{urlencode(query)}"


templates.env.globals["language_link"] = language_link
