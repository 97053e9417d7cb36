"""Sessions: a random id in an HttpOnly cookie, new at each login, ended by logout, timeouts and disabling."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts import service
from app.accounts.activity import STAMP_INTERVAL
from app.accounts.models import Role, User, UserSession
from app.accounts.sessions import SESSION_COOKIE
from app.config import Settings
from app.db import utcnow
from tests.factories import make_token, make_user
from tests.web.browsing import client_with, form_token, sign_in, submit


def _me(client: TestClient) -> str | None:
    """The username the session cookie signs in, or None."""
    response = client.get("/api/v1/me")
    return response.json()["username"] if response.status_code == 200 else None


def test_the_cookie_holds_only_a_random_id(client: TestClient, db: Session) -> None:
    user = make_user(db, "ada")
    response = sign_in(client, "ada")
    cookie = response.cookies[SESSION_COOKIE]
    assert len(cookie) >= 40
    assert "ada" not in cookie
    assert str(user.id) != cookie
    record = db.scalars(select(UserSession)).one()
    assert record.id_hash != cookie  # the database keeps only a hash of it
    header = response.headers["set-cookie"]
    assert "HttpOnly" in header
    assert "SameSite=lax" in header
    assert "Path=/" in header
    assert "Secure" not in header  # plain http in tests; see the https test below


def test_over_https_the_cookie_is_secure_and_host_only(settings: Settings, db: Session) -> None:
    make_user(db, "ada")
    with client_with(settings, db, base_url="https://testserver") as client:
        response = sign_in(client, "ada")
        headers = response.headers.get_list("set-cookie")
        session_header = next(h for h in headers if h.startswith(f"__Host-{SESSION_COOKIE}="))
        assert "Secure" in session_header
        assert "HttpOnly" in session_header
        assert "Path=/" in session_header
        assert "Domain" not in session_header
        assert _me(client) == "ada"


def test_login_issues_a_new_session_id_session_fixation(client: TestClient, db: Session) -> None:
    make_user(db, "ada")
    make_user(db, "mallory")
    # The attacker signs in, and plants their own session id in the victim's browser.
    sign_in(client, "mallory")
    planted = client.cookies[SESSION_COOKIE]
    sign_in(client, "ada")  # the victim signs in on that browser
    fresh = client.cookies[SESSION_COOKIE]
    assert fresh != planted
    assert _me(client) == "ada"
    with TestClient(client.app) as attacker:
        attacker.cookies.set(SESSION_COOKIE, planted)
        assert _me(attacker) is None  # the planted id was ended, it never becomes the victim's session


def test_an_unknown_planted_id_is_never_adopted(client: TestClient, db: Session) -> None:
    make_user(db, "ada")
    client.cookies.set(SESSION_COOKIE, "attacker-chosen-session-id-0000000000000000")
    issued = sign_in(client, "ada").cookies[SESSION_COOKIE]
    assert issued != "attacker-chosen-session-id-0000000000000000"
    with TestClient(client.app) as attacker:
        attacker.cookies.set(SESSION_COOKIE, "attacker-chosen-session-id-0000000000000000")
        assert _me(attacker) is None


def test_logout_ends_the_session_server_side(client: TestClient, db: Session) -> None:
    make_user(db, "ada")
    sign_in(client, "ada")
    stolen = client.cookies[SESSION_COOKIE]
    response = submit(client, "/logout", {}, page="/account")
    assert response.status_code == 303
    assert f'{SESSION_COOKIE}=""' in response.headers["set-cookie"]
    assert db.scalars(select(UserSession)).all() == []
    with TestClient(client.app) as replay:
        replay.cookies.set(SESSION_COOKIE, stolen)
        assert _me(replay) is None
        assert replay.get("/account", follow_redirects=False).status_code == 303


def test_idle_and_absolute_timeouts(client: TestClient, db: Session, settings: Settings) -> None:
    make_user(db, "ada")
    sign_in(client, "ada")
    record = db.scalars(select(UserSession)).one()
    record.last_seen_at = utcnow() - timedelta(minutes=settings.session_idle_minutes, seconds=1)
    db.commit()  # a request that fails rolls back to the last commit, so settle the setup first
    assert _me(client) is None

    sign_in(client, "ada")
    record = db.scalars(select(UserSession)).one()
    record.expires_at = utcnow() - timedelta(
        seconds=1
    )  # still active a second ago, past its absolute end now
    db.commit()
    assert _me(client) is None


def test_activity_keeps_an_idle_session_alive(client: TestClient, db: Session) -> None:
    make_user(db, "ada")
    sign_in(client, "ada")
    record = db.scalars(select(UserSession)).one()
    earlier = utcnow() - STAMP_INTERVAL - timedelta(seconds=5)
    record.last_seen_at = earlier
    db.commit()
    assert _me(client) == "ada"
    db.refresh(record)
    assert record.last_seen_at > earlier


def test_disabling_a_user_ends_sessions_and_tokens_at_once(client: TestClient, db: Session) -> None:
    make_user(db, "ada")
    admin = make_user(db, "root", role=Role.ADMIN)
    ada = db.scalars(select(User).where(User.username == "ada")).one()
    token = make_token(db, ada)
    sign_in(client, "ada")
    assert _me(client) == "ada"
    service.set_active(db, admin, "ada", active=False)
    db.commit()
    assert _me(client) is None
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert db.scalars(select(UserSession).where(UserSession.user_id == ada.id)).all() == []
    with TestClient(client.app) as again:
        token_value = form_token(again, "/login")
        refused = again.post(
            "/login", data={"csrf_token": token_value, "username": "ada", "password": "correct-horse"}
        )
        assert refused.status_code == 400


def test_password_change_needs_the_current_password_and_ends_other_sessions(
    client: TestClient, db: Session
) -> None:
    make_user(db, "ada")
    sign_in(client, "ada")
    with TestClient(client.app) as other_browser:
        sign_in(other_browser, "ada")
        wrong = submit(
            client,
            "/account/password",
            {
                "current_password": "not-it-at-all",
                "new_password": "a brand new phrase",
                "new_password_confirm": "a brand new phrase",
            },
        )
        assert wrong.status_code == 422
        assert "Not your current password" in wrong.text
        changed = submit(
            client,
            "/account/password",
            {
                "current_password": "correct-horse",
                "new_password": "a brand new phrase",
                "new_password_confirm": "a brand new phrase",
            },
        )
        assert changed.status_code == 303
        assert _me(client) == "ada"  # this browser stays signed in
        assert _me(other_browser) is None  # every other session ended
    assert service.authenticate(db, "ada", "a brand new phrase", fast_hash=True) is not None
    assert service.authenticate(db, "ada", "correct-horse", fast_hash=True) is None


def test_role_change_ends_sessions_granted_under_the_old_role(client: TestClient, db: Session) -> None:
    make_user(db, "ada")
    sign_in(client, "ada")
    service.set_role(db, None, "ada", Role.EDITOR)
    db.commit()
    assert _me(client) is None


def test_admins_cannot_lock_themselves_out(db: Session) -> None:
    import pytest

    from app.errors import Forbidden

    admin = make_user(db, "root", role=Role.ADMIN)
    member = make_user(db, "ada")
    with pytest.raises(Forbidden):
        service.set_role(db, admin, "root", Role.MEMBER)
    with pytest.raises(Forbidden):
        service.set_active(db, admin, "root", active=False)
    with pytest.raises(Forbidden):
        service.set_role(db, member, "ada", Role.ADMIN)


def test_account_pages_send_anonymous_visitors_to_login(client: TestClient) -> None:
    for page in ("/account", "/account/password"):
        response = client.get(page, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"/login?next={page}"


def test_login_returns_to_next_but_only_locally(client: TestClient, db: Session) -> None:
    make_user(db, "ada")
    page = client.get("/login?next=/account/password")
    assert 'name="next" value="/account/password"' in page.text
    response = submit(
        client,
        "/login",
        {"username": "ada", "password": "correct-horse", "next": "/account/password"},
        page="/login",
    )
    assert response.headers["location"] == "/account/password"
    submit(client, "/logout", {}, page="/account")
    for evil in ("https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)"):
        response = submit(
            client, "/login", {"username": "ada", "password": "correct-horse", "next": evil}, page="/login"
        )
        assert response.headers["location"] == "/account", evil
        submit(client, "/logout", {}, page="/account")
