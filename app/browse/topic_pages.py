"""A category's page and a tag's page: what it is, where it sits, and its papers in keyset pages.

They live with the catalogue because they list papers; the tree and tag indexes are app/taxonomy/pages.py.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.browse import queries
from app.catalog.schemas import PaperListParams, PaperSort
from app.db import DbSession
from app.errors import DomainError, NotFound
from app.taxonomy.queries import category_tree
from app.taxonomy.schemas import CategoryNode
from app.taxonomy.service import get_tag
from app.web.i18n import N_, _
from app.web.list_view import list_view
from app.web.templating import render

router = APIRouter(include_in_schema=False)
TOPIC_SORTS = {
    PaperSort.IMPORTANCE: N_("Most important"),
    PaperSort.NEWEST: N_("Newest first"),
    PaperSort.RATING: N_("Top rated (Bayesian average)"),
    PaperSort.TITLE: N_("Title A–Z"),
}
PAGE_SIZE = 20


def _path_to(nodes: list[CategoryNode], slug: str) -> list[CategoryNode] | None:
    """The categories from a root down to SLUG, or None when there is no such category."""
    for node in nodes:
        if node.slug == slug:
            return [node]
        below = _path_to(node.children, slug)
        if below is not None:
            return [node, *below]
    return None


def _papers(
    request: Request, session: Session, filters: dict[str, Any], sort: str | None, cursor: str | None
) -> dict[str, Any]:
    """A page of the topic's papers and the links around it; a stale or foreign cursor starts over."""
    chosen = PaperSort(sort) if sort in {item.value for item in TOPIC_SORTS} else PaperSort.IMPORTANCE
    try:
        params = PaperListParams.model_validate(
            {**filters, "sort": chosen, "limit": PAGE_SIZE, "cursor": cursor}
        )
        page = queries.list_papers(session, params)
    except (ValidationError, DomainError):
        params = PaperListParams.model_validate({**filters, "sort": chosen, "limit": PAGE_SIZE})
        page = queries.list_papers(session, params)
    base = request.url.path

    def at(cursor: str | None) -> str | None:
        return f"{base}?{urlencode({'sort': chosen.value, 'cursor': cursor})}" if cursor else None

    view = list_view(request)
    return {
        "page": page,
        "view": view,
        "notes": queries.note_lines(session, [item.id for item in page.items]) if view.is_compact else {},
        "previous_url": at(page.previous_cursor),
        "sort": chosen.value,
        "sort_options": [(item.value, _(label)) for item, label in TOPIC_SORTS.items()],
        "next_url": at(page.next_cursor),
        "first_url": f"{base}?{urlencode({'sort': chosen.value})}",
        "is_later_page": params.cursor is not None,
        "browse_url": f"{request.url_for('paper_list')}?{urlencode(params.filters().query_params())}",
    }


@router.get("/categories/{slug}", response_class=HTMLResponse, name="category_detail")
def category_detail(
    request: Request, session: DbSession, slug: str, sort: str | None = None, cursor: str | None = None
) -> HTMLResponse:
    path = _path_to(category_tree(session).categories, slug)
    if path is None:
        raise NotFound(f"No category {slug!r}.")
    context = {"category": path[-1], "ancestors": path[:-1]}
    context.update(_papers(request, session, {"category": slug}, sort, cursor))
    return render(request, "taxonomy/category.html", context)


@router.get("/tags/{slug}", response_class=HTMLResponse, name="tag_detail")
def tag_detail(
    request: Request, session: DbSession, slug: str, sort: str | None = None, cursor: str | None = None
) -> HTMLResponse:
    tag = get_tag(session, slug)
    context: dict[str, Any] = {"tag": tag}
    context.update(_papers(request, session, {"tag": [slug]}, sort, cursor))
    return render(request, "taxonomy/tag.html", context)
