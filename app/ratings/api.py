"""JSON routes for rating papers: your rating (put, delete) and everyone's ratings with comments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.accounts.dependencies import CurrentUser, OptionalUser
from app.catalog import paper_path as _paper_path  # noqa: F401 - the {paper_id:paper} segment
from app.catalog.api_errors import errors
from app.db import MAX_ID, DbSession
from app.ratings import service
from app.ratings.schemas import RatingIn, RatingPage, RatingResult, RatingSummary

router = APIRouter(prefix="/api/v1", tags=["ratings"])

PaperId = Annotated[int, Path(ge=1, le=MAX_ID, description="The paper's id", examples=[1])]


@router.put(
    "/papers/{paper_id:paper}/rating",
    response_model=RatingResult,
    summary="Rate a paper (or change your rating)",
    description=(
        "One rating per person and paper: sending again replaces your score and comment. Concurrent "
        "ratings are never lost; the paper's average and count are updated in the same transaction. "
        "The answer holds your rating and the paper's new summary."
    ),
    responses=errors(401, 403, 404, 422, 429, e429="Too many ratings in a short time; see `retry_after`"),
)
def rate_paper(session: DbSession, user: CurrentUser, paper_id: PaperId, data: RatingIn) -> RatingResult:
    rating = service.rate_paper(session, paper_id, user, score=data.score, comment=data.comment)
    return RatingResult(
        rating=service.rating_read(session, rating), summary=service.rating_summary(session, paper_id)
    )


@router.delete(
    "/papers/{paper_id:paper}/rating",
    response_model=RatingSummary,
    summary="Withdraw your rating",
    description="Deletes your own rating of the paper; the answer is the paper's summary without it.",
    responses=errors(401, 403, 404, 422, 429, e404="No such paper, or you have not rated it"),
)
def withdraw_rating(session: DbSession, user: CurrentUser, paper_id: PaperId) -> RatingSummary:
    service.remove_rating(session, paper_id, user)
    return service.rating_summary(session, paper_id)


@router.get(
    "/papers/{paper_id:paper}/ratings",
    response_model=RatingPage,
    summary="A paper's ratings with comments",
    description=(
        "The paper's summary (count, average, how many gave each score) and its ratings, most recently "
        "changed first, `limit` at a time; pass `next_cursor` back as `cursor` for the next page."
    ),
    responses=errors(401, 404, 422, e401="The API token sent is unknown or revoked (reading needs none)"),
)
def list_ratings(
    session: DbSession,
    _user: OptionalUser,
    paper_id: PaperId,
    limit: Annotated[int, Query(ge=1, le=service.MAX_PAGE_SIZE, description="Ratings per page")] = 20,
    cursor: Annotated[
        str | None, Query(min_length=1, max_length=200, description="From the last page")
    ] = None,
) -> RatingPage:
    return service.list_ratings(session, paper_id, limit=limit, cursor=cursor)
