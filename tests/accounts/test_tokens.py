"""API tokens: created on /account (shown once), stored hashed, used as Bearer, revoked on the page or CLI."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.accounts.models import ApiToken, Role, User
from app.accounts.service import sha256_hex
from app.cli import app as cli
from app.config import get_settings
from app.db import utcnow
from tests.factories import make_token, make_user
from tests.web.browsing import form_token, sign_in, submit

TOKEN = re.compile(r"pa_[A-Za-z0-9_-]{40,}")


def test_a_new_token_is_shown_once_and_stored_hashed(client: TestClient, db: Session) -> None:
    make_user(db, "ada")
    sign_in(client, "ada")
    created = submit(client, "/account/tokens", {"name": "laptop script"}, page="/account")
    assert created.status_code == 201
    assert created.headers["cache-control"] == "no-store"
    plain = TOKEN.search(created.text)
    assert plain is not None
    stored = db.scalars(select(ApiToken)).one()
    assert stored.token_hash == sha256_hex(plain.group(0))
    assert plain.group(0) not in stored.token_hash + stored.prefix + stored.name
    again = client.get("/account")
    assert TOKEN.search(again.text) is None  # never shown again, only its prefix
    assert stored.prefix in again.text
    assert "laptop script" in again.text


def test_bearer_token_carries_the_role_and_records_use(client: TestClient, db: Session) -> None:
    editor = make_user(db, "eve", role=Role.EDITOR)
    plain = make_token(db, editor)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    assert me.status_code == 200
    assert me.json()["username"] == "eve"
    assert me.json()["role"] == "editor"
    assert db.scalars(select(ApiToken)).one().last_used_at is not None


def test_a_tokens_use_is_stamped_at_most_once_a_minute(client: TestClient, db: Session) -> None:
    plain = make_token(db, make_user(db, "rita"))
    headers = {"Authorization": f"Bearer {plain}"}
    token = db.scalars(select(ApiToken).where(ApiToken.prefix == plain[:10])).one()
    recently = utcnow() - timedelta(seconds=30)
    token.last_used_at = recently
    db.commit()
    assert client.get("/api/v1/papers", headers=headers).status_code == 200
    db.refresh(token)
    assert token.last_used_at == recently  # a read half a minute later writes nothing
    token.last_used_at = utcnow() - timedelta(minutes=10)
    db.commit()
    assert client.get("/api/v1/papers", headers=headers).status_code == 200
    db.refresh(token)
    assert token.last_used_at is not None
    assert token.last_used_at > recently


@pytest.mark.parametrize(
    "header", ["Bearer pa_unknown", "Bearer not-even-ours", "Bearer " + "pa_" + "x" * 200]
)
def test_bad_tokens_are_401_not_anonymous(client: TestClient, header: str) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_anonymous_me_is_401(client: TestClient) -> None:
    assert client.get("/api/v1/me").status_code == 401


def test_revoking_from_the_account_page(client: TestClient, db: Session) -> None:
    ada = make_user(db, "ada")
    plain = make_token(db, ada, "old")
    token_id = db.scalars(select(ApiToken.id)).one()
    sign_in(client, "ada")
    response = submit(client, f"/account/tokens/{token_id}/revoke", {}, page="/account")
    assert response.status_code == 303
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 401
    assert "revoked" in client.get("/account").text


def test_another_members_token_answers_404(client: TestClient, db: Session) -> None:
    make_user(db, "ada")
    grace = make_user(db, "grace")
    plain = make_token(db, grace, "grace's")
    token_id = db.scalars(select(ApiToken.id)).one()
    sign_in(client, "ada")
    response = submit(client, f"/account/tokens/{token_id}/revoke", {}, page="/account")
    assert response.status_code == 404
    assert "grace" not in response.text
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 200
    assert "grace&#39;s" not in client.get("/account").text


def test_token_names_are_validated(client: TestClient, db: Session) -> None:
    make_user(db, "ada")
    sign_in(client, "ada")
    token = form_token(client, "/account")
    response = client.post("/account/tokens", data={"csrf_token": token, "name": "x" * 81})
    assert response.status_code == 422
    assert "Too long" in response.text
    assert db.scalars(select(ApiToken)).all() == []


runner = CliRunner()


@pytest.fixture
def cli_database(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("FAST_PASSWORD_HASHING", "true")
    get_settings.cache_clear()
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    yield url
    get_settings.cache_clear()


def test_cli_tokens_roles_and_disabling(cli_database: str) -> None:
    created = runner.invoke(cli, ["user", "create", "ada", "--password-stdin"], input="a long pass phrase\n")
    assert created.exit_code == 0, created.output
    plain = runner.invoke(cli, ["token", "create", "ada", "--label", "ci"]).stdout.strip().splitlines()[-1]

    listed = runner.invoke(cli, ["token", "list", "ada"])
    assert listed.exit_code == 0
    assert "ci" in listed.stdout
    assert "active" in listed.stdout
    assert plain not in listed.stdout
    token_id = listed.stdout.split("\t")[0]

    assert runner.invoke(cli, ["user", "set-role", "ada", "editor"]).exit_code == 0
    assert runner.invoke(cli, ["user", "set-role", "ada", "emperor"]).exit_code != 0
    assert runner.invoke(cli, ["token", "revoke", token_id]).exit_code == 0
    assert "revoked" in runner.invoke(cli, ["token", "list", "ada"]).stdout
    assert runner.invoke(cli, ["token", "revoke", "9999"]).exit_code == 1
    assert runner.invoke(cli, ["user", "disable", "ada"]).exit_code == 0
    assert runner.invoke(cli, ["user", "disable", "nobody"]).exit_code == 1
    assert (
        runner.invoke(cli, ["user", "create", "weak", "--password-stdin"], input="password1\n").exit_code == 1
    )

    engine = create_engine(cli_database)
    with Session(engine) as session:
        ada = session.scalars(select(User).where(User.username == "ada")).one()
        assert ada.role == "editor"
        assert not ada.is_active
        assert session.scalars(select(ApiToken)).one().revoked_at is not None
    engine.dispose()
