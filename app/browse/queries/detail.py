"""get_paper_detail: one paper with its lists, its ratings and explainable neighbours."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.browse.queries.related import stored_or_computed
from app.browse.queries.summaries import SUMMARY_COLUMNS, categories_by_paper, summary_fields, tags_by_paper
from app.browse.schemas import PaperDetail
from app.catalog.authors import authors_of
from app.catalog.models import Paper
from app.catalog.schemas import PaperLink
from app.errors import NotFound
from app.importing.schemas import ProvenanceEntry
from app.importing.sources import provenance_for
from app.rating_dependencies import show_ratings_of
from app.ratings.service import rating_summary


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


def _by_list_name(entry: ProvenanceEntry) -> tuple[str, int]:
    return entry.source, entry.position


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
        authors_of(session, ids)[paper_id],
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
            "provenance": sorted(provenance_for(session, ids).get(paper_id, []), key=_by_list_name),
            "rating": rating_summary(session, paper_id),
            "related": stored_or_computed(session, paper_id),
        }
    )
