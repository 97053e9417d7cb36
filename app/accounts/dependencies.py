"""FastAPI dependencies that tell who is asking: a bearer API token (or, for pages, a session cookie)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.accounts import service
from app.accounts.models import User
from app.accounts.permissions import require_user
from app.db import DbSession
from app.errors import Unauthorized

bearer_scheme = HTTPBearer(auto_error=False, description="An API token from your account page or the CLI.")


def optional_user(
    request: Request,
    session: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> User | None:
    """The user behind the request, or None when anonymous; a bad token is an error, not anonymity."""
    if credentials is not None:
        user = service.user_for_token(session, credentials.credentials)
        if user is None:
            raise Unauthorized("That API token is unknown, revoked, or its user is disabled.")
        request.state.user = user
        return user
    cached: User | None = getattr(request.state, "user", None)
    return cached


def required_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    return require_user(user)


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(required_user)]
