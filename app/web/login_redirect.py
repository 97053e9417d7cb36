"""Pages that need a signed-in visitor send others to /login?next=<path>, and back only to local paths."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

LOGIN_PATH = "/login"
_MAX_NEXT = 2000


class LoginRequired(Exception):
    """Raised by page dependencies; answered with a 303 to the login form that returns to NEXT_PATH."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def safe_next_path(candidate: str | None, default: str = "/") -> str:
    """CANDIDATE when it is a path on this site, else DEFAULT: never an open redirect.

    Refused: absolute and scheme-relative URLs (`https://x`, `//x`, `/\\x`), other schemes (`javascript:`),
    control characters and whitespace that browsers strip or reinterpret.
    """
    if not candidate or len(candidate) > _MAX_NEXT:
        return default
    if any(ord(char) < 0x21 or ord(char) == 0x7F for char in candidate) or "\\" in candidate:
        return default
    if not candidate.startswith("/") or candidate.startswith("//"):
        return default
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc:
        return default
    return candidate


def login_url(next_path: str) -> str:
    return f"{LOGIN_PATH}?next={quote(safe_next_path(next_path), safe='/')}"


def path_with_query(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


async def _redirect_to_login(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return RedirectResponse(login_url(exc.next_path), status_code=303)


def install_login_redirect(app: FastAPI) -> None:
    app.add_exception_handler(LoginRequired, _redirect_to_login)
