"""The papers' write routes over HTTP: tokens, permissions by role, conflicts, bad input, merging."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Role, User
from app.ratings.models import Rating
from tests.factories import (
    make_category,
    make_paper,
    make_rating,
    make_token,
    make_user,
)


def _auth(db: Session, user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(db, user)}"}


def _as(db: Session, role: Role = Role.MEMBER) -> tuple[User, dict[str, str]]:
    user = make_user(db, role=role)
    return user, _auth(db, user)


NEW_PAPER: dict[str, Any] = {
    "title": "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
    "url": "https://arxiv.org/abs/2201.11903v6",
    "authors": ["Jason Wei", "Xuezhi Wang"],
    "tags": ["Chain of Thought", "reasoning"],
    "summary": "思维链提示",
}


def test_anonymous_writes_are_refused(client: TestClient) -> None:
    response = client.post("/api/v1/papers", json=NEW_PAPER)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert client.patch("/api/v1/papers/1", json={"venue": "x"}).status_code == 401
    assert client.delete("/api/v1/papers/1").status_code == 401


def test_a_bad_token_is_refused(client: TestClient) -> None:
    response = client.post("/api/v1/papers", json=NEW_PAPER, headers={"Authorization": "Bearer pa_nope"})
    assert response.status_code == 401


def test_members_add_papers(client: TestClient, db: Session) -> None:
    category = make_category(db, "prompting")
    _member, headers = _as(db)
    response = client.post("/api/v1/papers", json={**NEW_PAPER, "categories": ["prompting"]}, headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"] == f"/api/v1/papers/{body['id']}"
    assert (body["arxiv_id"], body["year"], body["published"]) == ("2201.11903", 2022, "2022-01")
    assert body["authors"] == ["Jason Wei", "Xuezhi Wang"]
    assert [tag["slug"] for tag in body["tags"]] == ["chain-of-thought", "reasoning"]
    assert [c["slug"] for c in body["categories"]] == ["prompting"]
    assert body["summary"] == "思维链提示"
    db.refresh(category)
    assert category.paper_count == 1
    assert client.get(f"/api/v1/papers/{body['id']}").json()["title"] == NEW_PAPER["title"]


@pytest.mark.parametrize(
    "variant",
    [
        {"title": "Something else entirely", "arxiv_id": "arXiv:2201.11903"},
        {"title": "chain-of-thought prompting elicits reasoning in LARGE language models."},
    ],
)
def test_adding_a_known_paper_answers_409_with_it(
    client: TestClient, db: Session, variant: dict[str, str]
) -> None:
    existing = make_paper(
        db, NEW_PAPER["title"], arxiv_id="2201.11903", url="https://arxiv.org/abs/2201.11903"
    )
    _member, headers = _as(db)
    response = client.post("/api/v1/papers", json=variant, headers=headers)
    assert response.status_code == 409
    assert response.json()["existing"] == {
        "id": existing.id,
        "slug": existing.slug,
        "title": existing.title,
        "url": "https://arxiv.org/abs/2201.11903",
    }


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 501}, "title"),
        ({"title": "ok", "url": "ftp://example.org/paper"}, "url"),
        ({"title": "ok", "url": "javascript:alert(1)"}, "url"),
        ({"title": "ok", "year": 1800}, "year"),
        ({"title": "ok", "arxiv_id": "not-an-id"}, "arxiv_id"),
        ({"title": "ok", "doi": "11.1/x"}, "doi"),
        ({"title": "ok", "published": "2023-13"}, "published"),
        ({"title": "ok", "tags": ["t"] * 31}, "tags"),
        ({"title": "ok", "tags": ["!!!"]}, "tags"),
        ({"title": "ok", "categories": ["Not A Slug!"]}, "categories"),
        ({"title": "ok", "summary": "x" * 20_001}, "summary"),
        ({"title": "ok", "is_curated": True}, "is_curated"),
        ({"title": "nul\x00byte"}, "title"),
        ({"title": "ok", "summary": "bell\x07"}, "summary"),
    ],
)
def test_bad_input_is_422_naming_the_field(
    client: TestClient, db: Session, payload: dict[str, Any], field: str
) -> None:
    _member, headers = _as(db)
    response = client.post("/api/v1/papers", json=payload, headers=headers)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert any(field in error["loc"] for error in body["detail"]), body


def test_unknown_category_is_422_with_field(client: TestClient, db: Session) -> None:
    _member, headers = _as(db)
    response = client.post("/api/v1/papers", json={"title": "ok", "categories": ["nowhere"]}, headers=headers)
    assert response.status_code == 422
    assert "categories" in response.json()["fields"]


@pytest.mark.parametrize(
    ("role", "allowed"), [(None, True), (Role.EDITOR, True), (Role.ADMIN, True), ("other", False)]
)
def test_who_may_edit(client: TestClient, db: Session, role: Role | str | None, allowed: bool) -> None:
    owner, owner_headers = _as(db)
    paper = make_paper(db, "Owned paper", added_by=owner)
    headers = owner_headers if role is None else _as(db, Role.MEMBER if role == "other" else Role(role))[1]
    response = client.patch(
        f"/api/v1/papers/{paper.id}", json={"venue": "ICLR", "tags": ["edited"]}, headers=headers
    )
    if not allowed:
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
        return
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["venue"], body["is_curated"], [t["slug"] for t in body["tags"]]) == (
        "ICLR",
        True,
        ["edited"],
    )


def test_edit_conflicts_and_ids(client: TestClient, db: Session) -> None:
    _editor, headers = _as(db, Role.EDITOR)
    make_paper(db, "First", arxiv_id="2303.08774")
    second = make_paper(db, "Second")
    db.commit()  # an error response rolls the request's work back; the setup must survive it
    response = client.patch(f"/api/v1/papers/{second.id}", json={"arxiv_id": "2303.08774"}, headers=headers)
    assert response.status_code == 409
    assert response.json()["existing"]["title"] == "First"
    assert client.patch("/api/v1/papers/2000000000", json={"venue": "x"}, headers=headers).status_code == 404
    for bad_id in ("0", "-1", str(2**31), "abc"):
        assert (
            client.patch(f"/api/v1/papers/{bad_id}", json={"venue": "x"}, headers=headers).status_code == 422
        )
    null_title = client.patch(f"/api/v1/papers/{second.id}", json={"title": None}, headers=headers)
    assert null_title.status_code == 422


def test_delete_by_owner_and_not_by_another_member(client: TestClient, db: Session) -> None:
    owner, owner_headers = _as(db)
    _other, other_headers = _as(db)
    paper = make_paper(db, "Short-lived", added_by=owner)
    make_rating(db, paper, score=3)
    db.commit()  # an error response rolls the request's work back; the setup must survive it
    assert client.delete(f"/api/v1/papers/{paper.id}", headers=other_headers).status_code == 403
    response = client.delete(f"/api/v1/papers/{paper.id}", headers=owner_headers)
    assert response.status_code == 204
    assert response.content == b""
    assert client.get(f"/api/v1/papers/{paper.id}").status_code == 404
    assert db.scalar(select(Rating).where(Rating.paper_id == paper.id)) is None


def test_openapi_documents_the_write_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    create = paths["/api/v1/papers"]["post"]
    assert {"201", "401", "403", "409", "422"} <= set(create["responses"])
    assert create["description"]
    assert paths["/api/v1/papers/{paper_id}"]["patch"]["responses"]["404"]["description"]
    assert "/api/v1/papers/{paper_id}/merge" in paths
