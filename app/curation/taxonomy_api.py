"""Editors' JSON routes for the taxonomy: create, rename and move categories; create and rename tags.

They live above the taxonomy because they need the signed-in user, and accounts and the taxonomy sit on the
same layer, which may not import each other.
"""

from __future__ import annotations

from fastapi import APIRouter, status

from app.browse.write_api import Editor, SlugPath
from app.catalog.api_errors import errors
from app.db import DbSession
from app.taxonomy import service as taxonomy
from app.taxonomy.write_schemas import (
    CategoryCreate,
    CategoryRead,
    CategoryUpdate,
    TagCreate,
    TagRead,
    TagUpdate,
)

router = APIRouter(prefix="/api/v1", tags=["taxonomy"])


@router.post(
    "/categories",
    status_code=status.HTTP_201_CREATED,
    response_model=CategoryRead,
    summary="Create a category",
    description=(
        "Editors only. A category has an English and an optional Chinese name, and may sit under a parent."
    ),
    responses=errors(401, 403, 409, 422, 429, e409="A category with this slug exists; `existing` names it"),
)
def create_category(session: DbSession, _editor: Editor, data: CategoryCreate) -> CategoryRead:
    return taxonomy.category_read(session, taxonomy.create_category(session, data))


@router.patch(
    "/categories/{slug}",
    response_model=CategoryRead,
    summary="Rename or move a category",
    description=(
        "Editors only. Change the names, the slug, the description, the position among siblings or the "
        "parent (`parent: null` makes it top-level). Moving a category beneath itself is refused (422)."
    ),
    responses=errors(401, 403, 404, 409, 422, 429, e409="Another category has the new slug"),
)
def update_category(
    session: DbSession, _editor: Editor, slug: SlugPath, data: CategoryUpdate
) -> CategoryRead:
    category = taxonomy.update_category(session, taxonomy.get_category(session, slug), data)
    return taxonomy.category_read(session, category)


@router.post(
    "/tags",
    status_code=status.HTTP_201_CREATED,
    response_model=TagRead,
    summary="Create a tag",
    description="Editors only. The slug follows from the name unless given.",
    responses=errors(401, 403, 409, 422, 429, e409="A tag with this slug exists; `existing` names it"),
)
def create_tag(session: DbSession, _editor: Editor, data: TagCreate) -> TagRead:
    return TagRead.model_validate(taxonomy.create_tag(session, name=data.name, slug=data.slug))


@router.patch(
    "/tags/{slug}",
    response_model=TagRead,
    summary="Rename a tag",
    description="Editors only. Change the display name, the slug, or both; to join two tags, merge them.",
    responses=errors(
        401, 403, 404, 409, 422, 429, e409="Another tag has the new slug; merge the two instead"
    ),
)
def rename_tag(session: DbSession, _editor: Editor, slug: SlugPath, data: TagUpdate) -> TagRead:
    return TagRead.model_validate(taxonomy.rename_tag(session, taxonomy.get_tag(session, slug), data))
