"""The sliding window, and 429 + Retry-After on writes."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.config import Settings
from app.web.ratelimit import Limit, SlidingWindowLimiter
from tests.factories import make_user
from tests.web.browsing import client_with, form_token, sign_in


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sliding_window() -> None:
    clock = FakeClock()
    limiter = SlidingWindowLimiter(clock)
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
