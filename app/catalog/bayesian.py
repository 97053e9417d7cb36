"""The Bayesian average readers' ratings are ranked by, in Python and in SQL alike.

A paper's ratings count with PRIOR_WEIGHT imagined ratings of PRIOR_MEAN, so one 5-star vote does not outrank
many good ones; the average leans to the plain one as ratings add up.
"""

from __future__ import annotations

from app.catalog.models import Paper

PRIOR_MEAN = 3.0
PRIOR_WEIGHT = 2

# Stored when the ratings change (`ratings.service.refresh_paper_rating`), None while there are none.
BAYESIAN_RATING = Paper.rating_score


def stored_rating_score(average: float | None, count: int) -> float | None:
    """What `papers.rating_score` holds for COUNT ratings averaging AVERAGE: None when there are none."""
    return bayesian_rating(average, count) if count and average is not None else None


def bayesian_rating(average: float | None, count: int) -> float:
    """The Bayesian average of COUNT ratings whose plain average is AVERAGE."""
    return ((average or 0.0) * count + PRIOR_MEAN * PRIOR_WEIGHT) / (count + PRIOR_WEIGHT)
