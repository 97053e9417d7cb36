"""POST /api/v1/imports, the sources endpoints, the admins' upload page and `papers import`."""
# ruff: noqa: E501 - list fixtures are markdown lines as people write them

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.accounts.models import Role
from app.catalog.models import Paper
from app.cli import app as cli
from app.config import get_settings
from app.importing.models import Source
from tests.factories import make_token, make_user

LIST = """# Awesome Long Context

## Position interpolation
- [Extending Context Window of Large Language Models via Positional Interpolation](https://arxiv.org/abs/2306.15595) - PI.
- [YaRN: Efficient Context Window Extension of Large Language Models](https://arxiv.org/abs/2309.00071) - YaRN.
"""


def bearer(db: Session, role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(db, make_user(db, role=role))}"}


def test_admins_import_a_file(client: TestClient, db: Session) -> None:
    response = client.post(
        "/api/v1/imports",
        headers=bearer(db, Role.ADMIN),
        data={"name": "long-context", "origin": "https://example.org/awesome-long-context"},
        files={"file": ("README.md", LIST.encode(), "text/markdown")},
    )
    assert response.status_code == 201, response.text
    report = response.json()
    assert (report["status"], report["entries"], report["papers_created"]) == ("created", 2, 2)
    assert db.scalar(select(Paper.id).where(Paper.arxiv_id == "2309.00071")) is not None

    listed = client.get("/api/v1/sources").json()
    assert [source["name"] for source in listed] == ["long-context"]
    outline = client.get("/api/v1/sources/long-context").json()
    assert outline["title"] == "Awesome Long Context"
    assert outline["sections"][0]["path"] == ["Position interpolation"]
    assert [entry["position"] for entry in outline["sections"][0]["entries"]] == [1, 2]


def test_admins_import_pasted_markdown(client: TestClient, db: Session) -> None:
    response = client.post(
        "/api/v1/imports", headers=bearer(db, Role.ADMIN), data={"name": "pasted", "markdown": LIST}
    )
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(("role", "status"), [(None, 401), (Role.MEMBER, 403), (Role.EDITOR, 403)])
def test_only_admins_import(client: TestClient, db: Session, role: Role | None, status: int) -> None:
    headers = bearer(db, role) if role else {}
    response = client.post("/api/v1/imports", headers=headers, data={"name": "x", "markdown": LIST})
    assert response.status_code == status
    assert response.json()["code"] in {"unauthorized", "forbidden"}
    assert db.scalar(select(Paper.id).where(Paper.arxiv_id == "2306.15595")) is None


@pytest.mark.parametrize(
    ("data", "files", "code", "status"),
    [
        ({"name": "Bad Name", "markdown": LIST}, None, "invalid_input", 422),
        ({"name": "prose", "markdown": "# Hello\n\nNo papers here.\n"}, None, "invalid_input", 422),
        ({"name": "both", "markdown": LIST}, {"file": ("a.md", b"x", "text/markdown")}, "invalid_input", 422),
        ({"name": "neither"}, None, "invalid_input", 422),
        ({"name": "binary"}, {"file": ("a.png", b"\x89PNG\x00\x00", "image/png")}, "invalid_input", 422),
    ],
)
def test_bad_imports_get_clear_errors(
    client: TestClient,
    db: Session,
    data: dict[str, str],
    files: dict[str, tuple[str, bytes, str]] | None,
    code: str,
    status: int,
) -> None:
    response = client.post("/api/v1/imports", headers=bearer(db, Role.ADMIN), data=data, files=files)
    assert response.status_code == status, response.text
    assert response.json()["code"] == code


def test_too_large_is_413(app: FastAPI, client: TestClient, db: Session) -> None:
    limit = app.state.settings.max_import_bytes
    response = client.post(
        "/api/v1/imports",
        headers=bearer(db, Role.ADMIN),
        data={"name": "huge"},
        files={"file": ("huge.md", b"a" * (limit + 10), "text/markdown")},
    )
    assert response.status_code == 413
    assert response.json()["limit"] == limit


def test_unknown_source_is_404(client: TestClient) -> None:
    response = client.get("/api/v1/sources/nope")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def _login(client: TestClient, db: Session, role: Role) -> None:
    user = make_user(db, role=role, password="correct horse battery")
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    response = client.post(
        "/login",
        data={"username": user.username, "password": "correct horse battery", "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def _csrf(client: TestClient, path: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert token is not None
    return token.group(1)


def test_the_upload_page_imports_and_shows_the_report(client: TestClient, db: Session) -> None:
    _login(client, db, Role.ADMIN)
    token = _csrf(client, "/import")
    response = client.post(
        "/import",
        data={"name": "long-context", "csrf_token": token},
        files={"file": ("README.md", LIST.encode(), "text/markdown")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    report_page = client.get(response.headers["location"])
    assert report_page.status_code == 200
    assert "Awesome Long Context" in report_page.text
    assert "New papers" in report_page.text


def test_the_upload_page_keeps_values_and_shows_field_errors(client: TestClient, db: Session) -> None:
    _login(client, db, Role.ADMIN)
    token = _csrf(client, "/import")
    response = client.post(
        "/import", data={"name": "keep-me", "markdown": "no list here", "csrf_token": token}
    )
    assert response.status_code == 422
    assert 'value="keep-me"' in response.text
    assert "No entries found" in response.text or "No paper entries" in response.text


def test_members_cannot_open_the_upload_page(client: TestClient, db: Session) -> None:
    _login(client, db, Role.MEMBER)
    assert client.get("/import").status_code == 403


def test_anonymous_visitors_are_sent_to_login(client: TestClient) -> None:
    response = client.get("/import", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_the_cli_imports_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
        path = tmp_path / "awesome-long-context.md"
        path.write_text(LIST, encoding="utf-8")
        result = runner.invoke(cli, ["import", str(path)])
        assert result.exit_code == 0, result.output
        engine = create_engine(f"sqlite:///{tmp_path / 'cli.db'}")
        with engine.connect() as connection:
            names = connection.execute(select(Source.name, Source.entry_count)).all()
        engine.dispose()
        assert names == [("awesome-long-context", 2)]
        assert runner.invoke(cli, ["import", str(path)]).exit_code == 0
        broken = tmp_path / "broken.md"
        broken.write_bytes(b"\x00\x01binary")
        failed = runner.invoke(cli, ["import", str(broken), "--source", "broken"])
        assert failed.exit_code == 1
        assert "not a text file" in failed.output
    finally:
        get_settings.cache_clear()


def test_the_report_page_counts_resources_and_shows_weak_evidence(client: TestClient, db: Session) -> None:
    _login(client, db, Role.ADMIN)
    token = _csrf(client, "/import")
    markdown = LIST + "\n## Tools\n- [vLLM](https://github.com/vllm-project/vllm) - serving\n"
    markdown += (
        "\n## Miscellaneous\n- [Major LLMs + Data Availability](https://docs.google.com/spreadsheets/d/1)\n"
    )
    response = client.post(
        "/import",
        data={"name": "long-context", "csrf_token": token, "markdown": markdown},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"]).text
    assert "2 entries are not papers" in page
    assert "<strong>1</strong> software" in page
    assert "Decided on weak evidence" in page
    assert "Line 11" in page
