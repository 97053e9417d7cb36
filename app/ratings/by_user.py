"""A person's own ratings, newest first, for their account page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.catalog.models import Paper
from app.ratings.models import Rating

SHOWN = 50


@dataclass(frozen=True)
class RatedPaper:
    slug: str
    title: str
    score: int
    comment: str | None
    updated_at: datetime


def ratings_by_user(session: Session, user_id: int, *, limit: int = SHOWN) -> tuple[list[RatedPaper], int]:
    """A person's latest ratings, newest first, and how many there are in all."""
    rows = session.execute(
        select(Paper.slug, Paper.title, Rating.score, Rating.comment, Rating.updated_at)
        .join(Paper, Paper.id == Rating.paper_id)
        .where(Rating.user_id == user_id)
        .order_by(Rating.updated_at.desc(), Rating.id.desc())
        .limit(limit)
    )
    total = session.scalar(select(func.count()).where(Rating.user_id == user_id)) or 0
    return [RatedPaper(*row) for row in rows], total
