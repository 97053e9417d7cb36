"""The smaller defects: half-made papers, the request id of a 500, invisible titles, boolean scores,
repeated filters, and what a path that exists answers to a method it does not take."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Role
from app.catalog.models import Paper
from app.observability import request_id_var
from tests.factories import make_paper, make_token, make_user
from tests.web.browsing import sign_in, submit


def test_a_form_that_fails_after_a_flush_leaves_nothing_behind(client: TestClient, db: Session) -> None:
    make_user(db, "ada")
    sign_in(client, "ada")
    title = "Half made by an unknown category"
    response = submit(client, "/papers/new", {"title": title, "categories": "no-such-category"})
    assert response.status_code == 422
    assert "Unknown categories" in response.text
    assert db.scalar(select(Paper).where(Paper.title == title)) is None


class _RequestIds(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append((record.levelno, request_id_var.get()))


def test_the_error_line_of_a_500_carries_the_request_id(app: FastAPI) -> None:
    @app.get("/api/v1/_boom")
    def boom() -> None:
        raise RuntimeError("boom")

    captured = _RequestIds()
    errors_log = logging.getLogger("paper_atlas.errors")
    errors_log.addHandler(captured)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            assert client.get("/api/v1/_boom", headers={"X-Request-ID": "boom-42"}).status_code == 500
    finally:
        errors_log.removeHandler(captured)
    assert (logging.ERROR, "boom-42") in captured.seen


@pytest.mark.parametrize("title", ["\u200b", "\u200b\u200c\u200d", " \ufeff \u2060 "])
def test_a_title_of_invisible_characters_is_refused(client: TestClient, db: Session, title: str) -> None:
    headers = {"Authorization": f"Bearer {make_token(db, make_user(db))}"}
    response = client.post("/api/v1/papers", headers=headers, json={"title": title})
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][-1] == "title"


@pytest.mark.parametrize("score", [True, False])
def test_a_boolean_score_is_refused(client: TestClient, db: Session, score: bool) -> None:
    headers = {"Authorization": f"Bearer {make_token(db, make_user(db))}"}
    paper = make_paper(db, "Rated with a boolean")
    db.commit()  # a refused request rolls back what is not committed
    response = client.put(f"/api/v1/papers/{paper.id}/rating", headers=headers, json={"score": score})
    assert response.status_code == 422, response.text
    assert (
        client.put(f"/api/v1/papers/{paper.id}/rating", headers=headers, json={"score": 4}).status_code == 200
    )


@pytest.mark.parametrize(
    "path", ["/api/v1/papers?", "/api/v1/papers/facets?", "/api/v1/export?format=json&", "/papers?"]
)
def test_the_category_filter_is_capped_like_tag(client: TestClient, path: str) -> None:
    many = "&".join(f"category=c{n}" for n in range(2000))
    assert client.get(f"{path}{many}").status_code == 422
    assert client.get(f"{path}category=c1&category=c2").status_code == 200


def test_a_method_a_path_does_not_take_is_405_with_every_allowed_method(
    client: TestClient, db: Session
) -> None:
    headers = {"Authorization": f"Bearer {make_token(db, make_user(db, role=Role.EDITOR))}"}
    refused = client.patch("/api/v1/papers/facets", headers=headers, json={})
    assert refused.status_code == 405
    assert refused.json()["code"] == "method_not_allowed"
    assert "GET" in refused.headers["allow"].split(", ")
    options = client.options("/api/v1/papers")
    assert options.status_code == 204
    assert {"GET", "POST", "OPTIONS"} <= set(options.headers["allow"].split(", "))
    facets = client.options("/api/v1/papers/facets")
    assert "POST" not in facets.headers["allow"]
