"""List endpoints run a fixed number of queries whatever the page size: no N+1."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, select
from sqlalchemy.orm import Session

from app.browse.queries import refresh_lists
from app.taxonomy.models import Tag
from tests.factories import make_category, make_paper, make_rating, make_source, make_source_entry, make_tag

MAX_QUERIES = 12
# A facet with a value chosen is counted once more over the papers the other filters admit (so its other
# values say what choosing them as well would bring): a few more statements, the same for any size.
RELAXED_FACET_QUERIES = 4


@contextmanager
def counted(connection: Connection) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # The answer cache reads the generation once per request whatever the endpoint (and the tests' reader
        # re-arms PostgreSQL's once-per-transaction bump with set_config): not the endpoint's queries.
        if statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")) or any(
            marker in statement for marker in ("catalogue_generation", "set_config(")
        ):
            return
        statements.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", record)


def _fill(db: Session, count: int) -> None:
    category = make_category(db, "qc-models")
    source = make_source(db, "qc-list")
    tags = [make_tag(db, f"qc-tag-{n}") for n in range(3)]
    for n in range(count):
        paper = make_paper(
            db,
            f"Query count paper {n}",
            authors=[f"Author {n}", f"Author {n + 1}"],
            categories=[category],
            tags=tags[: 1 + n % 3],
            summary="查询计数 summary",
            year=2000 + n % 20,
        )
        make_source_entry(db, source, paper, note="笔记 note")
        make_rating(db, paper, score=1 + n % 5)
    db.commit()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/papers?limit={n}",
        "/api/v1/papers?limit={n}&sort=title&tag=qc-tag-0&category=qc-models",
        "/api/v1/papers?limit={n}&q=query%20计数",
        "/api/v1/papers?limit={n}&q=paper&sort=newest&source=qc-list",
    ],
)
def test_a_page_costs_the_same_queries_for_5_or_40_papers(
    client: TestClient, db: Session, connection: Connection, url: str
) -> None:
    _fill(db, 45)
    costs = []
    for size in (5, 40):
        with counted(connection) as statements:
            response = client.get(url.format(n=size))
        assert response.status_code == 200, response.text
        assert len(response.json()["items"]) == size
        costs.append(len(statements))
    assert costs[0] == costs[1], costs
    assert costs[0] <= MAX_QUERIES


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/papers/facets",
        "/api/v1/papers/facets?tag=qc-tag-1&q=paper",
        "/api/v1/categories",
        "/api/v1/tags",
    ],
)
def test_aggregate_reads_cost_the_same_for_small_and_larger_catalogues(
    client: TestClient, db: Session, connection: Connection, url: str
) -> None:
    _fill(db, 3)
    costs = []
    for more in (0, 30):
        tag = db.scalar(select(Tag).where(Tag.slug == "qc-tag-1"))
        for _ in range(more):
            make_paper(db, tags=[tag] if tag else [], summary="paper")
        db.commit()
        with counted(connection) as statements:
            assert client.get(url).status_code == 200
        costs.append(len(statements))
    assert costs[0] == costs[1], costs
    assert costs[0] <= MAX_QUERIES + (RELAXED_FACET_QUERIES if "tag=" in url else 0)


def test_a_paper_detail_costs_a_fixed_number_of_queries(
    client: TestClient, db: Session, connection: Connection
) -> None:
    _fill(db, 30)
    refresh_lists(db)  # as deployed: every paper's related papers stored
    db.commit()
    costs = []
    for n in (0, 29):
        paper_id = client.get("/api/v1/papers", params={"sort": "title", "limit": 30}).json()["items"][n][
            "id"
        ]
        with counted(connection) as statements:
            assert client.get(f"/api/v1/papers/{paper_id}").status_code == 200
        costs.append(len(statements))
    assert costs[0] == costs[1], costs
    assert costs[0] <= MAX_QUERIES
