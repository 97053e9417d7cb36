"""The front page: what the catalogue holds, a search box, its categories, and three short lists of papers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.browse import queries
from app.catalog.schemas import PaperListParams, PaperSort, PaperSummary
from app.db import DbSession
from app.system import service
from app.taxonomy.models import Category, Tag
from app.taxonomy.queries import category_tree
from app.taxonomy.schemas import CategoryNode
from app.web.templating import render

router = APIRouter(include_in_schema=False)
SHORT_LIST = 5
CATEGORY_TILES = 8
SUGGESTED_SEARCHES = 6


def biggest_categories(roots: list[CategoryNode]) -> list[CategoryNode]:
    """The top-level categories holding the most papers, by the tree's maintained counts (as /categories
    shows them), so the front page counts nothing over the papers themselves."""
    return sorted(roots, key=lambda node: -node.total)[:CATEGORY_TILES]


def _nodes(nodes: list[CategoryNode]) -> int:
    return sum(1 + _nodes(node.children) for node in nodes)


def suggested_searches(session: Session) -> list[str]:
    """Searches drawn from the catalogue: the Chinese names of its busiest categories and the names of its
    busiest tags. Documents carry these names, so each finds at least the papers filed under it."""
    categories = session.execute(
        select(Category.name_zh, Category.name_en)
        .where(Category.paper_count > 0)
        .order_by(Category.paper_count.desc(), Category.slug)
        .limit(SUGGESTED_SEARCHES // 2)
    ).all()
    tags = session.scalars(
        select(Tag.name)
        .where(Tag.paper_count > 0)
        .order_by(Tag.paper_count.desc(), Tag.slug)
        .limit(SUGGESTED_SEARCHES)
    ).all()
    names = [name_zh or name_en for name_zh, name_en in categories] + list(tags)
    return list(dict.fromkeys(names))[:SUGGESTED_SEARCHES]


@router.get("/", response_class=HTMLResponse, name="home")
def home(request: Request, session: DbSession) -> HTMLResponse:
    def short_list(sort: PaperSort, **filters: float) -> list[PaperSummary]:
        params = PaperListParams.model_validate({"sort": sort, "limit": SHORT_LIST, **filters})
        return list(queries.list_papers(session, params).items)

    # Browsing shows the categories that hold papers; the count on the front page is of those.
    roots = category_tree(session, hide_empty=True).categories
    counts = service.catalogue_counts(session).model_copy(update={"categories": _nodes(roots)})
    context = {
        "counts": counts,
        "categories": biggest_categories(roots),
        "suggested_searches": suggested_searches(session),
        "recent": short_list(PaperSort.ADDED),
        "top_rated": short_list(PaperSort.RATING, min_rating=1),
        "important": short_list(PaperSort.IMPORTANCE),
    }
    return render(request, "home.html", context)
