"""Who is asking (a bearer API token or a session cookie), and the guard every unsafe request passes.

`OptionalUser` / `CurrentUser` for JSON routes, `PageUser` for pages that send anonymous visitors to /login,
`CurrentVisitor` when a handler needs the session itself. `guard_request` is installed app-wide: it resolves
the visitor once per request, checks CSRF and applies the per-user write rate limit on unsafe methods.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.accounts import activity, service, sessions
from app.accounts.models import ApiToken, User, UserSession
from app.accounts.permissions import require_user
from app.config import Settings
from app.db import DbSession, side_transactions, utcnow
from app.errors import Unauthorized
from app.web import csrf
from app.web.cookies import queue_cookie_deletion, read_cookie
from app.web.forms import close_posted_form
from app.web.i18n import N_
from app.web.login_redirect import LoginRequired, path_with_query
from app.web.ratelimit import Limit, client_ip, enforce
from app.web.templating import add_context_processor

log = logging.getLogger("paper_atlas.accounts")
bearer_scheme = HTTPBearer(auto_error=False, description="An API token from your account page or the CLI.")
_VISITOR_STATE = "visitor"


@dataclass(frozen=True)
class Visitor:
    user: User | None
    via: Literal["token", "session"] | None = None
    session: UserSession | None = None
    has_session_cookie: bool = False
    token: ApiToken | None = None


def session_policy(settings: Settings) -> sessions.SessionPolicy:
    return sessions.SessionPolicy(
        idle=timedelta(minutes=settings.session_idle_minutes),
        absolute=timedelta(hours=settings.session_absolute_hours),
    )


def resolve_visitor(
    request: Request,
    session: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Visitor:
    """The visitor behind the request, resolved once; a bad token is an error, not anonymity."""
    cached: Visitor | None = getattr(request.state, _VISITOR_STATE, None)
    if cached is not None:
        return cached
    cookie = read_cookie(request, sessions.SESSION_COOKIE)
    visitor = Visitor(user=None, has_session_cookie=cookie is not None)
    if credentials is not None or cookie is not None:
        if request.method in csrf.SAFE_METHODS:
            visitor = _identify(request, session, credentials, cookie)
        else:
            # Looked up beside the request's transaction: its first statement takes SQLite's write lock,
            # which should wait for the handler's first write, not for a body read or a password hash.
            with side_transactions(request).read() as reader:
                visitor = _identify(request, reader, credentials, cookie)
            for loaded in (visitor.user, visitor.session):
                if loaded is not None:
                    session.add(loaded)  # no statement: handlers may change the visitor in their transaction
        _record_activity(request, visitor)
    if visitor.session is not None:
        setattr(request.state, csrf.SESSION_SECRET_STATE, visitor.session.csrf_token)
    request.state.visitor = visitor
    request.state.user = visitor.user
    return visitor


def _identify(
    request: Request, session: Session, credentials: HTTPAuthorizationCredentials | None, cookie: str | None
) -> Visitor:
    if credentials is not None:
        found_token = service.token_owner(session, credentials.credentials)
        if found_token is None:
            log.info("refused an unknown or revoked API token from %s", client_ip(request))
            raise Unauthorized("That API token is unknown, revoked, or its user is disabled.")
        token, user = found_token
        return Visitor(user=user, via="token", token=token, has_session_cookie=cookie is not None)
    assert cookie is not None
    found = sessions.find_session(session, cookie, session_policy(request.app.state.settings))
    if found is None:
        queue_cookie_deletion(request, sessions.SESSION_COOKIE)
        return Visitor(user=None, has_session_cookie=True)
    return Visitor(user=found.user, via="session", session=found.record, has_session_cookie=True)


def _record_activity(request: Request, visitor: Visitor) -> None:
    """Stamp the token's or session's last use in a write of its own; never fails the request."""
    now = utcnow()
    token, record = visitor.token, visitor.session
    if not (
        (token is not None and activity.is_due(token.last_used_at, now))
        or (record is not None and activity.is_due(record.last_seen_at, now))
    ):
        return
    try:
        with side_transactions(request).write(wait=False) as writer:
            if token is not None:
                activity.stamp_token(writer, token.id, now)
            if record is not None:
                activity.stamp_session(writer, record.id, now)
    except Exception as exc:
        # Busy (another writer holds the lock) or unavailable: the next request records it.
        log.debug("activity stamp skipped: %s", exc.__class__.__name__)


CurrentVisitor = Annotated[Visitor, Depends(resolve_visitor)]


async def guard_request(request: Request, visitor: CurrentVisitor) -> AsyncIterator[None]:
    """App-wide: CSRF (origin and token) and the write rate limit for every unsafe request."""
    if request.method in csrf.SAFE_METHODS:
        yield
        return
    try:
        await _check_write(request, visitor)
        yield
    finally:
        await close_posted_form(request)


async def _check_write(request: Request, visitor: Visitor) -> None:
    # Without the session cookie a request carries no ambient credentials (a token, or nothing at all).
    exempt = not visitor.has_session_cookie and (
        visitor.via == "token" or request.url.path.startswith("/api/")
    )
    try:
        await csrf.verify_request(request, exempt=exempt)
    except csrf.CsrfRejected:
        log.warning(
            "refused a cross-site or token-less %s %s from %s",
            request.method,
            request.url.path,
            client_ip(request),
        )
        raise
    settings: Settings = request.app.state.settings
    who = f"user:{visitor.user.id}" if visitor.user is not None else f"ip:{client_ip(request)}"
    window = settings.write_window_seconds
    # The counters are written to the database: in a worker thread, never on the event loop.
    await run_in_threadpool(
        enforce, request, f"write:{who}", Limit(settings.writes_per_user, window), what=N_("changes")
    )
    route = request.scope.get("route")
    if "rating" in str(getattr(route, "path", "")):
        await run_in_threadpool(
            enforce, request, f"rating:{who}", Limit(settings.ratings_per_user, window), what=N_("ratings")
        )


def optional_user(visitor: CurrentVisitor) -> User | None:
    """The signed-in user (token or session), or None for anonymous visitors."""
    return visitor.user


def required_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    return require_user(user)


def page_user(request: Request, user: Annotated[User | None, Depends(optional_user)]) -> User:
    """For pages: the signed-in user, or a 303 to /login?next=<this page>."""
    if user is None:
        raise LoginRequired(path_with_query(request))
    return require_user(user)


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(required_user)]
PageUser = Annotated[User, Depends(page_user)]


def accounts_context(request: Request) -> dict[str, Any]:
    """`current_user` and `csrf_token` for every template."""
    visitor: Visitor | None = getattr(request.state, _VISITOR_STATE, None)
    return {
        "current_user": visitor.user if visitor is not None else None,
        "csrf_token": csrf.LazyCsrfToken(request),
    }


add_context_processor(accounts_context)
