"""JSON routes that merge duplicates: papers, categories and tags (editors only)."""

from __future__ import annotations

from fastapi import APIRouter

from app.browse import queries
from app.browse.schemas import PaperDetail
from app.browse.write_api import Editor, PaperId, SlugPath
from app.catalog import service
from app.catalog.api_errors import errors
from app.catalog.write_schemas import PaperMerge
from app.curation import merging
from app.db import DbSession
from app.taxonomy import service as taxonomy
from app.taxonomy.write_schemas import CategoryRead, MergeRequest, TagRead

router = APIRouter(prefix="/api/v1", tags=["papers"])
taxonomy_router = APIRouter(prefix="/api/v1", tags=["taxonomy"])


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
