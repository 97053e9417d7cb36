"""What of readers' ratings an answer showed, so that a new rating drops only the cached answers it changes.

The answer cache opens a record around each answer it may keep. The read side notes in it the papers whose
ratings it showed or used (`show_ratings_of`: listed papers, the candidates a search broke ties among) and
whether the answer depends on every rating (`depend_on_every_rating`: sorted or filtered by rating). An
endpoint that has noted everything it shows calls `describe_ratings`; an answer whose endpoint did not is
dropped by any rating, which is always safe.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(slots=True)
class RatingDependencies:
    is_described: bool = False
    on_every_rating: bool = False
    paper_ids: set[int] = field(default_factory=set)

    def is_changed_by(self, rated_papers: set[int]) -> bool:
        """Whether new ratings of RATED_PAPERS can change an answer with these dependencies."""
        return not self.is_described or self.on_every_rating or not self.paper_ids.isdisjoint(rated_papers)


_current: ContextVar[RatingDependencies | None] = ContextVar("rating_dependencies", default=None)


@contextmanager
def recording() -> Iterator[RatingDependencies]:
    """A fresh record for the answer computed inside; work handed to threads shares it (same object)."""
    record = RatingDependencies()
    token = _current.set(record)
    try:
        yield record
    finally:
        _current.reset(token)


def show_ratings_of(paper_ids: Iterable[int]) -> None:
    record = _current.get()
    if record is not None:
        record.paper_ids.update(paper_ids)


def depend_on_every_rating() -> None:
    record = _current.get()
    if record is not None:
        record.on_every_rating = True


def describe_ratings() -> None:
    """The endpoint vouches that every rating its answer shows was noted through the calls above."""
    record = _current.get()
    if record is not None:
        record.is_described = True
