"""The front page: what the catalogue holds, a search box, its categories, and three short lists of papers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.catalog import queries
from app.catalog.schemas import PaperListParams, PaperSort, PaperSummary
from app.db import DbSession
from app.system import service
from app.taxonomy.queries import category_tree
from app.taxonomy.schemas import CategoryNode
from app.web.templating import render

router = APIRouter(include_in_schema=False)
SHORT_LIST = 5
CATEGORY_TILES = 8


def biggest_categories(roots: list[CategoryNode]) -> list[CategoryNode]:
    """The top-level categories holding the most papers, by the tree's maintained counts (as /categories
    shows them), so the front page counts nothing over the papers themselves."""
    return sorted(roots, key=lambda node: -node.total)[:CATEGORY_TILES]


def _nodes(nodes: list[CategoryNode]) -> int:
    return sum(1 + _nodes(node.children) for node in nodes)


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
        "recent": short_list(PaperSort.ADDED),
        "top_rated": short_list(PaperSort.RATING, min_rating=1),
        "important": short_list(PaperSort.IMPORTANCE),
    }
    return render(request, "home.html", context)
