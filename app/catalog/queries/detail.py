"""get_paper_detail: one paper with its provenance, ratings and explainable neighbours."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.catalog.models import Paper
from app.catalog.queries.foreign_tables import ratings, source_entries, sources
from app.catalog.queries.related import stored_or_computed
from app.catalog.queries.summaries import (
    SUMMARY_COLUMNS,
    authors_by_paper,
    categories_by_paper,
    summary_fields,
    tags_by_paper,
)
from app.catalog.schemas import (
    PaperDetail,
    PaperLink,
    ProvenanceEntry,
    RatingBucket,
    RatingSummary,
)
from app.errors import NotFound
from app.rating_dependencies import show_ratings_of
from app.translatable import N_


def _links(row: Any) -> list[PaperLink]:
    links = [
        PaperLink(kind=kind, url=url)
        for kind, url in (("paper", row.url), ("pdf", row.pdf_url), ("code", row.code_url))
        if url
    ]
    if row.arxiv_id:
        links.append(PaperLink(kind="arxiv", url=f"https://arxiv.org/abs/{row.arxiv_id}"))
    if row.doi:
        links.append(PaperLink(kind="doi", url=f"https://doi.org/{row.doi}"))
    return links


def _provenance(session: Session, paper_id: int) -> list[ProvenanceEntry]:
    rows = session.execute(
        select(
            sources.c.name,
            sources.c.title.label("source_title"),
            source_entries.c.section_path,
            source_entries.c.position,
            source_entries.c.line,
            source_entries.c.list_number,
            source_entries.c.title,
            source_entries.c.note,
            source_entries.c.stars,
            source_entries.c.is_present,
        )
        .join(sources, sources.c.id == source_entries.c.source_id)
        .where(source_entries.c.paper_id == paper_id)
        .order_by(sources.c.name, source_entries.c.position)
    )
    return [
        ProvenanceEntry(
            source=row.name,
            source_title=row.source_title,
            section_path=[str(part) for part in row.section_path or []],
            position=row.position,
            line=row.line,
            list_number=row.list_number,
            title=row.title,
            note=row.note,
            stars=row.stars,
            is_present=bool(row.is_present),
        )
        for row in rows
    ]


def _rating_summary(session: Session, paper_id: int) -> RatingSummary:
    """Count, average (to two places) and the 1..5 distribution, all from the ratings themselves."""
    by_score: dict[int, int] = dict(
        session.execute(
            select(ratings.c.score, func.count())
            .where(ratings.c.paper_id == paper_id)
            .group_by(ratings.c.score)
        ).all()
    )
    count = sum(by_score.values())
    total = sum(score * n for score, n in by_score.items())
    return RatingSummary(
        average=round(total / count, 2) if count else None,
        count=count,
        distribution=[RatingBucket(score=score, count=by_score.get(score, 0)) for score in range(1, 6)],
    )


def get_paper_detail(session: Session, paper_id: int) -> PaperDetail:
    """Everything about one paper; NotFound when there is no such paper."""
    row = session.execute(
        select(*SUMMARY_COLUMNS, Paper.summary, Paper.is_curated, Paper.updated_at).where(
            Paper.id == paper_id
        )
    ).first()
    if row is None:
        raise NotFound(f"No paper with id {paper_id}.")
    ids = [paper_id]
    show_ratings_of(ids)
    fields = summary_fields(
        row,
        authors_by_paper(session, ids)[paper_id],
        categories_by_paper(session, ids)[paper_id],
        tags_by_paper(session, ids)[paper_id],
    )
    return PaperDetail.model_validate(
        {
            **fields,
            "summary": row.summary,
            "is_curated": row.is_curated,
            "updated_at": row.updated_at,
            "links": _links(row),
            "provenance": _provenance(session, paper_id),
            "rating": _rating_summary(session, paper_id),
            "related": stored_or_computed(session, paper_id),
        }
    )


def paper_id_for_slug(session: Session, slug: str) -> int:
    paper_id = session.scalar(select(Paper.id).where(Paper.slug == slug))
    if paper_id is None:
        raise NotFound(N_("There is no paper at this address."))
    return paper_id
