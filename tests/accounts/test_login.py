"""Sign-in: one answer for every failure, brute force throttled (429, Retry-After), logged without secrets."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.accounts import service
from app.accounts.passwords import password_hasher
from app.accounts.sessions import SESSION_COOKIE
from app.config import Settings
from tests.factories import make_user
from tests.web.browsing import client_with, form_token, sign_in


def _attempt(client: TestClient, username: str, password: str):
    token = form_token(client, "/login")
    return client.post(
        "/login",
        data={"csrf_token": token, "username": username, "password": password},
        follow_redirects=False,
    )


def test_unknown_user_and_wrong_password_get_the_same_answer(client: TestClient, db: Session) -> None:
    make_user(db, "ada")
    unknown = _attempt(client, "nobody", "correct-horse")
    wrong = _attempt(client, "ada", "wrong-password")
    assert unknown.status_code == wrong.status_code == 400
    assert "Wrong username or password." in unknown.text
    assert "Wrong username or password." in wrong.text

    def strip(text: str) -> str:
        return text.replace("nobody", "ada")  # the kept username is the only difference

    assert len(strip(unknown.text)) - len(strip(wrong.text)) in range(
        -300, 300
    )  # same page apart from the token
    assert SESSION_COOKIE not in unknown.cookies
    assert SESSION_COOKIE not in wrong.cookies


def test_unknown_users_cost_a_password_hash_too(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """The time an answer takes must not reveal whether a username exists: both paths verify one hash."""
    make_user(db, "ada")
    hasher = password_hasher(fast=True)
    verified: list[str] = []
    original_verify, original_update = hasher.verify, hasher.verify_and_update

    def counting_verify(password: str, hash: str) -> bool:
        verified.append("verify")
        return original_verify(password, hash)

    def counting_update(password: str, hash: str) -> tuple[bool, str | None]:
        verified.append("verify")
        return original_update(password, hash)

    monkeypatch.setattr(hasher, "verify", counting_verify)
    monkeypatch.setattr(hasher, "verify_and_update", counting_update)
    assert service.authenticate(db, "nobody", "whatever-password", fast_hash=True) is None
    assert verified == ["verify"]
    assert service.authenticate(db, "ada", "whatever-password", fast_hash=True) is None
    assert verified == ["verify", "verify"]


def test_brute_force_is_throttled_with_retry_after(settings: Settings, db: Session) -> None:
    make_user(db, "ada")
    with client_with(settings, db, login_attempts_per_account=3, login_window_seconds=600) as client:
        for attempt in range(3):
            assert _attempt(client, "ada", f"guess-{attempt}").status_code == 400
        throttled = _attempt(client, "ada", "guess-4")
        assert throttled.status_code == 429
        assert 1 <= int(throttled.headers["Retry-After"]) <= 600
        assert "Too many login attempts" in throttled.text
        # While throttled, even the right password is not checked, so guessing on gains nothing.
        assert _attempt(client, "ada", "correct-horse").status_code == 429
        # Another account from the same address is counted separately.
        make_user(db, "grace")
        db.commit()
        assert _attempt(client, "grace", "correct-horse").status_code == 303


def test_unknown_names_are_throttled_like_real_ones(settings: Settings, db: Session) -> None:
    with client_with(settings, db, login_attempts_per_account=2) as client:
        assert [_attempt(client, "nobody", "x-password").status_code for _ in range(3)] == [400, 400, 429]


def test_many_accounts_from_one_address_are_throttled(settings: Settings, db: Session) -> None:
    with client_with(settings, db, login_attempts_per_address=4) as client:
        codes = [_attempt(client, f"user{n}", "some-password").status_code for n in range(6)]
    assert codes == [400, 400, 400, 400, 429, 429]


def test_success_clears_the_account_counter(settings: Settings, db: Session) -> None:
    make_user(db, "ada")
    with client_with(settings, db, login_attempts_per_account=3) as client:
        assert _attempt(client, "ada", "guess-1").status_code == 400
        assert _attempt(client, "ada", "guess-2").status_code == 400
        assert _attempt(client, "ada", "correct-horse").status_code == 303
        assert _attempt(client, "ada", "guess-3").status_code == 400
        assert _attempt(client, "ada", "guess-4").status_code == 400


def test_registration_is_throttled_per_address(settings: Settings, db: Session) -> None:
    with client_with(settings, db, registrations_per_address=2) as client:
        codes = []
        for n in range(3):
            client.cookies.delete(SESSION_COOKIE)
            token = form_token(client, "/register")
            data = {
                "username": f"new{n}",
                "password": "a long pass phrase",
                "password_confirm": "a long pass phrase",
            }
            codes.append(client.post("/register", data={"csrf_token": token, **data}, follow_redirects=False))
        assert [response.status_code for response in codes] == [303, 303, 429]
        assert "Retry-After" in codes[-1].headers


def test_sign_in_events_are_logged_without_secrets(
    client: TestClient, db: Session, caplog: pytest.LogCaptureFixture
) -> None:
    make_user(db, "ada")
    with caplog.at_level(logging.INFO, logger="paper_atlas"):
        _attempt(client, "ada", "wrong-secret-1")
        _attempt(client, "my-password-typed-here!", "wrong-secret-2")
        response = sign_in(client, "ada")
        session_id = response.cookies[SESSION_COOKIE]
        client.post("/account/tokens", data={"csrf_token": "forged", "name": "x"})
    messages = [record.getMessage() for record in caplog.records if record.name.startswith("paper_atlas")]
    text = "\n".join(messages)
    assert "failed sign-in for ada" in text
    assert "failed sign-in for <not a username>" in text
    assert "signed in: ada" in text
    assert "refused a cross-site or token-less POST /account/tokens" in text
    assert "permission denied" in text
    for secret in (
        "wrong-secret-1",
        "wrong-secret-2",
        "correct-horse",
        "my-password-typed-here!",
        session_id,
    ):
        assert secret not in text


def test_password_change_attempts_are_throttled(settings: Settings, db: Session) -> None:
    make_user(db, "ada")
    with client_with(settings, db, login_attempts_per_account=2) as client:
        sign_in(client, "ada")
        wrong = {
            "current_password": "a-guess",
            "new_password": "a new phrase!",
            "new_password_confirm": "a new phrase!",
        }
        codes = []
        for _ in range(3):
            token = form_token(client, "/account/password")
            response = client.post("/account/password", data={"csrf_token": token, **wrong})
            codes.append(response.status_code)
        assert codes == [422, 422, 429]
        assert "Retry-After" in response.headers
