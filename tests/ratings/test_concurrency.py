"""Many people rating one paper at the same moment, each in its own committed transaction: nothing is lost."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.accounts.models import User
from app.catalog.models import Paper
from app.db import make_session_factory, transaction
from app.ratings import service
from app.ratings.models import Rating
from tests.factories import make_paper, make_user

RATERS = 12
ROUNDS = 3


@pytest.fixture
def committed(engine: Engine) -> Iterator[tuple[sessionmaker[Session], int, list[int]]]:
    """A paper and its raters committed for real (other threads must see them), removed afterwards."""
    factory = make_session_factory(engine)
    with transaction(factory) as session:
        paper_id = make_paper(session, "Rated by a crowd").id
        user_ids = [make_user(session).id for _ in range(RATERS)]
    yield factory, paper_id, user_ids
    with transaction(factory) as session:
        session.execute(delete(Paper).where(Paper.id == paper_id))
        session.execute(delete(User).where(User.id.in_(user_ids)))


def _score(user_index: int, round_number: int) -> int:
    return (user_index + round_number) % 5 + 1


def test_concurrent_ratings_never_lose_an_update(
    committed: tuple[sessionmaker[Session], int, list[int]],
) -> None:
    factory, paper_id, user_ids = committed
    start = threading.Barrier(RATERS * ROUNDS)
    errors: list[BaseException] = []

    def rate(user_index: int, round_number: int) -> None:
        try:
            start.wait(timeout=30)
            with transaction(factory) as session:
                user = session.get(User, user_ids[user_index])
                service.rate_paper(
                    session, paper_id, user, score=_score(user_index, round_number), comment=None
                )
        except BaseException as exc:
            errors.append(exc)

    # Every person rates three times at once: the upsert must keep one rating each, the count exact.
    threads = [
        threading.Thread(target=rate, args=(index, round_number))
        for index in range(RATERS)
        for round_number in range(ROUNDS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with transaction(factory, writes=False) as session:
        stored = session.execute(
            select(func.count(Rating.id), func.avg(Rating.score)).where(Rating.paper_id == paper_id)
        ).one()
        paper = session.get(Paper, paper_id)
        assert paper is not None
        assert stored[0] == RATERS
        assert paper.rating_count == RATERS
        assert paper.rating_avg == pytest.approx(float(stored[1]))
        summary = service.rating_summary(session, paper_id)
        assert summary.count == RATERS
        assert sum(summary.counts().values()) == RATERS
