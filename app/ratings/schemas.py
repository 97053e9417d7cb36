"""What a rating looks like going in and coming out, and a paper's rating summary."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from app.catalog.schemas import PRINTABLE_PATTERN

MAX_COMMENT_CHARS = 5000


def _not_a_boolean(value: object) -> object:
    # JSON true would otherwise pass as the integer 1; form text such as "4" still converts.
    if isinstance(value, bool):
        raise ValueError("Input should be a whole number from 1 to 5, not true or false")
    return value


Comment = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=MAX_COMMENT_CHARS, pattern=PRINTABLE_PATTERN)
]


class RatingIn(BaseModel):
    """Your score of a paper from 1 to 5, with an optional comment; sending it again replaces it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"score": 5, "comment": "The paper that started it all."}]},
    )

    score: Annotated[int, BeforeValidator(_not_a_boolean)] = Field(
        ge=1, le=5, description="1 (weak) to 5 (essential)."
    )
    comment: Comment | None = Field(default=None, description=f"At most {MAX_COMMENT_CHARS} characters.")


class RatingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    paper_id: int
    username: str
    score: int
    comment: str | None
    created_at: datetime
    updated_at: datetime


class RatingBucket(BaseModel):
    score: int = Field(ge=1, le=5)
    count: int = Field(ge=0)


class RatingSummary(BaseModel):
    """How a paper is rated: count, average and how many gave each score."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "paper_id": 1,
                    "count": 3,
                    "average": 4.33,
                    "distribution": [
                        {"score": s, "count": c} for s, c in ((1, 0), (2, 0), (3, 0), (4, 2), (5, 1))
                    ],
                }
            ]
        }
    )

    paper_id: int
    count: int = Field(ge=0)
    average: float | None = Field(description="Rounded to two decimals; null until someone rates.")
    distribution: list[RatingBucket] = Field(description="How many ratings gave each score, 1 to 5.")

    def counts(self) -> dict[int, int]:
        return {bucket.score: bucket.count for bucket in self.distribution}


class RatingResult(BaseModel):
    """The rating as stored, and the paper's summary after it."""

    rating: RatingRead
    summary: RatingSummary


class RatingPage(BaseModel):
    """One page of a paper's ratings, newest first; pass `next_cursor` back as `cursor` for the next."""

    summary: RatingSummary
    items: list[RatingRead]
    next_cursor: str | None = None
