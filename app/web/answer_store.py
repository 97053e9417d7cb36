"""The answers the response cache keeps: least recently used first out, all of one catalogue version.

A change to the catalogue drops every answer. A rating drops only the answers it can change: those that
showed the rated paper, depend on every rating, or never said what they showed (`app.rating_dependencies`).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from app.generation import CatalogueVersion
from app.rating_dependencies import RatingDependencies

CacheKey = tuple[str, bytes, str, bytes, str]


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: str | None
    ratings: RatingDependencies

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(name) + len(value) for name, value in self.headers)


class AnswerStore:
    """Least recently used answers, bounded by count and by bytes, all valid at `version`."""

    def __init__(self, *, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.version: CatalogueVersion | None = None
        self._answers: OrderedDict[CacheKey, StoredAnswer] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._answers)

    def needs_rating_changes(self, version: CatalogueVersion) -> bool:
        """Whether only ratings changed on the way to VERSION (so which papers they touched matters)."""
        current = self.version
        return (
            current is not None
            and current.generation == version.generation
            and current.rating_seq < version.rating_seq
        )

    def move_to(self, version: CatalogueVersion, rated_papers: set[int] | None = None) -> None:
        """Drop what VERSION made stale: everything, or (RATED_PAPERS known) the answers they change."""
        if version == self.version:
            return
        if rated_papers is not None and self.needs_rating_changes(version):
            changed = [key for key, kept in self._answers.items() if kept.ratings.is_changed_by(rated_papers)]
            for key in changed:
                self._bytes -= self._answers.pop(key).size
        else:
            self._answers.clear()
            self._bytes = 0
        self.version = version

    def get(self, key: CacheKey) -> StoredAnswer | None:
        answer = self._answers.get(key)
        if answer is not None:
            self._answers.move_to_end(key)
        return answer

    def put(self, key: CacheKey, answer: StoredAnswer) -> None:
        if answer.size > self.max_bytes:
            return
        previous = self._answers.pop(key, None)
        if previous is not None:
            self._bytes -= previous.size
        self._answers[key] = answer
        self._bytes += answer.size
        while len(self._answers) > self.max_entries or self._bytes > self.max_bytes:
            _, evicted = self._answers.popitem(last=False)
            self._bytes -= evicted.size
