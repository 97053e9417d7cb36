"""Adding, editing and deleting papers with forms: post/redirect/get, 422 with values kept, duplicates."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Role, User
from app.catalog.models import Paper
from tests.factories import make_category, make_paper, make_user
from tests.pages.conftest import Visitor, sign_in

VALID: dict[str, Any] = {
    "title": "QLoRA: Efficient Finetuning of Quantized LLMs",
    "short_name": "QLoRA",
    "arxiv_id": "https://arxiv.org/abs/2305.14314v1",
    "year": "2023",
    "venue": "NeurIPS",
    "authors": "Tim Dettmers\nArtidoro Pagnoni\n\n",
    "summary": "4-bit 量化 + LoRA 微调。",
    "categories": ["efficient-fine-tuning"],
    "tags": "peft，quantization, LoRA",
}


@pytest.fixture
def member(client: TestClient, db: Session) -> Visitor:
    make_category(db, "efficient-fine-tuning", name_en="Efficient fine-tuning", name_zh="参数高效微调")
    make_category(db, "alignment", name_en="Alignment")
    return sign_in(client, db, make_user(db, "mei"))


def _paper(db: Session, title: str) -> Paper | None:
    return db.scalar(select(Paper).where(Paper.title == title))


def test_anonymous_visitors_are_sent_to_log_in_and_back(client: TestClient) -> None:
    response = client.get("/papers/new", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/papers/new"


def test_the_form_labels_every_input_and_offers_the_categories(client: TestClient, member: Visitor) -> None:
    html = member.get("/papers/new").text
    inputs = re.findall(
        r'<(?:input|textarea|select)[^>]*\sid="([^"]+)"', html.split('class="form-card', 1)[1]
    )
    assert inputs
    for input_id in inputs:
        assert f'for="{input_id}"' in html, input_id
    assert 'value="efficient-fine-tuning"' in html
    assert "Efficient fine-tuning · 参数高效微调" in html
    assert 'name="csrf_token"' in html
    assert "novalidate" in html


def test_a_valid_paper_is_added_then_redirected_to_with_a_flash(
    client: TestClient, db: Session, member: Visitor
) -> None:
    response = member.post("/papers/new", VALID)
    assert response.status_code == 303
    paper = _paper(db, VALID["title"])
    assert paper is not None
    assert response.headers["location"].endswith(f"/papers/{paper.slug}")
    assert paper.arxiv_id == "2305.14314"
    assert paper.year == 2023
    page = client.get(response.headers["location"]).text
    assert "Added “QLoRA: Efficient Finetuning of Quantized LLMs”. Thank you!" in page
    assert ">Tim Dettmers</a>, <a" in page
    assert ">#peft</a>" in page
    assert ">#quantization</a>" in page
    assert ">Efficient fine-tuning</a>" in page
    # The flash is shown once.
    assert "Thank you!" not in client.get(response.headers["location"]).text


def test_an_invalid_form_comes_back_with_422_errors_by_the_fields_and_the_values_kept(
    db: Session, member: Visitor
) -> None:
    response = member.post(
        "/papers/new",
        {
            **VALID,
            "title": "  ",
            "year": "next year",
            "code_url": "javascript:alert(1)",
            "arxiv_id": "not-an-id",
        },
    )
    assert response.status_code == 422
    html = response.text
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert '<a href="#field-year">Year: Enter a whole number.</a>' in summary
    assert '<a href="#field-title">Title: Enter the paper’s title.</a>' in summary
    for field in ("title", "year", "code_url", "arxiv_id"):
        assert f'id="field-{field}-error"' in html, field
        assert re.search(rf'id="field-{field}"[^>]*aria-invalid="true"', html), field
    assert 'value="next year"' in html
    assert 'value="QLoRA"' in html
    assert "Tim Dettmers\nArtidoro Pagnoni" in html
    assert 'value="efficient-fine-tuning" checked' in html
    assert _paper(db, VALID["title"]) is None


def test_a_paper_already_catalogued_is_named_with_a_link_instead_of_a_duplicate(
    db: Session, member: Visitor
) -> None:
    make_paper(db, "QLoRA (the original)", slug="qlora", arxiv_id="2305.14314")
    db.commit()
    response = member.post("/papers/new", VALID)
    assert response.status_code == 409
    assert "Already in the catalogue" in response.text
    assert re.search(r'<a href="[^"]*/papers/qlora">QLoRA \(the original\)</a>', response.text)
    assert 'value="QLoRA"' in response.text
    assert db.scalar(select(Paper.id).where(Paper.title == VALID["title"])) is None


def test_a_post_without_the_csrf_token_is_refused(client: TestClient, db: Session, member: Visitor) -> None:
    response = client.post("/papers/new", data={"title": "Forged"}, follow_redirects=False)
    assert response.status_code == 403
    assert _paper(db, "Forged") is None


def test_the_owner_edits_a_paper_and_may_clear_fields(
    client: TestClient, db: Session, member: Visitor
) -> None:
    member.post("/papers/new", VALID)
    paper = _paper(db, VALID["title"])
    assert paper is not None
    form_page = member.get(f"/papers/{paper.slug}/edit").text
    assert 'value="QLoRA"' in form_page
    assert "Tim Dettmers\nArtidoro Pagnoni</textarea>" in form_page
    assert 'value="LoRA, peft, quantization"' in form_page
    response = member.post(
        f"/papers/{paper.slug}/edit",
        {**VALID, "title": "QLoRA, revised", "venue": "", "categories": ["alignment"], "tags": "peft"},
    )
    assert response.status_code == 303
    db.refresh(paper)
    assert paper.title == "QLoRA, revised"
    assert paper.venue is None
    page = client.get(response.headers["location"]).text
    assert "Your changes are saved." in page
    assert ">Alignment</a>" in page
    assert "#quantization" not in page


def test_editing_with_errors_answers_422_and_keeps_the_paper_unchanged(db: Session, member: Visitor) -> None:
    member.post("/papers/new", VALID)
    paper = _paper(db, VALID["title"])
    assert paper is not None
    response = member.post(f"/papers/{paper.slug}/edit", {**VALID, "title": "", "year": "1800"})
    assert response.status_code == 422
    assert 'id="field-title-error"' in response.text
    assert 'id="field-year-error"' in response.text
    db.refresh(paper)
    assert paper.title == VALID["title"]


def test_another_member_may_not_edit_or_delete(client: TestClient, db: Session) -> None:
    owner: User = make_user(db, "owner")
    paper = make_paper(db, "Owned paper", slug="owned", added_by=owner)
    db.commit()
    stranger = sign_in(client, db, make_user(db, "stranger"))
    assert stranger.get("/papers/owned/edit").status_code == 403
    assert stranger.post("/papers/owned/edit", {"title": "Hijacked"}).status_code == 403
    assert stranger.post("/papers/owned/delete").status_code == 403
    db.refresh(paper)
    assert paper.title == "Owned paper"


def test_deleting_asks_first_and_only_a_post_deletes(client: TestClient, db: Session) -> None:
    make_paper(db, "Doomed paper", slug="doomed")
    db.commit()
    editor = sign_in(client, db, make_user(db, "editor", role=Role.EDITOR))
    confirm = editor.get("/papers/doomed/delete")
    assert confirm.status_code == 200
    assert "Delete “Doomed paper”?" in confirm.text
    assert re.search(r'<form method="post" action="[^"]*/papers/doomed/delete"', confirm.text)
    assert _paper(db, "Doomed paper") is not None
    response = editor.post("/papers/doomed/delete")
    assert response.status_code == 303
    assert response.headers["location"].endswith("/papers")
    assert _paper(db, "Doomed paper") is None
    assert "Deleted “Doomed paper”." in client.get(response.headers["location"]).text


def test_new_is_not_mistaken_for_a_paper_slug(client: TestClient, db: Session) -> None:
    make_paper(db, "New", slug="new")
    db.commit()
    response = client.get("/papers/new", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
