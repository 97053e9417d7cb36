"""The account page lists your ratings and the papers you added, and only yours."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.ratings.service import rate_paper
from tests.factories import make_paper, make_user

PASSWORD = "correct horse battery"


def sign_in(client: TestClient, user: User) -> None:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    response = client.post(
        "/login",
        data={"username": user.username, "password": PASSWORD, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_account_lists_your_ratings_and_papers(client: TestClient, db: Session) -> None:
    me = make_user(db, password=PASSWORD)
    other = make_user(db, password=PASSWORD)
    mine = make_paper(db, "Direct Preference Optimization", added_by=me)
    theirs = make_paper(db, "Someone Else's Paper On Agents", added_by=other)
    rate_paper(db, theirs.id, me, score=4, comment="清晰易读")
    rate_paper(db, mine.id, other, score=2, comment="not mine to see")
    db.commit()
    sign_in(client, me)
    page = client.get("/account").text
    ratings = page.split('id="section-ratings"')[1].split("</section>")[0]
    papers = page.split('id="section-papers"')[1].split("</section>")[0]
    assert "Someone Else&#39;s Paper On Agents" in ratings
    assert "清晰易读" in ratings
    assert "4 of 5 stars" in ratings
    assert "not mine to see" not in page
    assert "Direct Preference Optimization" in papers
    assert "Someone Else" not in papers


def test_empty_sections_say_what_to_do(client: TestClient, db: Session) -> None:
    me = make_user(db, password=PASSWORD)
    db.commit()
    sign_in(client, me)
    page = client.get("/account").text
    assert "You have not rated any paper yet" in page
    assert "You have not added a paper yet" in page
