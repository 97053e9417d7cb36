"""get_paper_detail and related_papers: one paper with its provenance, ratings and explainable neighbours."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, literal, select, union_all
from sqlalchemy.orm import Session

from app.catalog.models import Author, Paper, PaperAuthor, PaperCategory, PaperTag
from app.catalog.queries.filters import paper_estimate
from app.catalog.queries.foreign_tables import ratings, source_entries, sources
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
    RelatedPaper,
)
from app.errors import NotFound
from app.taxonomy.models import Category, Tag
from app.translatable import N_

RELATED_LIMIT = 5
# Neighbours read per shared tag, category or author: bounds the work for a tag half the catalogue carries.
NEIGHBOURS_PER_KEY = 200
MAX_KEYS_PER_KIND = 10
# Sharing an author says more than sharing a tag, which says more than sharing a broad category.
KIND_WEIGHTS = {"author": 2.0, "tag": 1.0, "category": 0.6}
_LINK_COLUMNS: dict[str, tuple[Any, Any]] = {
    "tag": (PaperTag.paper_id, PaperTag.tag_id),
    "category": (PaperCategory.paper_id, PaperCategory.category_id),
    "author": (PaperAuthor.paper_id, PaperAuthor.author_id),
}


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


def _shared_keys(session: Session, paper_id: int) -> list[tuple[str, int, str, int | None]]:
    """(kind, key id, label, papers holding it) for the paper's tags, categories and authors."""
    tags = session.execute(
        select(Tag.id, Tag.slug, Tag.paper_count)
        .join(PaperTag, PaperTag.tag_id == Tag.id)
        .where(PaperTag.paper_id == paper_id)
        .order_by(Tag.paper_count, Tag.id)
        .limit(MAX_KEYS_PER_KIND)
    ).all()
    categories = session.execute(
        select(Category.id, Category.name_en, Category.paper_count)
        .join(PaperCategory, PaperCategory.category_id == Category.id)
        .where(PaperCategory.paper_id == paper_id)
        .order_by(Category.paper_count, Category.id)
        .limit(MAX_KEYS_PER_KIND)
    ).all()
    authors = session.execute(
        select(Author.id, Author.name)
        .join(PaperAuthor, PaperAuthor.author_id == Author.id)
        .where(PaperAuthor.paper_id == paper_id)
        .order_by(PaperAuthor.position)
        .limit(MAX_KEYS_PER_KIND)
    ).all()
    return [
        *(("tag", row.id, row.slug, row.paper_count) for row in tags),
        *(("category", row.id, row.name_en, row.paper_count) for row in categories),
        *(("author", row.id, row.name, None) for row in authors),
    ]


def _neighbours(paper_id: int, keys: Sequence[tuple[str, int, str, int | None]]) -> Select[Any]:
    """One statement: up to NEIGHBOURS_PER_KEY other papers per key, newest first."""
    parts = []
    for index, (kind, key_id, _label, _count) in enumerate(keys):
        link_paper, link_key = _LINK_COLUMNS[kind]
        limited = (
            select(link_paper.label("paper_id"), literal(index).label("key_index"))
            .where(link_key == key_id, link_paper != paper_id)
            .order_by(link_paper.desc())
            .limit(NEIGHBOURS_PER_KEY)
            .subquery()
        )
        parts.append(select(limited.c.paper_id, limited.c.key_index))
    return parts[0] if len(parts) == 1 else union_all(*parts)  # type: ignore[return-value]


def related_papers(session: Session, paper_id: int, limit: int = RELATED_LIMIT) -> list[RelatedPaper]:
    """Papers sharing the most (weighted by rarity) tags, categories and authors with PAPER_ID.

    A shared key weighs its kind's weight times ln(1 + papers / papers holding it), so a niche tag counts far
    more than one half the catalogue carries; the reasons list what is shared.
    """
    keys = _shared_keys(session, paper_id)
    if not keys:
        return []
    papers = max(paper_estimate(session), 1)
    weights = [
        KIND_WEIGHTS[kind] * (math.log(1 + papers / (1 + count)) if count is not None else 1.0)
        for kind, _id, _label, count in keys
    ]
    scores: dict[int, float] = defaultdict(float)
    reasons: dict[int, list[str]] = defaultdict(list)
    for other_id, key_index in session.execute(_neighbours(paper_id, keys)):
        kind, _id, label, _count = keys[key_index]
        scores[other_id] += weights[key_index]
        reasons[other_id].append(f"{kind}: {label}")
    best = sorted(scores, key=lambda other: (-scores[other], -other))[:limit]
    if not best:
        return []
    rows = {
        row.id: row
        for row in session.execute(
            select(Paper.id, Paper.slug, Paper.title, Paper.year).where(Paper.id.in_(best))
        )
    }
    return [
        RelatedPaper(
            id=other,
            slug=rows[other].slug,
            title=rows[other].title,
            year=rows[other].year,
            score=round(scores[other], 3),
            reasons=reasons[other],
        )
        for other in best
        if other in rows
    ]


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
            "related": related_papers(session, paper_id),
        }
    )


def paper_id_for_slug(session: Session, slug: str) -> int:
    paper_id = session.scalar(select(Paper.id).where(Paper.slug == slug))
    if paper_id is None:
        raise NotFound(N_("There is no paper at this address."))
    return paper_id
