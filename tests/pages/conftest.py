"""Page test helpers: sign a user in on the test client, post forms with their CSRF token, read pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from app.accounts import sessions
from app.accounts.models import User
from app.web import csrf

_CSRF_INPUT = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def csrf_token_on(html: str) -> str:
    found = _CSRF_INPUT.search(html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


@dataclass
class Visitor:
    """A test client acting as one person; `token` is the CSRF token their forms carry."""

    client: TestClient
    token: str

    def get(self, url: str, **kwargs: Any) -> httpx2.Response:
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> httpx2.Response:
        form = {"csrf_token": self.token, **(data or {})}
        return self.client.post(url, data=form, follow_redirects=False, **kwargs)


def sign_in(client: TestClient, db: Session, user: User) -> Visitor:
    """Give CLIENT a signed-in session for USER, as logging in would."""
    secret = csrf.new_session_secret()
    policy = sessions.SessionPolicy(idle=timedelta(hours=1), absolute=timedelta(hours=2))
    plain = sessions.start_session(db, user, policy, csrf_secret=secret)
    db.commit()
    client.cookies.set(sessions.SESSION_COOKIE, plain)
    return Visitor(client, csrf.mask(secret))


@pytest.fixture
def anonymous(client: TestClient) -> Visitor:
    """An anonymous visitor with the CSRF token of the login form (forms still need one)."""
    return Visitor(client, csrf_token_on(client.get("/login").text))


@dataclass
class StatementCounter:
    count: int = 0


@pytest.fixture
def statements(engine: Engine) -> Iterator[StatementCounter]:
    """Counts the SQL statements sent while the test runs (an N+1 guard for list pages)."""
    counter = StatementCounter()

    def count(*_args: Any) -> None:
        counter.count += 1

    event.listen(engine, "before_cursor_execute", count)
    yield counter
    event.remove(engine, "before_cursor_execute", count)
