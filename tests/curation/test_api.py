"""The merge routes over HTTP: editors only, every domain's rows kept, input checked."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Role, User
from app.catalog.models import Paper
from app.importing.models import SourceEntry
from tests.factories import (
    make_category,
    make_paper,
    make_rating,
    make_source,
    make_source_entry,
    make_token,
    make_user,
)


def _headers(db: Session, role: Role = Role.EDITOR) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(db, make_user(db, role=role))}"}


def _auth(db: Session, user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(db, user)}"}


def _as(db: Session, role: Role = Role.MEMBER) -> tuple[User, dict[str, str]]:
    user = make_user(db, role=role)
    return user, _auth(db, user)


def test_editors_merge_duplicates(client: TestClient, db: Session) -> None:
    _editor, headers = _as(db, Role.EDITOR)
    _member, member_headers = _as(db)
    kept = make_paper(db, "LoRA", tags=["lora"], year=None)
    duplicate = make_paper(
        db,
        "LoRA: Low-Rank Adaptation",
        tags=["peft"],
        year=2021,
        code_url="https://github.com/microsoft/LoRA",
    )
    make_rating(db, duplicate, make_user(db), score=5)
    db.commit()  # an error response rolls the request's work back; the setup must survive it
    payload = {"duplicate_id": duplicate.id}
    assert (
        client.post(f"/api/v1/papers/{kept.id}/merge", json=payload, headers=member_headers).status_code
        == 403
    )
    response = client.post(f"/api/v1/papers/{kept.id}/merge", json=payload, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["year"], body["code_url"]) == (2021, "https://github.com/microsoft/LoRA")
    assert sorted(t["slug"] for t in body["tags"]) == ["lora", "peft"]
    assert (body["rating_count"], body["rating_avg"]) == (1, 5.0)
    assert db.get(Paper, duplicate.id) is None


def test_merging_moves_the_duplicates_list_entries(client: TestClient, db: Session) -> None:
    _editor, headers = _as(db, Role.EDITOR)
    kept, duplicate = make_paper(db), make_paper(db)
    entry = make_source_entry(db, make_source(db), duplicate, note="必读")
    response = client.post(
        f"/api/v1/papers/{kept.id}/merge", json={"duplicate_id": duplicate.id}, headers=headers
    )
    assert response.status_code == 200
    assert db.scalar(select(SourceEntry.paper_id).where(SourceEntry.id == entry.id)) == kept.id


def test_merge_input_is_checked(client: TestClient, db: Session) -> None:
    _editor, headers = _as(db, Role.EDITOR)
    paper = make_paper(db)
    db.commit()  # an error response rolls the request's work back; the setup must survive it
    self_merge = client.post(
        f"/api/v1/papers/{paper.id}/merge", json={"duplicate_id": paper.id}, headers=headers
    )
    assert self_merge.status_code == 422
    missing = client.post(
        f"/api/v1/papers/{paper.id}/merge", json={"duplicate_id": 2_000_000_000}, headers=headers
    )
    assert missing.status_code == 404
    extra = client.post(f"/api/v1/papers/{paper.id}/merge", json={"duplicate_id": 1, "x": 1}, headers=headers)
    assert extra.status_code == 422


def test_merge_categories_over_http(client: TestClient, db: Session) -> None:
    kept, duplicate = make_category(db), make_category(db)
    make_paper(db, categories=[duplicate])
    member = _headers(db, Role.MEMBER)
    editor = _headers(db)
    db.commit()  # an error response rolls the request's work back; the setup must survive it
    url = f"/api/v1/categories/{kept.slug}/merge"
    assert client.post(url, json={"duplicate": duplicate.slug}, headers=member).status_code == 403
    assert client.post(url, json={"duplicate": kept.slug}, headers=editor).status_code == 422
    response = client.post(url, json={"duplicate": duplicate.slug}, headers=editor)
    assert response.status_code == 200
    assert response.json()["paper_count"] == 1
