"""Rating from the paper page: real radio stars, an optional comment, replacing and removing one's rating."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.models import Paper
from app.ratings.models import Rating
from tests.factories import make_paper, make_rating, make_user
from tests.pages.conftest import Visitor, sign_in


@pytest.fixture
def paper(db: Session) -> Paper:
    paper = make_paper(db, "Chain-of-Thought Prompting", slug="cot")
    make_rating(db, paper, make_user(db, "omar"), score=2)
    db.commit()
    return paper


@pytest.fixture
def lin(client: TestClient, db: Session) -> Visitor:
    return sign_in(client, db, make_user(db, "lin"))


def test_the_form_is_five_labelled_radio_buttons_and_a_comment(lin: Visitor, paper: Paper) -> None:
    html = lin.get("/papers/cot").text
    radios = re.findall(r'<input type="radio" id="score-(\d)" name="score" value="(\d)"', html)
    assert radios == [(str(n), str(n)) for n in range(1, 6)]
    for score in range(1, 6):
        assert f'<label for="score-{score}"' in html
    assert "<legend>How useful is it to you?</legend>" in html
    assert '<span class="visually-hidden">3 stars, Good</span>' in html
    assert 'id="field-comment"' in html


def test_rating_saves_redirects_with_a_flash_and_moves_the_average(
    client: TestClient, db: Session, lin: Visitor, paper: Paper
) -> None:
    response = lin.post("/papers/cot/rating", {"score": "5", "comment": "Clear and <b>useful</b>."})
    assert response.status_code == 303
    assert response.headers["location"] == "/papers/cot#rating"
    db.refresh(paper)
    assert paper.rating_count == 2
    assert paper.rating_avg == pytest.approx(3.5)
    html = client.get("/papers/cot").text
    assert "Your rating and comment are saved." in html
    assert '<span class="big">3.5</span>' in html
    assert 'id="score-5" name="score" value="5" data-meaning="5 of 5 — Essential" checked' in html
    assert "Clear and &lt;b&gt;useful&lt;/b&gt;." in html
    assert '<span class="badge badge-accent">you</span>' in html
    assert "Update my rating" in html


def test_rating_again_replaces_the_earlier_rating(db: Session, lin: Visitor, paper: Paper) -> None:
    lin.post("/papers/cot/rating", {"score": "5"})
    lin.post("/papers/cot/rating", {"score": "1", "comment": "On second thoughts."})
    ratings = db.scalars(select(Rating).where(Rating.paper_id == paper.id)).all()
    assert sorted(rating.score for rating in ratings) == [1, 2]
    db.refresh(paper)
    assert paper.rating_avg == pytest.approx(1.5)


def test_a_missing_score_comes_back_422_with_the_comment_kept(
    db: Session, lin: Visitor, paper: Paper
) -> None:
    response = lin.post("/papers/cot/rating", {"comment": "I forgot the stars"})
    assert response.status_code == 422
    assert 'id="field-score-error">Choose from one to five stars.</p>' in response.text
    assert "I forgot the stars</textarea>" in response.text
    assert '<h1 id="paper-title">Chain-of-Thought Prompting' in response.text
    db.refresh(paper)
    assert paper.rating_count == 1


def test_an_out_of_range_score_is_refused(db: Session, lin: Visitor, paper: Paper) -> None:
    response = lin.post("/papers/cot/rating", {"score": "9"})
    assert response.status_code == 422
    assert "Choose from one to five stars." in response.text


def test_removing_ones_rating(client: TestClient, db: Session, lin: Visitor, paper: Paper) -> None:
    lin.post("/papers/cot/rating", {"score": "4"})
    response = lin.post("/papers/cot/rating/delete")
    assert response.status_code == 303
    db.refresh(paper)
    assert paper.rating_count == 1
    assert "Your rating is removed." in client.get("/papers/cot").text


def test_anonymous_rating_leads_to_the_login_page_and_back(anonymous: Visitor, paper: Paper) -> None:
    response = anonymous.post("/papers/cot/rating", {"score": "5"})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/papers/cot%23rating"


def test_rating_a_paper_that_does_not_exist_is_404(lin: Visitor) -> None:
    assert lin.post("/papers/nothing/rating", {"score": "3"}).status_code == 404
