"""Bodies over the limit are refused before they are read; anonymous API writes before their body is."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.accounts.models import Role
from app.config import Settings
from tests.databases import app_on_session
from tests.factories import make_token, make_user
from tests.web.browsing import form_token, sign_in

HUGE = 400 * 1024 * 1024
CHUNK = 64 * 1024


def _call(app: FastAPI, headers: dict[str, str], *, endless: bool = False) -> tuple[int, bytes, int]:
    """Send a POST /api/v1/papers straight through ASGI: (status, body, bytes of the request body read)."""
    read = 0
    answer: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        nonlocal read
        if not endless:
            raise AssertionError("the body was read")
        read += CHUNK
        return {"type": "http.request", "body": b"x" * CHUNK, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        else:
            answer["body"] += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 5000),
        "path": "/api/v1/papers",
        "raw_path": b"/api/v1/papers",
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "app": app,
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return answer["status"], answer["body"], read


def test_an_anonymous_api_write_is_refused_before_its_body_is_read(settings: Settings, db: Session) -> None:
    app = app_on_session(settings, db)
    status, body, _ = _call(app, {"content-type": "application/json", "content-length": str(HUGE)})
    assert status == 401
    assert b"unauthorized" in body


def test_a_declared_large_body_is_refused_unread(settings: Settings, db: Session) -> None:
    plain = make_token(db, make_user(db, role=Role.EDITOR))
    app = app_on_session(settings, db)
    headers = {"authorization": f"Bearer {plain}", "content-type": "application/json"}
    status, body, _ = _call(app, {**headers, "content-length": str(HUGE)})
    assert status == 413
    assert b"payload_too_large" in body


def test_a_streamed_large_body_is_refused_at_the_limit(settings: Settings, db: Session) -> None:
    plain = make_token(db, make_user(db, role=Role.EDITOR))
    app = app_on_session(settings, db)
    headers = {"authorization": f"Bearer {plain}", "content-type": "application/json"}
    status, _, read = _call(app, headers, endless=True)
    assert status == 413
    assert read <= settings.max_body_bytes + CHUNK


def test_a_large_form_is_a_413_page(client: TestClient, db: Session, settings: Settings) -> None:
    make_user(db, "ada")
    sign_in(client, "ada")
    token = form_token(client, "/papers/new")
    response = client.post(
        "/papers/new", data={"csrf_token": token, "title": "x" * (settings.max_body_bytes + 1)}
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert 'class="site-header"' in response.text


def test_imports_keep_their_larger_limit(client: TestClient, db: Session, settings: Settings) -> None:
    plain = make_token(db, make_user(db, role=Role.ADMIN))
    padding = "<!-- " + "x" * (2 * settings.max_body_bytes) + " -->\n"
    markdown = padding + "- [Attention Is All You Need](https://arxiv.org/abs/1706.03762) - transformers\n"
    response = client.post(
        "/api/v1/imports",
        headers={"Authorization": f"Bearer {plain}"},
        data={"name": "big-but-allowed"},
        files={"file": ("README.md", markdown.encode(), "text/markdown")},
    )
    assert response.status_code == 201, response.text[:300]
