"""Sorted lists under filters that admit many papers are read along the sort's index: the same pages."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.browse.queries import listing, matching
from app.config import Settings
from tests.factories import make_paper, make_rating, make_tag, make_user
from tests.web.browsing import client_with

PAPERS = "/api/v1/papers"


def _every_page(client: TestClient, params: dict[str, Any]) -> list[int]:
    seen: list[int] = []
    cursor = None
    for _ in range(50):
        page = client.get(PAPERS, params={**params, **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen
    raise AssertionError("pagination did not end")


def test_the_walk_along_the_sort_index_gives_the_pages_a_sort_gives(
    settings: Settings, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    tag = make_tag(db, "common")
    readers = [make_user(db) for _ in range(3)]
    scores = itertools.cycle([5, 3, 4, 1, 2, 5, 4])
    for number in range(40):
        paper = make_paper(
            db, f"Walked Paper {number}", year=2020 + number % 3, tags=[tag] if number % 4 else []
        )
        for reader in readers[: number % 4]:  # a quarter of the papers without ratings
            make_rating(db, paper, reader, score=next(scores))
    db.commit()
    queries: list[dict[str, Any]] = [
        {"sort": "rating", "year_from": 2021, "year_to": 2021, "limit": 4},
        {"sort": "rating", "tag": "common", "limit": 3},
        {"sort": "rating", "tag": "common", "year_from": 2020, "year_to": 2021, "limit": 5},
        {"sort": "newest", "tag": "common", "limit": 4},
        {"sort": "title", "tag": "common", "limit": 6},
        {"sort": "added", "year_from": 2021, "limit": 7},
    ]
    with client_with(settings, db, response_cache_entries=0) as client:
        sorted_first = [_every_page(client, query) for query in queries]
        # Past this bound the filters admit "many" papers; small batches make each page take several.
        monkeypatch.setattr(matching, "COUNT_BOUND", 2)
        monkeypatch.setattr(listing, "WALK_BATCH_MAX", 3)
        walks: list[int] = []
        walk = listing._walked_along_the_sort

        def counted_walk(*args: Any, **kwargs: Any) -> Any:
            walks.append(1)
            return walk(*args, **kwargs)

        monkeypatch.setattr(listing, "_walked_along_the_sort", counted_walk)
        walked = [_every_page(client, query) for query in queries]
    assert len(walks) >= len(queries)
    assert walked == sorted_first
    assert all(len(ids) == len(set(ids)) > 5 for ids in walked)
