"""/categories (the whole tree with counts) and /tags (every tag, most used first or by name).

A category's or a tag's own page lists papers, which the catalogue owns: see app/catalog/topic_pages.py.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.db import DbSession
from app.taxonomy.queries import category_tree, list_tags
from app.taxonomy.schemas import TagListParams, TagSort
from app.web.templating import render

router = APIRouter(include_in_schema=False)
MAX_TAGS_SHOWN = 1000


@router.get("/categories", response_class=HTMLResponse, name="category_list")
def category_list(request: Request, session: DbSession) -> HTMLResponse:
    return render(request, "taxonomy/categories.html", {"tree": category_tree(session, hide_empty=True)})


@router.get("/tags", response_class=HTMLResponse, name="tag_list")
def tag_list(request: Request, session: DbSession, sort: TagSort = TagSort.COUNT) -> HTMLResponse:
    tags = list_tags(session, TagListParams(sort=sort, limit=MAX_TAGS_SHOWN))
    most = max((tag.paper_count for tag in tags.items), default=0)
    # Four sizes by share of the most used tag, so the cloud shows at a glance what the catalogue is about.
    weights = {tag.slug: 1 + min(3, int(4 * tag.paper_count / most)) if most else 1 for tag in tags.items}
    return render(request, "taxonomy/tags.html", {"tags": tags, "weights": weights, "sort": sort.value})
