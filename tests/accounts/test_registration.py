"""Registration: open or closed by setting, password rules (length, no truncation, common ones refused)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts import service
from app.accounts.common_passwords import common_passwords, is_common_password
from app.accounts.models import User
from app.accounts.passwords import verify_password
from app.config import Settings
from app.errors import Conflict, Forbidden, InvalidInput
from tests.factories import make_user
from tests.web.browsing import client_with, submit


def _register(client: TestClient, username: str, password: str, confirm: str | None = None):
    data = {
        "username": username,
        "password": password,
        "password_confirm": password if confirm is None else confirm,
    }
    return submit(client, "/register", data)


def test_registration_signs_the_new_member_in(client: TestClient, db: Session) -> None:
    response = _register(client, "grace", "a long pass phrase")
    assert response.status_code == 303
    assert response.headers["location"] == "/account"
    user = db.scalars(select(User).where(User.username == "grace")).one()
    assert user.role == "member"
    assert user.password_hash.startswith("$argon2id$")
    assert "a long pass phrase" not in user.password_hash
    page = client.get("/account")
    assert page.status_code == 200
    assert "grace" in page.text
    assert "your account is ready" in page.text


def test_closed_registration_refuses_the_page_and_the_post(settings: Settings, db: Session) -> None:
    with client_with(settings, db, registration_open=False) as client:
        page = client.get("/register")
        assert page.status_code == 403
        assert "Sign-up is closed" in page.text
        token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
        data = {"csrf_token": token, "username": "grace", "password": "a long pass phrase"}
        response = client.post("/register", data={**data, "password_confirm": data["password"]})
        assert response.status_code == 403
    assert db.scalars(select(User)).all() == []
    with pytest.raises(Forbidden):
        service.register(db, "grace", "a long pass phrase", registration_open=False)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "At least 8 characters"),
        ("password1", "Too common"),
        ("Sunshine", "Too common"),
        ("  iloveyou  ", "Too common"),
        ("grace-hopper", "Not your username"),
    ],
)
def test_weak_passwords_are_refused_with_the_values_kept(
    client: TestClient, db: Session, password: str, message: str
) -> None:
    response = _register(client, "grace-hopper", password)
    assert response.status_code == 422
    assert message in response.text
    assert 'value="grace-hopper"' in response.text  # the username is kept
    assert not re.search(r'type="password"[^>]*value=', response.text)  # passwords are never echoed back
    assert 'aria-invalid="true"' in response.text
    assert db.scalars(select(User)).all() == []


def test_mismatched_confirmation(client: TestClient, db: Session) -> None:
    response = _register(client, "grace", "a long pass phrase", confirm="a long pass phrasE")
    assert response.status_code == 422
    assert "The two passwords differ" in response.text


def test_usernames_are_unique_ignoring_case(client: TestClient, db: Session) -> None:
    make_user(db, "Grace")
    response = _register(client, "grace", "a long pass phrase")
    assert response.status_code == 409
    assert "That username is taken" in response.text
    with pytest.raises(Conflict):
        service.create_user(db, "GRACE", "a long pass phrase", fast_hash=True)


@pytest.mark.parametrize("username", ["ab", "has space", "<script>", "名字名字", "a" * 41])
def test_usernames_outside_the_pattern_are_refused(db: Session, username: str) -> None:
    with pytest.raises(InvalidInput):
        service.create_user(db, username, "a long pass phrase", fast_hash=True)


def test_any_characters_and_no_truncation(db: Session) -> None:
    # bcrypt silently ignores bytes past 72; Argon2 does not, and the service must not cut either.
    prefix = "密码" * 40  # 80 characters, 240 bytes in UTF-8
    user = service.create_user(db, "unicode", prefix + "-tail-one", fast_hash=True)
    assert verify_password(prefix + "-tail-one", user.password_hash, fast=True)[0]
    assert not verify_password(prefix + "-tail-two", user.password_hash, fast=True)[0]
    assert service.authenticate(db, "unicode", prefix + "-tail-one", fast_hash=True) is not None
    assert service.authenticate(db, "unicode", prefix, fast_hash=True) is None
    spaced = service.create_user(db, "spaces", "  leading and trailing  ", fast_hash=True)
    assert service.authenticate(db, "spaces", "leading and trailing", fast_hash=True) is None
    assert service.authenticate(db, "spaces", "  leading and trailing  ", fast_hash=True) == spaced


def test_length_limits_are_in_characters(db: Session) -> None:
    service.validate_new_password("€" * 8)  # 8 characters, 24 bytes
    with pytest.raises(InvalidInput):
        service.validate_new_password("€" * 7)
    with pytest.raises(InvalidInput):
        service.validate_new_password("x" * (service.MAX_PASSWORD_LENGTH + 1))


def test_the_common_password_list() -> None:
    passwords = common_passwords()
    assert len(passwords) >= 10_000
    assert {"password", "12345678", "qwertyuiop", "iloveyou"} <= passwords
    assert is_common_password("PASSWORD")
    assert is_common_password(" password ")
    assert not is_common_password("correct-horse")
