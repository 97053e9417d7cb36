"""JSON routes that change the catalogue: add, edit, delete and merge papers; manage categories and tags.

They answer with the paper's detail, which tells its ratings and lists too, so they sit on the read side's
layer.

The taxonomy's write routes live here rather than in app/taxonomy: they need the signed-in user, and
accounts and the taxonomy sit on the same layer, which may not import each other.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response, status

from app.accounts.dependencies import CurrentUser
from app.accounts.models import Role, User
from app.accounts.permissions import require_role
from app.browse import queries
from app.browse.schemas import PaperDetail
from app.catalog import filling, merging, service
from app.catalog import paper_path as _paper_path  # noqa: F401 - the {paper_id:paper} segment
from app.catalog.api_errors import errors
from app.catalog.field_sources import record_field_sources
from app.catalog.schemas import SLUG_PATTERN
from app.catalog.write_schemas import PaperAdd, PaperMerge, PaperUpdate
from app.db import MAX_ID, DbSession
from app.taxonomy import service as taxonomy
from app.taxonomy.write_schemas import (
    CategoryCreate,
    CategoryRead,
    CategoryUpdate,
    MergeRequest,
    TagCreate,
    TagRead,
    TagUpdate,
)

router = APIRouter(prefix="/api/v1", tags=["papers"])
taxonomy_router = APIRouter(prefix="/api/v1", tags=["taxonomy"])

PaperId = Annotated[int, Path(ge=1, le=MAX_ID, description="The paper's id", examples=[1])]
SlugPath = Annotated[str, Path(min_length=1, max_length=80, pattern=SLUG_PATTERN, examples=["agents"])]


def editor_user(user: CurrentUser) -> User:
    return require_role(user, Role.EDITOR)


Editor = Annotated[User, Depends(editor_user)]


# --- papers ----------------------------------------------------------------------------


@router.post(
    "/papers",
    status_code=status.HTTP_201_CREATED,
    response_model=PaperDetail,
    summary="Add a paper",
    description=(
        "Any signed-in member may add a paper. The arXiv id and DOI are normalised (an abs/pdf URL or "
        "`arXiv:2005.14165v2` becomes `2005.14165`), the arXiv id is read from the URL when omitted, and "
        "the year follows from it. A paper already catalogued (same arXiv id, DOI, or title ignoring case "
        "and punctuation) answers 409 with the existing paper. Unknown category slugs are refused; tags "
        "are created as needed. The answer is the new paper, with its address in `Location`.\n\n"
        'Send just `{"arxiv_id": ...}` or `{"doi": ...}` (no title) to have the rest filled from arXiv '
        "or Crossref; fields you do send win. That answers 422 when the source has no such paper or "
        "looking papers up is off here (`code` `metadata_fetch_off`), and 503 when the source cannot be "
        "reached."
    ),
    responses={
        **errors(401, 403, 409, 422, 429),
        503: {"description": "arXiv or Crossref could not be reached or kept failing; try again later"},
    },
)
def add_paper(
    request: Request, session: DbSession, user: CurrentUser, data: PaperAdd, response: Response
) -> PaperDetail:
    created, filled = filling.complete_paper(session, request.app.state.settings, data)
    paper = service.create_paper(session, created, added_by=user)
    record_field_sources(session, paper.id, filled)
    response.headers["Location"] = f"/api/v1/papers/{paper.id}"
    return queries.get_paper_detail(session, paper.id)


@router.patch(
    "/papers/{paper_id:paper}",
    response_model=PaperDetail,
    summary="Edit a paper",
    description=(
        "Editors may edit any paper, members the papers they added. Only the fields sent change; `null` "
        "clears an optional field; `authors`, `categories` and `tags` replace the whole list. An edited "
        "paper is marked curated, so re-importing its lists never overwrites the edit."
    ),
    responses=errors(401, 403, 404, 409, 422, 429, e409="Another paper has this arXiv id, DOI or title"),
)
def edit_paper(session: DbSession, user: CurrentUser, paper_id: PaperId, data: PaperUpdate) -> PaperDetail:
    paper = service.get_paper(session, paper_id, for_update=True)
    service.update_paper(session, paper, data, user=user)
    return queries.get_paper_detail(session, paper.id)


@router.delete(
    "/papers/{paper_id:paper}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Delete a paper",
    description="Editors may delete any paper, members the papers they added. Its ratings go with it.",
    responses=errors(401, 403, 404, 422, 429),
)
def delete_paper(session: DbSession, user: CurrentUser, paper_id: PaperId) -> Response:
    service.delete_paper(session, service.get_paper(session, paper_id, for_update=True), user=user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/papers/{paper_id:paper}/merge",
    response_model=PaperDetail,
    summary="Merge a duplicate into this paper",
    description=(
        "Editors only. The duplicate's ratings move over (one per person: the newer is kept), as do the "
        "list entries that mention it, its categories and tags; its authors are taken when this paper has "
        "none, and each empty field of this paper is filled from it. Then the duplicate is deleted."
    ),
    responses=errors(
        401, 403, 404, 422, 429, e404="No paper with this id, or no duplicate with `duplicate_id`"
    ),
)
def merge_paper(session: DbSession, user: Editor, paper_id: PaperId, data: PaperMerge) -> PaperDetail:
    kept = service.get_paper(session, paper_id, for_update=True)
    duplicate = service.get_paper(session, data.duplicate_id, for_update=True)
    merging.merge_papers(session, kept, duplicate, user=user)
    return queries.get_paper_detail(session, kept.id)


# --- categories and tags ------------------------------------------------------------------


@taxonomy_router.post(
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


@taxonomy_router.patch(
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


@taxonomy_router.post(
    "/categories/{slug}/merge",
    response_model=CategoryRead,
    summary="Merge a duplicate category into this one",
    description=(
        "Editors only. The duplicate's papers and subcategories move to this category, paper counts stay "
        "exact, and the duplicate is deleted."
    ),
    responses=errors(401, 403, 404, 422, 429),
)
def merge_category(session: DbSession, user: Editor, slug: SlugPath, data: MergeRequest) -> CategoryRead:
    kept = taxonomy.get_category(session, slug)
    merged = merging.merge_categories(
        session, kept, taxonomy.get_category(session, data.duplicate), user=user
    )
    return taxonomy.category_read(session, merged)


@taxonomy_router.post(
    "/tags",
    status_code=status.HTTP_201_CREATED,
    response_model=TagRead,
    summary="Create a tag",
    description="Editors only. The slug follows from the name unless given.",
    responses=errors(401, 403, 409, 422, 429, e409="A tag with this slug exists; `existing` names it"),
)
def create_tag(session: DbSession, _editor: Editor, data: TagCreate) -> TagRead:
    slug = data.slug or service.tag_slug(data.name)
    return TagRead.model_validate(taxonomy.create_tag(session, name=data.name, slug=slug))


@taxonomy_router.patch(
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


@taxonomy_router.post(
    "/tags/{slug}/merge",
    response_model=TagRead,
    summary="Merge a duplicate tag into this one",
    description=(
        "Editors only. Papers with the duplicate get this tag, counts stay exact, the duplicate is deleted."
    ),
    responses=errors(401, 403, 404, 422, 429),
)
def merge_tag(session: DbSession, user: Editor, slug: SlugPath, data: MergeRequest) -> TagRead:
    kept = taxonomy.get_tag(session, slug)
    merged = merging.merge_tags(session, kept, taxonomy.get_tag(session, data.duplicate), user=user)
    return TagRead.model_validate(merged)
