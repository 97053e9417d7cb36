"""Unfiltered facets read per-year and per-venue counts that triggers keep equal to the papers themselves."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.browse.queries import facet_counts
from app.catalog.models import Paper
from app.catalog.schemas import PaperFilters
from tests.factories import make_paper


def _maintained(db: Session) -> tuple[dict[str, int], dict[str, int]]:
    facets = facet_counts(db, PaperFilters())
    # Papers without a year are counted from the papers themselves, not kept by triggers.
    years = {v.value: v.count for v in facets.years if v.value != "unknown"}
    return years, {v.value: v.count for v in facets.venues}


def _actual(db: Session) -> tuple[dict[str, int], dict[str, int]]:
    years = db.execute(select(Paper.year, func.count()).where(Paper.year.is_not(None)).group_by(Paper.year))
    venues = db.execute(
        select(Paper.venue, func.count()).where(Paper.venue.is_not(None)).group_by(Paper.venue)
    )
    return {str(y): n for y, n in years}, {str(v): n for v, n in venues}


def test_counts_follow_inserts_updates_and_deletes(db: Session) -> None:
    papers = [
        make_paper(db, year=2020, venue="ACL"),
        make_paper(db, year=2020, venue="NeurIPS"),
        make_paper(db, year=None, venue="ACL"),
        make_paper(db, year=2023, venue=None),
    ]
    db.flush()
    assert _maintained(db) == _actual(db) == ({"2020": 2, "2023": 1}, {"ACL": 2, "NeurIPS": 1})

    papers[0].year = 2021  # through the ORM
    db.execute(update(Paper).where(Paper.id == papers[1].id).values(venue="ICLR"))  # through Core
    db.execute(update(Paper).where(Paper.id == papers[2].id).values(year=2023, venue=None))
    db.execute(delete(Paper).where(Paper.id == papers[3].id))
    db.flush()
    assert _maintained(db) == _actual(db) == ({"2020": 1, "2021": 1, "2023": 1}, {"ACL": 1, "ICLR": 1})


def test_an_update_that_keeps_the_values_changes_no_count(db: Session) -> None:
    paper = make_paper(db, year=2019, venue="ICML")
    db.flush()
    db.execute(update(Paper).where(Paper.id == paper.id).values(year=2019, venue="ICML", title="Renamed"))
    assert _maintained(db) == _actual(db) == ({"2019": 1}, {"ICML": 1})
