"""GET /api/v1/metadata: what arXiv or Crossref say about an identifier, and whether it is catalogued already.

It lives with the catalogue because it reads identifiers in every form the catalogue accepts and names the
paper that is already here; the fetching itself is the metadata domain's.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict

from app.accounts.dependencies import CurrentUser
from app.catalog import filling, service
from app.catalog.api_errors import errors
from app.db import DbSession
from app.errors import InvalidInput
from app.metadata.schemas import PaperMetadata
from app.web.ratelimit import Limit, enforce

router = APIRouter(prefix="/api/v1", tags=["papers"])

IdentifierText = Annotated[str | None, Query(min_length=1, max_length=2000)]


class ExistingPaper(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    slug: str
    title: str
    url: str | None


class MetadataPreview(BaseModel):
    model_config = ConfigDict(extra="forbid")

    identifier: str
    record: PaperMetadata
    existing: ExistingPaper | None


@router.get(
    "/metadata",
    response_model=MetadataPreview,
    summary="Preview a paper's record from arXiv or Crossref",
    description=(
        "Signed-in members only (it asks outside services). Give `arxiv_id` (any id or arXiv URL), `doi` "
        "(a DOI or doi.org URL) or `q` (either). The record comes from the local cache when the identifier "
        "was looked up before, else from arXiv or Crossref. `existing` names the catalogued paper with this "
        "identifier or title. 422 when nothing identifies a paper, the source has no such paper, or looking "
        "papers up is off on this server (`code` is `metadata_fetch_off`); 503 when the source cannot be "
        "reached."
    ),
    responses={
        **errors(401, 403, 422, 429),
        503: {"description": "arXiv or Crossref could not be reached or kept failing; try again later"},
    },
)
def preview_metadata(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    *,
    arxiv_id: IdentifierText = None,
    doi: IdentifierText = None,
    q: IdentifierText = None,
) -> MetadataPreview:
    settings = request.app.state.settings
    # Each look-up may ask an outside service: counted like a change, so one account cannot flood them.
    limit = Limit(settings.writes_per_user, settings.write_window_seconds)
    enforce(request, f"write:user:{user.id}", limit, what="look-ups")
    text = arxiv_id or doi or q or ""
    identifier = filling.identifier_from_text(text)
    if identifier is None or (arxiv_id and identifier.kind != "arxiv"):
        raise InvalidInput(
            "Give an arXiv id or URL, or a DOI.",
            fields={"arxiv_id" if arxiv_id else "doi" if doi else "q": "Not an arXiv id or DOI."},
        )
    record = filling.fetch_record(session, settings, identifier)
    existing = service.find_existing(session, arxiv_id=record.arxiv_id, doi=record.doi, title=record.title)
    return MetadataPreview(
        identifier=str(identifier),
        record=record,
        existing=ExistingPaper.model_validate(service.existing_summary(existing)) if existing else None,
    )
