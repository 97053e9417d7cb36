"""Reads never write in their own transaction; writers hold SQLite's lock only around their writes; a lock
that cannot be had in time is a 503 with Retry-After, never a 500."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from app.accounts import service as accounts
from app.accounts.activity import STAMP_INTERVAL
from app.accounts.models import ApiToken, Role, UserSession
from app.accounts.passwords import hash_password, verify_password
from app.db import transaction, utcnow
from app.importing import service as importing
from app.importing.parsing import parse_markdown
from app.main import create_app
from tests.factories import make_paper, make_token, make_user, unique
from tests.reliability.conftest import LiveDatabase
from tests.web.browsing import sign_in, submit

TOKEN_READS = [
    "/api/v1/meta",
    "/api/v1/papers/{paper}",
    "/api/v1/papers/{paper}/ratings",
    "/api/v1/papers/lookup?url=https://arxiv.org/abs/1706.03762",
    "/api/v1/sources",
    "/api/v1/export?format=json",
    "/api/v1/papers/facets",
]


@pytest.fixture
def sqlite_only(live: LiveDatabase) -> LiveDatabase:
    if not live.is_sqlite:
        pytest.skip("SQLite's single write lock")
    return live


@contextmanager
def another_writer(live: LiveDatabase) -> Iterator[sqlite3.Connection]:
    """Another process's write transaction, holding SQLite's write lock until the block ends."""
    path = live.settings.sqlite_path
    assert path is not None
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield other
        other.execute("ROLLBACK")
    finally:
        other.close()


def _lock_is_free(live: LiveDatabase) -> bool:
    try:
        with another_writer(live):
            return True
    except sqlite3.OperationalError:
        return False


def _member_with_token(live: LiveDatabase) -> tuple[str, int, int]:
    with transaction(live.factory) as session:
        user = make_user(session, role=Role.ADMIN)
        plain = make_token(session, user)
        paper = make_paper(session, unique("Read while written "), added_by=user).id
        token_id = session.scalars(select(ApiToken.id).where(ApiToken.user_id == user.id)).one()
    return plain, paper, token_id


def test_token_reads_succeed_while_another_writer_holds_the_lock(sqlite_only: LiveDatabase) -> None:
    plain, paper, token_id = _member_with_token(sqlite_only)
    headers = {"Authorization": f"Bearer {plain}"}
    with TestClient(create_app(sqlite_only.settings), raise_server_exceptions=False) as client:
        with another_writer(sqlite_only):
            codes = {
                path: client.get(path.format(paper=paper), headers=headers).status_code
                for path in TOKEN_READS
            }
        assert codes == dict.fromkeys(TOKEN_READS, 200)
        with transaction(sqlite_only.factory, writes=False) as session:
            assert session.get(ApiToken, token_id).last_used_at is None  # type: ignore[union-attr]
        # Once the lock is free, the next read records the use.
        assert client.get("/api/v1/meta", headers=headers).status_code == 200
    with transaction(sqlite_only.factory, writes=False) as session:
        assert session.get(ApiToken, token_id).last_used_at is not None  # type: ignore[union-attr]


def test_session_pages_succeed_while_another_writer_holds_the_lock(sqlite_only: LiveDatabase) -> None:
    with transaction(sqlite_only.factory) as session:
        name = make_user(session).username
    with TestClient(create_app(sqlite_only.settings), raise_server_exceptions=False) as client:
        sign_in(client, name)
        with transaction(sqlite_only.factory) as session:
            session.execute(update(UserSession).values(last_seen_at=utcnow() - 2 * STAMP_INTERVAL))
        with another_writer(sqlite_only):
            assert client.get("/account").status_code == 200


def test_stamps_are_written_at_most_once_a_minute(live: LiveDatabase) -> None:
    plain, _, token_id = _member_with_token(live)
    headers = {"Authorization": f"Bearer {plain}"}

    def last_used() -> Any:
        with transaction(live.factory, writes=False) as session:
            return session.get(ApiToken, token_id).last_used_at  # type: ignore[union-attr]

    def set_last_used(ago: timedelta) -> None:
        with transaction(live.factory) as session:
            session.execute(
                update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=utcnow() - ago)
            )

    with TestClient(create_app(live.settings)) as client:
        client.get("/api/v1/meta", headers=headers)
        first = last_used()
        assert first is not None
        client.get("/api/v1/meta", headers=headers)
        assert last_used() == first
        set_last_used(STAMP_INTERVAL / 2)
        recent = last_used()
        client.get("/api/v1/meta", headers=headers)
        assert last_used() == recent
        set_last_used(STAMP_INTERVAL + timedelta(seconds=1))
        stale = last_used()
        client.get("/api/v1/meta", headers=headers)
        assert last_used() > stale


def test_a_writing_transaction_takes_the_lock_at_its_first_statement(sqlite_only: LiveDatabase) -> None:
    with transaction(sqlite_only.factory) as session:
        assert _lock_is_free(sqlite_only)
        session.execute(select(ApiToken.id).limit(1))
        assert not _lock_is_free(sqlite_only)


def _record_lock_state(
    live: LiveDatabase, seen: list[bool], original: Callable[..., Any]
) -> Callable[..., Any]:
    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(_lock_is_free(live))
        return original(*args, **kwargs)

    return watched


def test_sign_in_checks_the_password_without_the_write_lock(
    sqlite_only: LiveDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    with transaction(sqlite_only.factory) as session:
        name = make_user(session).username
    seen: list[bool] = []
    monkeypatch.setattr(accounts, "verify_password", _record_lock_state(sqlite_only, seen, verify_password))
    monkeypatch.setattr(accounts, "hash_password", _record_lock_state(sqlite_only, seen, hash_password))
    with TestClient(create_app(sqlite_only.settings)) as client:
        assert (
            submit(client, "/login", {"username": name, "password": "wrong-horse-battery"}).status_code == 400
        )
        sign_in(client, name)
        registered = submit(
            client,
            "/register",
            {
                "username": unique("newcomer"),
                "password": "a-long-passphrase",
                "password_confirm": "a-long-passphrase",
            },
        )
        assert registered.status_code == 303
    assert len(seen) == 3
    assert all(seen)


def test_an_import_parses_without_the_write_lock(
    sqlite_only: LiveDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, _, _ = _member_with_token(sqlite_only)
    seen: list[bool] = []
    monkeypatch.setattr(importing, "parse_markdown", _record_lock_state(sqlite_only, seen, parse_markdown))
    markdown = (
        b"# Reading list\n\n- [Attention Is All You Need](https://arxiv.org/abs/1706.03762) - transformers\n"
    )
    with TestClient(create_app(sqlite_only.settings)) as client:
        response = client.post(
            "/api/v1/imports",
            headers={"Authorization": f"Bearer {plain}"},
            data={"name": unique("lock-list-")},
            files={"file": ("README.md", markdown, "text/markdown")},
        )
    assert response.status_code in (200, 201), response.text
    assert seen == [True]


def test_a_lock_that_cannot_be_had_in_time_is_a_503(sqlite_only: LiveDatabase) -> None:
    plain, paper, _ = _member_with_token(sqlite_only)
    with transaction(sqlite_only.factory) as session:
        name = make_user(session).username
    app = create_app(sqlite_only.settings)
    with TestClient(app, raise_server_exceptions=False) as client, another_writer(sqlite_only):
        response = client.patch(
            f"/api/v1/papers/{paper}", headers={"Authorization": f"Bearer {plain}"}, json={"year": 2020}
        )
        page = submit(client, "/login", {"username": name, "password": "correct-horse"})
    assert response.status_code == 503, response.text
    assert response.json()["code"] == "unavailable"
    assert int(response.headers["retry-after"]) >= 1
    assert page.status_code == 503
    assert page.headers["content-type"].startswith("text/html")
    assert "retry-after" in page.headers
