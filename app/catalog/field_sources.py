"""Which outside source filled which field of a paper: written by filling and enriching, cleared by edits."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.catalog.models import PaperFieldSource
from app.db import utcnow


def field_sources(session: Session, paper_id: int) -> dict[str, str]:
    """{field: source} for the fields of the paper an outside source filled."""
    rows = session.execute(
        select(PaperFieldSource.field, PaperFieldSource.source).where(PaperFieldSource.paper_id == paper_id)
    )
    return dict(rows.all())


def record_field_sources(session: Session, paper_id: int, sources: Mapping[str, str]) -> None:
    if not sources:
        return
    forget_field_sources(session, paper_id, sources.keys())
    now = utcnow()
    session.add_all(
        PaperFieldSource(paper_id=paper_id, field=field, source=source, filled_at=now)
        for field, source in sources.items()
    )
    session.flush()


def forget_field_sources(session: Session, paper_id: int, fields: Collection[str]) -> None:
    """A person set these fields: they are no longer the source's."""
    if fields:
        session.execute(
            delete(PaperFieldSource).where(
                PaperFieldSource.paper_id == paper_id, PaperFieldSource.field.in_(list(fields))
            )
        )
