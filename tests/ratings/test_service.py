"""Ratings on a real database: upserts, the paper's maintained average, summaries, pages and merges."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.db import utcnow
from app.errors import InvalidInput, NotFound, Unauthorized
from app.ratings import service
from app.ratings.models import Rating
from tests.factories import make_paper, make_rating, make_user


def test_rating_again_replaces_the_first_rating(db: Session) -> None:
    paper, user = make_paper(db), make_user(db)
    first = service.rate_paper(db, paper.id, user, score=2, comment="meh")
    second = service.rate_paper(db, paper.id, user, score=5, comment="  ")
    assert second.id == first.id
    assert (second.score, second.comment) == (5, None)
    assert (paper.rating_count, paper.rating_avg) == (1, 5.0)


def test_the_paper_average_follows_every_rating(db: Session) -> None:
    paper = make_paper(db)
    users = [make_user(db) for _ in range(3)]
    for user, score in zip(users, (5, 4, 4), strict=True):
        service.rate_paper(db, paper.id, user, score=score, comment=None)
    assert paper.rating_count == 3
    assert paper.rating_avg == pytest.approx(13 / 3)
    service.remove_rating(db, paper.id, users[0])
    assert (paper.rating_count, paper.rating_avg) == (2, 4.0)
    service.remove_rating(db, paper.id, users[1])
    service.remove_rating(db, paper.id, users[2])
    assert (paper.rating_count, paper.rating_avg) == (0, None)


def test_summary_has_the_distribution(db: Session) -> None:
    paper = make_paper(db)
    for score in (5, 5, 3, 1):
        make_rating(db, paper, score=score)
    summary = service.rating_summary(db, paper.id)
    assert summary.count == 4
    assert summary.average == 3.5
    assert summary.counts() == {1: 1, 2: 0, 3: 1, 4: 0, 5: 2}
    empty = service.rating_summary(db, make_paper(db).id)
    assert (empty.count, empty.average, sum(empty.counts().values())) == (0, None, 0)


def test_rating_needs_a_user_a_paper_and_a_score_in_range(db: Session) -> None:
    paper, user = make_paper(db), make_user(db)
    with pytest.raises(Unauthorized):
        service.rate_paper(db, paper.id, None, score=3, comment=None)
    with pytest.raises(NotFound):
        service.rate_paper(db, 2_000_000_000, user, score=3, comment=None)
    with pytest.raises(InvalidInput):
        service.rate_paper(db, paper.id, user, score=6, comment=None)
    with pytest.raises(NotFound):
        service.remove_rating(db, paper.id, user)


def test_ratings_page_newest_first_with_cursor(db: Session) -> None:
    paper = make_paper(db)
    start = utcnow() - timedelta(days=1)
    names = []
    for minute in range(5):
        user = make_user(db)
        names.append(user.username)
        rating = service.rate_paper(db, paper.id, user, score=3, comment=f"note {minute}")
        db.execute(
            update(Rating).where(Rating.id == rating.id).values(updated_at=start + timedelta(minutes=minute))
        )
    first = service.list_ratings(db, paper.id, limit=2)
    assert [item.username for item in first.items] == [names[4], names[3]]
    assert first.items[0].comment == "note 4"
    assert first.next_cursor is not None
    second = service.list_ratings(db, paper.id, limit=2, cursor=first.next_cursor)
    third = service.list_ratings(db, paper.id, limit=2, cursor=second.next_cursor)
    assert [item.username for item in second.items + third.items] == [names[2], names[1], names[0]]
    assert third.next_cursor is None
    assert third.summary.count == 5


def test_a_forged_cursor_is_invalid_input(db: Session) -> None:
    paper = make_paper(db)
    with pytest.raises(InvalidInput) as raised:
        service.list_ratings(db, paper.id, cursor="not-a-cursor")
    assert "cursor" in raised.value.fields
