"""Aggregate figures about the whole catalogue for the statistics page: one grouped query per figure.

Papers per category come from the category tree's maintained counts (app/taxonomy/queries.py).
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.catalog.models import Paper
from app.ratings.models import Rating
from app.taxonomy.models import Tag

SCORES = (1, 2, 3, 4, 5)


class TagCount(BaseModel):
    slug: str
    name: str
    papers: int


class VenueCount(BaseModel):
    venue: str
    papers: int


def papers_per_year(session: Session) -> dict[int, int]:
    """Year → number of papers published that year; papers without a year are left out."""
    rows = session.execute(
        select(Paper.year, func.count())
        .where(Paper.year.is_not(None))
        .group_by(Paper.year)
        .order_by(Paper.year)
    )
    return {int(year): int(count) for year, count in rows if year is not None}


def papers_without_year(session: Session) -> int:
    """How many papers have no known year (the year chart shows them as a bar of their own)."""
    return int(session.scalar(select(func.count()).select_from(Paper).where(Paper.year.is_(None))) or 0)


def top_tags(session: Session, limit: int = 15) -> list[TagCount]:
    """The most used tags; their counts are kept up to date on every write, so this reads no links."""
    rows = session.execute(
        select(Tag.slug, Tag.name, Tag.paper_count)
        .where(Tag.paper_count > 0)
        .order_by(Tag.paper_count.desc(), Tag.slug)
        .limit(limit)
    )
    return [TagCount(slug=slug, name=name, papers=count) for slug, name, count in rows]


def top_venues(session: Session, limit: int = 10) -> list[VenueCount]:
    rows = session.execute(
        select(Paper.venue, func.count().label("papers"))
        .where(Paper.venue.is_not(None))
        .group_by(Paper.venue)
        .order_by(func.count().desc(), Paper.venue)
        .limit(limit)
    )
    return [VenueCount(venue=venue, papers=count) for venue, count in rows]


def rating_distribution(session: Session) -> dict[int, int]:
    """Score → how many ratings gave it, over every rating in the catalogue, with zero for unused scores."""
    counts = dict.fromkeys(SCORES, 0)
    for score, count in session.execute(select(Rating.score, func.count()).group_by(Rating.score)):
        counts[int(score)] = int(count)
    return counts
