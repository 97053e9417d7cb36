"""Related papers: the obvious computation, the stored lists readers use, and their refresh.

A paper's related papers share the most (weighted by rarity) tags, categories and authors with it. Computing
them reads hundreds of neighbours per shared key, so each paper's list is stored in `related_lists`; triggers
drop a paper's list whenever its own tags, categories or authors change, and a reader that finds no list
computes it live. `refresh_lists` computes many lists at once from the same rules (equal answers, tested).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import Select, delete, insert, literal, select, union_all
from sqlalchemy.orm import Session

from app.browse.queries.filters import paper_estimate
from app.bulk import chunks
from app.catalog.models import Author, Paper, PaperAuthor, PaperCategory, PaperTag, RelatedList
from app.catalog.schemas import RelatedPaper
from app.taxonomy.models import Category, Tag

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


Key = tuple[str, int, str, int | None]  # kind, key id, label, papers holding it (None for authors)
Scored = tuple[int, float, list[str]]  # the other paper, its score, the reasons


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


def _live_scores(session: Session, paper_id: int, limit: int) -> list[Scored]:
    keys = _shared_keys(session, paper_id)
    if not keys:
        return []
    papers = max(paper_estimate(session), 1)
    weights = _weights(keys, papers)
    scores: dict[int, float] = defaultdict(float)
    reasons: dict[int, list[str]] = defaultdict(list)
    for other_id, key_index in session.execute(_neighbours(paper_id, keys)):
        kind, _id, label, _count = keys[key_index]
        scores[other_id] += weights[key_index]
        reasons[other_id].append(f"{kind}: {label}")
    return _best(scores, reasons, limit)


def _weights(keys: Sequence[Key], papers: int) -> list[float]:
    return [
        KIND_WEIGHTS[kind] * (math.log(1 + papers / (1 + count)) if count is not None else 1.0)
        for kind, _id, _label, count in keys
    ]


def _best(scores: dict[int, float], reasons: dict[int, list[str]], limit: int) -> list[Scored]:
    best = sorted(scores, key=lambda other: (-scores[other], -other))[:limit]
    return [(other, round(scores[other], 3), reasons[other]) for other in best]


def _with_papers(session: Session, scored: Sequence[Scored]) -> list[RelatedPaper] | None:
    """The scored papers with their slug, title and year; None when one of them no longer exists."""
    if not scored:
        return []
    rows = {
        row.id: row
        for row in session.execute(
            select(Paper.id, Paper.slug, Paper.title, Paper.year).where(
                Paper.id.in_([other for other, _score, _reasons in scored])
            )
        )
    }
    if len(rows) < len(scored):
        return None
    return [
        RelatedPaper(
            id=other,
            slug=rows[other].slug,
            title=rows[other].title,
            year=rows[other].year,
            score=score,
            reasons=reasons,
        )
        for other, score, reasons in scored
    ]


def related_papers(session: Session, paper_id: int, limit: int = RELATED_LIMIT) -> list[RelatedPaper]:
    """Papers sharing the most (weighted by rarity) tags, categories and authors with PAPER_ID, computed now.

    A shared key weighs its kind's weight times ln(1 + papers / papers holding it), so a niche tag counts far
    more than one half the catalogue carries; the reasons list what is shared.
    """
    return _with_papers(session, _live_scores(session, paper_id, limit)) or []


def stored_or_computed(session: Session, paper_id: int) -> list[RelatedPaper]:
    """The paper's stored list when it has one (and every paper in it still exists), else computed now."""
    items = session.scalar(select(RelatedList.items).where(RelatedList.paper_id == paper_id))
    if items is not None:
        scored = [(item["id"], item["score"], item["reasons"]) for item in orjson.loads(items)]
        found = _with_papers(session, scored)
        if found is not None:
            return found
    return related_papers(session, paper_id)


