"""JSON routes that add, edit and delete papers, and the editor check of write routes.

They answer with the paper's detail, which tells its ratings and lists too, so they sit on the read side's
layer. Merging duplicates and shaping the taxonomy are editors' work across domains: app/curation.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response, status

from app.accounts.dependencies import CurrentUser
from app.accounts.models import Role, User
from app.accounts.permissions import require_role
from app.browse import queries
from app.browse.schemas import PaperDetail
from app.catalog import filling, service
from app.catalog import paper_path as _paper_path  # noqa: F401 - the {paper_id:paper} segment
from app.catalog.api_errors import errors
from app.catalog.field_sources import record_field_sources
from app.catalog.schemas import SLUG_PATTERN
from app.catalog.write_schemas import PaperAdd, PaperUpdate
from app.db import MAX_ID, DbSession

router = APIRouter(prefix="/api/v1", tags=["papers"])

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
