"""The Bayesian average readers' ratings are ranked by: computed here, stored as `papers.rating_score`.

A paper's ratings count with PRIOR_WEIGHT imagined ratings of PRIOR_MEAN, so one 5-star vote does not outrank
many good ones; the average leans to the plain one as ratings add up.
"""

from __future__ import annotations

PRIOR_MEAN = 3.0
PRIOR_WEIGHT = 2


def stored_rating_score(average: float | None, count: int) -> float | None:
    """What `papers.rating_score` holds for COUNT ratings averaging AVERAGE: None when there are none."""
    return bayesian_rating(average, count) if count and average is not None else None


def bayesian_rating(average: float | None, count: int) -> float:
    """The Bayesian average of COUNT ratings whose plain average is AVERAGE."""
    return ((average or 0.0) * count + PRIOR_MEAN * PRIOR_WEIGHT) / (count + PRIOR_WEIGHT)
