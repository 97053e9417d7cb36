"""Category and tag management over HTTP: editors only, conflicts, cycles, renames and a tag merge."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.accounts.models import Role
from tests.factories import make_category, make_paper, make_tag, make_token, make_user


def _headers(db: Session, role: Role = Role.EDITOR) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(db, make_user(db, role=role))}"}


def test_only_editors_create_categories(client: TestClient, db: Session) -> None:
    make_category(db, "applications")
    member, editor = _headers(db, Role.MEMBER), _headers(db)
    db.commit()  # an error response rolls the request's work back; the setup must survive it
    payload = {"slug": "agents", "name_en": "Agents", "name_zh": "智能体", "parent": "applications"}
    assert client.post("/api/v1/categories", json=payload).status_code == 401
    assert client.post("/api/v1/categories", json=payload, headers=member).status_code == 403
    response = client.post("/api/v1/categories", json=payload, headers=editor)
    assert response.status_code == 201, response.text
    assert response.json() | {"id": 0} == {
        "id": 0,
        "slug": "agents",
        "name_en": "Agents",
        "name_zh": "智能体",
        "description": None,
        "parent": "applications",
        "position": 0,
        "paper_count": 0,
    }
    again = client.post("/api/v1/categories", json=payload, headers=editor)
    assert again.status_code == 409
    assert again.json()["existing"]["slug"] == "agents"


def test_admins_are_editors_too(client: TestClient, db: Session) -> None:
    response = client.post(
        "/api/v1/tags", json={"name": "Mixture of Experts"}, headers=_headers(db, Role.ADMIN)
    )
    assert response.status_code == 201
    assert response.json()["slug"] == "mixture-of-experts"


def test_category_input_is_checked(client: TestClient, db: Session) -> None:
    top = make_category(db)
    child = make_category(db, parent=top)
    editor = _headers(db)
    db.commit()  # an error response rolls the request's work back; the setup must survive it
    cycle = client.patch(f"/api/v1/categories/{top.slug}", json={"parent": child.slug}, headers=editor)
    assert cycle.status_code == 422
    assert cycle.json()["fields"] == {"parent": "Would make a cycle."}
    bad = client.post(
        "/api/v1/categories", json={"slug": "Bad Slug", "name_en": "x", "colour": "red"}, headers=editor
    )
    assert bad.status_code == 422
    assert {tuple(error["loc"]) for error in bad.json()["detail"]} == {("body", "slug"), ("body", "colour")}
    assert (
        client.patch("/api/v1/categories/no-such", json={"name_en": "x"}, headers=editor).status_code == 404
    )
    assert (
        client.patch("/api/v1/categories/NOT_A_SLUG", json={"name_en": "x"}, headers=editor).status_code
        == 422
    )
    moved = client.patch(
        f"/api/v1/categories/{child.slug}", json={"parent": None, "name_en": "Moved"}, headers=editor
    )
    assert moved.status_code == 200
    assert (moved.json()["parent"], moved.json()["name_en"]) == (None, "Moved")


def test_rename_and_merge_tags(client: TestClient, db: Session) -> None:
    kept, duplicate = make_tag(db, "cot"), make_tag(db, "chain-of-thought")
    make_paper(db, tags=[kept, duplicate])
    make_paper(db, tags=[duplicate])
    editor = _headers(db)
    db.commit()  # an error response rolls the request's work back; the setup must survive it
    taken = client.patch("/api/v1/tags/cot", json={"slug": "chain-of-thought"}, headers=editor)
    assert taken.status_code == 409
    renamed = client.patch("/api/v1/tags/cot", json={"name": "CoT"}, headers=editor)
    assert renamed.json()["name"] == "CoT"
    merged = client.post("/api/v1/tags/cot/merge", json={"duplicate": "chain-of-thought"}, headers=editor)
    assert merged.status_code == 200
    assert merged.json()["paper_count"] == 2
    assert (
        client.patch("/api/v1/tags/chain-of-thought", json={"name": "x"}, headers=editor).status_code == 404
    )
    listed = {tag["slug"]: tag["paper_count"] for tag in client.get("/api/v1/tags").json()["items"]}
    assert listed.get("cot") == 2
    assert "chain-of-thought" not in listed
