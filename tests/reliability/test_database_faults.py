"""A database that cannot be written or reached: 503 with Retry-After, /healthz says so, it recovers."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from app.accounts.models import Role
from app.db import transaction
from app.main import create_app
from tests.factories import make_token, make_user, unique
from tests.reliability.conftest import LiveDatabase, live_settings


def test_a_read_only_sqlite_file_answers_503_and_recovers(live: LiveDatabase) -> None:
    if not live.is_sqlite:
        pytest.skip("a read-only SQLite file")
    path = live.settings.sqlite_path
    with transaction(live.factory) as session:
        plain = make_token(session, make_user(session, role=Role.EDITOR))
    headers = {"Authorization": f"Bearer {plain}"}
    app = create_app(live.settings)
    read_only = True

    @event.listens_for(app.state.engine, "do_connect")
    def _open(_dialect: Any, _record: Any, _args: Any, kwargs: dict[str, Any]) -> Any:
        # What SQLite does when the file cannot be opened for writing: the connection is read-only for good.
        if read_only:
            return sqlite3.connect(f"file:{path}?mode=ro", uri=True, **kwargs)
        return None

    def add(client: TestClient) -> Any:
        return client.post("/api/v1/papers", headers=headers, json={"title": unique("Written when allowed ")})

    with TestClient(app, raise_server_exceptions=False) as client:
        refused = add(client)
        assert refused.status_code == 503, refused.text
        assert refused.json()["code"] == "unavailable"
        assert int(refused.headers["retry-after"]) >= 1
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json()["database"]["writable"] is False, health.json()
        assert client.get("/api/v1/meta").status_code == 200  # reading still works
        read_only = False
        # The pool still holds connections opened read-only: they are dropped, not reused.
        assert [add(client).status_code for _ in range(6)] == [201] * 6
        health = client.get("/healthz")
        assert health.status_code == 200
        assert health.json()["database"]["writable"] is True


@pytest.mark.parametrize("path", ["/api/v1/meta", "/papers", "/api/v1/papers?q=model"])
def test_an_unreachable_database_answers_503(path: str) -> None:
    # Nothing listens on port 1: every connection attempt is refused, as during an outage.
    settings = live_settings(
        "postgresql+psycopg://postgres@127.0.0.1:1/paper_atlas", response_cache_entries=0
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.get(path)
        assert response.status_code == 503, response.text
        assert int(response.headers["retry-after"]) >= 1
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json()["database"]["ok"] is False