def _keys_of(session: Session, paper_ids: Sequence[int]) -> dict[int, list[Key]]:
    """Each paper's keys in the order and number _shared_keys gives them, for many papers at once."""
    tags: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(
        select(PaperTag.paper_id, Tag.id, Tag.slug, Tag.paper_count)
        .join(Tag, Tag.id == PaperTag.tag_id)
        .where(PaperTag.paper_id.in_(paper_ids))
        .order_by(PaperTag.paper_id, Tag.paper_count, Tag.id)
    ):
        tags[row.paper_id].append(("tag", row.id, row.slug, row.paper_count))
    categories: dict[int, list[Any]] = defaultdict(list)
    for category in session.execute(
        select(PaperCategory.paper_id, Category.id, Category.name_en, Category.paper_count)
        .join(Category, Category.id == PaperCategory.category_id)
        .where(PaperCategory.paper_id.in_(paper_ids))
        .order_by(PaperCategory.paper_id, Category.paper_count, Category.id)
    ):
        categories[category.paper_id].append(
            ("category", category.id, category.name_en, category.paper_count)
        )
    authors: dict[int, list[Any]] = defaultdict(list)
    for author in session.execute(
        select(PaperAuthor.paper_id, Author.id, Author.name)
        .join(Author, Author.id == PaperAuthor.author_id)
        .where(PaperAuthor.paper_id.in_(paper_ids))
        .order_by(PaperAuthor.paper_id, PaperAuthor.position)
    ):
        authors[author.paper_id].append(("author", author.id, author.name, None))
    return {
        paper_id: [
            *tags[paper_id][:MAX_KEYS_PER_KIND],
            *categories[paper_id][:MAX_KEYS_PER_KIND],
            *authors[paper_id][:MAX_KEYS_PER_KIND],
        ]
        for paper_id in paper_ids
    }


class _Holders:
    """The newest papers holding each key (one more than a neighbour list needs, to leave the paper out)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.known: dict[tuple[str, int], list[int]] = {}

    def of(self, kind: str, key_id: int) -> list[int]:
        found = self.known.get((kind, key_id))
        if found is None:
            link_paper, link_key = _LINK_COLUMNS[kind]
            found = list(
                self.session.scalars(
                    select(link_paper)
                    .where(link_key == key_id)
                    .order_by(link_paper.desc())
                    .limit(NEIGHBOURS_PER_KEY + 1)
                )
            )
            self.known[(kind, key_id)] = found
        return found


def refresh_lists(session: Session, paper_ids: Sequence[int] | None = None) -> int:
    """Compute and store the related papers of these papers (default: those without a list); returns how many.

    The same rules as related_papers, for many papers at once: each key's newest holders are read once.
    """
    if paper_ids is None:
        stored = select(RelatedList.paper_id).where(RelatedList.paper_id == Paper.id)
        paper_ids = list(session.scalars(select(Paper.id).where(~stored.exists()).order_by(Paper.id)))
    papers = max(paper_estimate(session), 1)
    holders = _Holders(session)
    for chunk in chunks(paper_ids):
        rows = []
        for paper_id, keys in _keys_of(session, chunk).items():
            weights = _weights(keys, papers)
            scores: dict[int, float] = defaultdict(float)
            reasons: dict[int, list[str]] = defaultdict(list)
            for weight, (kind, key_id, label, _count) in zip(weights, keys, strict=True):
                reason = f"{kind}: {label}"
                others = [other for other in holders.of(kind, key_id) if other != paper_id]
                for other in others[:NEIGHBOURS_PER_KEY]:
                    scores[other] += weight
                    reasons[other].append(reason)
            best = _best(scores, reasons, RELATED_LIMIT)
            items = [{"id": other, "score": score, "reasons": why} for other, score, why in best]
            rows.append({"paper_id": paper_id, "items": orjson.dumps(items).decode()})
        session.execute(delete(RelatedList).where(RelatedList.paper_id.in_(chunk)))
        if rows:
            session.execute(insert(RelatedList), rows)
    return len(paper_ids)
