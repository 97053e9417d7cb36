"""JSON routes of the read side: list and search papers, facets, a paper, lookup by identifier."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from app.accounts.dependencies import OptionalUser
from app.browse import queries
from app.browse.schemas import PaperDetail
from app.catalog import paper_path as _paper_path  # noqa: F401 - the {paper_id:paper} segment
from app.catalog.schemas import (
    ApiError,
    Facets,
    LookupParams,
    PaperFilters,
    PaperListParams,
    PaperLookup,
    PaperPage,
)
from app.db import MAX_ID, DbSession
from app.rating_dependencies import describe_ratings
from app.web.etag import NOT_MODIFIED_RESPONSE, conditional_model

# Reading needs no token, but a token sent must be valid: security is optional, not absent. FastAPI adds
# this empty requirement to the bearer one it declares for the app-wide dependency.
OPTIONAL_BEARER: dict[str, Any] = {"security": [{}]}

router = APIRouter(prefix="/api/v1", tags=["papers"])

BAD_TOKEN: dict[int | str, dict[str, Any]] = {
    401: {"model": ApiError, "description": "The API token sent is unknown or revoked (reading needs none)"},
}
BAD_FILTERS: dict[int | str, dict[str, Any]] = {
    422: {
        "model": ApiError,
        "description": "A parameter is invalid or unknown, the cursor belongs to other filters, "
        "or q holds nothing to search for",
    },
}

LIST_DESCRIPTION = """
Every given filter must hold. `q` searches titles, short names, the names of categories and tags in English
and Chinese, section headings, authors, summaries, list notes and identifiers: English words match their
inflections and prefixes (`align` finds *alignment*), a Chinese word matches by its character pairs (`微调`
finds papers whose notes say 微调). Case, hyphens, full-width forms, letters next to digits (`gpt3` = `GPT-3`)
and Traditional Chinese (`思維鏈` = `思维链`) do not matter.

**Glossary expansion.** A term of the bilingual glossary also searches its other names, in both directions,
a few names at most: `q=思维链` also searches *chain-of-thought* and *CoT*; `q=Flan-T5` also searches the
title *Scaling Instruction-Finetuned Language Models*. The answer lists them in `also_searched`.

**Identifiers.** An arXiv id in any form (`1706.03762`, `arXiv:2312.00752v2`, an abs or pdf URL), a DOI or
doi.org URL, or a link the catalogue holds answers with that paper alone, and `identifier` says which kind
matched.

**Typos.** When a query finds fewer than three papers, its misspelt words (five letters or more) are
corrected against the catalogue's own words and offered as `did_you_mean`; when it finds nothing, the items
are those of the corrected query and `showing_results_for` says so (pass it as `q` for further pages).

**Ranking** (sort=relevance, the same on SQLite and PostgreSQL): an exact title or short-name match first,
then a title holding the query as a phrase, then matches in titles, then category and tag names, authors,
and notes; ties go to curator importance, then a Bayesian average of readers' ratings.

Pages follow a cursor: pass `next_cursor` back as `cursor` with the same filters and sort; pages stay free of
duplicates and gaps when papers are added meanwhile. Papers without the sort value (no year, say) come last.
`total` counts up to 10,000 matches; beyond that it is a lower bound and `total_is_approximate` is true.
Sorted by relevance, the first 600 matches are ranked, those matching in titles first. With `q`, each
paper carries highlighted `snippets`.

Responses carry an ETag; send it back in If-None-Match to get 304 Not Modified when nothing changed.
"""


@router.get(
    "/papers",
    openapi_extra=OPTIONAL_BEARER,
    response_model=PaperPage,
    summary="List, filter and search papers",
    description=LIST_DESCRIPTION,
    responses={**NOT_MODIFIED_RESPONSE, **BAD_TOKEN, **BAD_FILTERS},
)
def list_papers(
    request: Request, session: DbSession, _user: OptionalUser, params: Annotated[PaperListParams, Query()]
) -> Response:
    describe_ratings()
    return conditional_model(request, queries.list_papers(session, params))


@router.get(
    "/papers/facets",
    openapi_extra=OPTIONAL_BEARER,
    response_model=Facets,
    summary="Counts per category, tag, year, venue and list",
    description=(
        "The same filters as listing papers. Each value says how many matching papers have it and gives "
        "`toggle_query`, the query of the current filters with that value switched on or off. Categories "
        "come as a tree: `count` papers filed in the category itself, `total` in it and below it. Under a "
        "filter the counts cover the first 5,000 matching papers (`is_approximate` says when there were "
        "more)."
    ),
    responses={**NOT_MODIFIED_RESPONSE, **BAD_TOKEN, **BAD_FILTERS},
)
def paper_facets(
    request: Request, session: DbSession, _user: OptionalUser, filters: Annotated[PaperFilters, Query()]
) -> Response:
    describe_ratings()
    return conditional_model(request, queries.facet_counts(session, filters))


@router.get(
    "/papers/lookup",
    openapi_extra=OPTIONAL_BEARER,
    response_model=PaperLookup,
    summary="Find a paper by arXiv id, DOI, URL or title",
    description=(
        "Check before creating: finds the catalogued paper any form of an identifier names — an arXiv id "
        "with or without version, an abs/pdf/versioned arXiv URL, a DOI or doi.org URL, a link, or a title "
        "(compared without case, punctuation or spacing). Identifiers are tried from the strongest; "
        "`paper` is null when none matches."
    ),
    responses={
        **BAD_TOKEN,
        422: {
            "model": ApiError,
            "description": "No identifier given, or one that cannot be an arXiv id or DOI",
        },
    },
)
def lookup_paper(
    session: DbSession, _user: OptionalUser, params: Annotated[LookupParams, Query()]
) -> PaperLookup:
    return queries.lookup_paper(session, params)


@router.get(
    "/papers/{paper_id:paper}",
    openapi_extra=OPTIONAL_BEARER,
    response_model=PaperDetail,
    summary="Everything about one paper",
    description=(
        "Authors, links, identifiers, the summary, categories, tags, where each list mentions the paper "
        "(section, position, note, curator stars), the ratings with their distribution, and up to five "
        "related papers with the reasons they are related (shared authors, tags and categories, rarer ones "
        "weighing more). Conditional GET with ETag / If-None-Match."
    ),
    responses={
        **NOT_MODIFIED_RESPONSE,
        **BAD_TOKEN,
        404: {"model": ApiError, "description": "No paper with this id"},
        422: {"model": ApiError, "description": "The id is not a positive 32-bit integer"},
    },
)
def get_paper(
    request: Request,
    session: DbSession,
    _user: OptionalUser,
    paper_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The paper's id", examples=[1])],
) -> Response:
    describe_ratings()
    return conditional_model(request, queries.get_paper_detail(session, paper_id))
