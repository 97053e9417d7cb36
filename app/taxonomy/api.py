"""JSON routes of the taxonomy's read side: the category tree and the tags, with their paper counts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.db import DbSession
from app.taxonomy import queries
from app.taxonomy.schemas import CategoryTree, CategoryTreeParams, TagList, TagListParams
from app.web.etag import NOT_MODIFIED_RESPONSE, conditional_model

# Reading needs no token, but a token sent must be valid: security is optional, not absent. FastAPI adds
# this empty requirement to the bearer one it declares for the app-wide dependency.
OPTIONAL_BEARER: dict[str, Any] = {"security": [{}]}

router = APIRouter(prefix="/api/v1", tags=["taxonomy"])


@router.get(
    "/categories",
    openapi_extra=OPTIONAL_BEARER,
    response_model=CategoryTree,
    summary="The category tree with paper counts",
    description=(
        "Every category, roots first in their curated order, each with its English and Chinese names, the "
        "papers filed in it (`paper_count`) and in it or below it (`total`). Conditional GET with ETag."
    ),
    responses=NOT_MODIFIED_RESPONSE,
)
def list_categories(
    request: Request, session: DbSession, _params: Annotated[CategoryTreeParams, Query()]
) -> Response:
    return conditional_model(request, queries.category_tree(session))


@router.get(
    "/tags",
    openapi_extra=OPTIONAL_BEARER,
    response_model=TagList,
    summary="Tags with paper counts",
    description=(
        "Tags, most used first (or by name), optionally only those whose slug or name starts with `q`. "
        "Conditional GET with ETag."
    ),
    responses=NOT_MODIFIED_RESPONSE,
)
def list_tags(request: Request, session: DbSession, params: Annotated[TagListParams, Query()]) -> Response:
    return conditional_model(request, queries.list_tags(session, params))
