"""Test helpers that use the site as a browser does: read a form's CSRF token, sign in, post forms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.config import Settings
from tests.databases import app_on_session

_CSRF_INPUT = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = _CSRF_INPUT.search(html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


def form_token(client: TestClient, page: str) -> str:
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    return csrf_from(response.text)


def submit(
    client: TestClient, action: str, data: dict[str, Any], *, page: str | None = None, **kwargs: Any
) -> Any:
    """POST a form the way a browser would: with the token of PAGE's form (default: the action itself)."""
    token = form_token(client, page or action)
    return client.post(action, data={"csrf_token": token, **data}, follow_redirects=False, **kwargs)


def sign_in(client: TestClient, username: str, password: str = "correct-horse") -> Any:
    response = submit(client, "/login", {"username": username, "password": password})
    assert response.status_code == 303, response.text
    return response


@contextmanager
def client_with(
    settings: Settings, db: Session, *, base_url: str = "http://testserver", **changes: Any
) -> Iterator[TestClient]:
    """A client for an app whose settings differ by CHANGES, on the test's rolled-back session."""
    application = app_on_session(settings.model_copy(update=changes), db)
    with TestClient(application, base_url=base_url) as client:
        yield client
