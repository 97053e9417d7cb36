"""The sliding window, and 429 + Retry-After on writes."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from sqlalchemy.orm import Session

from app.config import Settings
from app.web.ratelimit import DatabaseLimiter, Limit
from tests.databases import SessionSideTransactions
from tests.factories import make_paper, make_token, make_user
from tests.web.browsing import client_with, form_token, sign_in


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sliding_window(db: Session) -> None:
    clock = FakeClock()
    limiter = DatabaseLimiter(SessionSideTransactions(db), clock)
    limit = Limit(count=3, window_seconds=60)
    assert [limiter.hit("k", limit) for _ in range(3)] == [None, None, None]
    assert limiter.hit("k", limit) == 60
    clock.now += 20
    assert limiter.hit("k", limit) == 40  # refused attempts are not counted, the window still ends at +60
    assert limiter.hit("other", limit) is None
    clock.now += 40
    assert limiter.hit("k", limit) is None  # the first three events left the window
    limiter.reset("k")
    assert [limiter.hit("k", limit) for _ in range(3)] == [None, None, None]


def test_every_app_process_counts_against_the_same_limit(settings: Settings, db: Session) -> None:
    """Two app instances (as two workers are) share the counters: the limit is not doubled."""
    make_user(db, "ada")
    db.commit()
    wrong = {"username": "ada", "password": "not-the-password"}
    limited: dict[str, Any] = {"login_attempts_per_account": 4}
    with client_with(settings, db, **limited) as first, client_with(settings, db, **limited) as second:
        codes = [
            (first if n % 2 == 0 else second).post("/login", data={**wrong, "csrf_token": token}).status_code
            for n, token in enumerate(
                [form_token(c, "/login") for c in (first, second, first, second, first)]
            )
        ]
    assert codes == [400, 400, 400, 400, 429]


def test_forwarded_addresses_are_believed_only_from_configured_proxies(
    settings: Settings, db: Session
) -> None:
    make_user(db, "ada")
    db.commit()
    wrong = {"username": "ada", "password": "not-the-password"}

    def attempts(**changes: Any) -> list[int]:
        with client_with(settings, db, login_attempts_per_account=2, **changes) as client:
            token = form_token(client, "/login")
            return [
                client.post(
                    "/login",
                    data={**wrong, "csrf_token": token},
                    headers={"X-Forwarded-For": f"203.0.113.{n}"},
                ).status_code
                for n in range(4)
            ]

    assert attempts() == [400, 400, 429, 429]  # the header is ignored: one client, one counter
    # From a trusted proxy each forwarded address is its own client.
    assert attempts(forwarded_allow_ips="testclient, 127.0.0.1") == [400, 400, 400, 400]


def test_writes_are_limited_per_user(settings: Settings, db: Session) -> None:
    make_user(db, "ada")
    with client_with(settings, db, writes_per_user=3) as client:
        sign_in(client, "ada")  # the sign-in itself is a write counted against the address
        token = form_token(client, "/account")
        codes = [
            client.post("/account/tokens", data={"csrf_token": token, "name": f"t{n}"}).status_code
            for n in range(4)
        ]
        assert codes == [201, 201, 201, 429]
        refused = client.post("/account/tokens", data={"csrf_token": token, "name": "again"})
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1


def test_limits_can_be_switched_off(settings: Settings, db: Session) -> None:
    make_user(db, "ada")
    with client_with(settings, db, writes_per_user=1, rate_limits_enabled=False) as client:
        sign_in(client, "ada")
        token = form_token(client, "/account")
        codes = {
            client.post("/account/tokens", data={"csrf_token": token, "name": f"t{n}"}).status_code
            for n in range(3)
        }
        assert codes == {201}


def test_ratings_have_their_own_tighter_limit(settings: Settings, db: Session) -> None:
    user = make_user(db, "ada")
    token = make_token(db, user)
    papers = [make_paper(db) for _ in range(3)]
    db.commit()
    with client_with(settings, db, ratings_per_user=2, writes_per_user=100) as client:
        routes = {route.path_format for route in iter_route_contexts(client.app.routes)}  # type: ignore[attr-defined]
        if "/api/v1/papers/{paper_id}/rating" not in routes:
            pytest.skip("PUT /api/v1/papers/{paper_id}/rating does not exist yet")
        auth = {"Authorization": f"Bearer {token}"}
        codes = [
            client.put(f"/api/v1/papers/{paper.id}/rating", json={"score": 4}, headers=auth).status_code
            for paper in papers
        ]
    assert codes == [200, 200, 429]
