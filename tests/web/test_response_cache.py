"""The answer cache: repeated anonymous reads come from it, and no answer outlives a catalogue change."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import anyio
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, text, update
from sqlalchemy.orm import Session

from app.accounts.models import Role
from app.catalog.models import Paper, PaperTag
from app.config import Settings
from app.db import make_session_factory, transaction
from app.generation import (
    CatalogueVersion,
    EngineGenerationReader,
    papers_if_complete,
    rating_changes_sql,
    read_generation,
    read_version,
)
from app.main import create_app
from app.rating_dependencies import RatingDependencies
from app.web.answer_store import AnswerStore, StoredAnswer
from tests.databases import bump_generation_on_every_write, read_generation_as_a_request
from tests.factories import (
    make_category,
    make_paper,
    make_rating,
    make_source,
    make_source_entry,
    make_tag,
    make_token,
    make_user,
)
from tests.web.browsing import client_with


def _answer(body: bytes, ratings: RatingDependencies | None = None) -> StoredAnswer:
    return StoredAnswer(headers=[], body=body, etag=None, ratings=ratings or RatingDependencies())


def test_the_store_forgets_the_least_recently_used_answer_first() -> None:
    store = AnswerStore(max_entries=2, max_bytes=1000)
    store.move_to(CatalogueVersion(1, 0))
    store.put(("http", b"h", "/a", b"", "en"), _answer(b"a"))
    store.put(("http", b"h", "/b", b"", "en"), _answer(b"b"))
    assert store.get(("http", b"h", "/a", b"", "en")) is not None  # /a is now the most recent
    store.put(("http", b"h", "/c", b"", "en"), _answer(b"c"))
    assert store.get(("http", b"h", "/b", b"", "en")) is None
    assert store.get(("http", b"h", "/a", b"", "en")) is not None
    assert len(store) == 2


def test_the_store_keeps_within_its_bytes_and_skips_an_answer_larger_than_all_of_them() -> None:
    store = AnswerStore(max_entries=100, max_bytes=10)
    store.move_to(CatalogueVersion(1, 0))
    store.put(("http", b"h", "/big", b"", "en"), _answer(b"x" * 11))
    assert len(store) == 0
    store.put(("http", b"h", "/a", b"", "en"), _answer(b"x" * 6))
    store.put(("http", b"h", "/b", b"", "en"), _answer(b"x" * 6))
    assert store.get(("http", b"h", "/a", b"", "en")) is None
    assert store.get(("http", b"h", "/b", b"", "en")) is not None


def test_a_new_generation_drops_every_answer() -> None:
    store = AnswerStore(max_entries=10, max_bytes=1000)
    store.move_to(CatalogueVersion(1, 0))
    store.put(("http", b"h", "/a", b"", "en"), _answer(b"a"))
    store.move_to(CatalogueVersion(2, 0))
    assert store.get(("http", b"h", "/a", b"", "en")) is None


def test_a_rating_drops_only_the_answers_it_can_change() -> None:
    store = AnswerStore(max_entries=10, max_bytes=1000)
    store.move_to(CatalogueVersion(1, 5))
    answers = {
        "/shows-7": RatingDependencies(is_described=True, paper_ids={7, 8}),
        "/shows-9": RatingDependencies(is_described=True, paper_ids={9}),
        "/no-ratings": RatingDependencies(is_described=True),
        "/by-rating": RatingDependencies(is_described=True, on_every_rating=True),
        "/undescribed": RatingDependencies(paper_ids={9}),
    }
    for path, ratings in answers.items():
        store.put(("http", b"h", path, b"", "en"), _answer(b"x", ratings))
    assert store.needs_rating_changes(CatalogueVersion(1, 6))
    store.move_to(CatalogueVersion(1, 6), rated_papers={7})
    kept = {path for path in answers if store.get(("http", b"h", path, b"", "en")) is not None}
    assert kept == {"/shows-9", "/no-ratings"}
    # When the log no longer reaches back, or the catalogue itself changed, everything goes.
    store.move_to(CatalogueVersion(1, 9), rated_papers=None)
    assert len(store) == 0
    store.put(("http", b"h", "/no-ratings", b"", "en"), _answer(b"x", answers["/no-ratings"]))
    assert not store.needs_rating_changes(CatalogueVersion(2, 9))
    store.move_to(CatalogueVersion(2, 9), rated_papers={7})
    assert len(store) == 0


def test_a_repeated_anonymous_read_is_answered_from_the_cache(client: TestClient, db: Session) -> None:
    make_paper(db, "Cached Attention")
    db.commit()
    first = client.get("/api/v1/papers")
    second = client.get("/api/v1/papers")
    assert first.headers["x-cache"] == "miss"
    assert second.headers["x-cache"] == "hit"
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    # Headers added around the cache are fresh on every answer.
    assert second.headers["x-request-id"] != first.headers["x-request-id"]
    assert second.headers["content-security-policy"] == first.headers["content-security-policy"]


def test_pages_are_cached_too(client: TestClient, db: Session) -> None:
    make_paper(db, "A Page Worth Keeping")
    db.commit()
    assert client.get("/papers").headers["x-cache"] == "miss"
    page = client.get("/papers")
    assert page.headers["x-cache"] == "hit"
    assert "A Page Worth Keeping" in page.text


def test_a_write_through_the_api_is_seen_by_the_next_read(client: TestClient, db: Session) -> None:
    token = make_token(db, make_user(db, role=Role.EDITOR))
    db.commit()
    client.get("/api/v1/papers")
    assert client.get("/api/v1/papers").headers["x-cache"] == "hit"
    created = client.post(
        "/api/v1/papers", json={"title": "Fresh From The Oven"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert created.status_code == 201, created.text
    after = client.get("/api/v1/papers")
    assert after.headers["x-cache"] == "miss"
    assert "Fresh From The Oven" in after.text


def test_a_write_in_plain_sql_is_seen_by_the_next_read(client: TestClient, db: Session) -> None:
    paper = make_paper(db, "Before The Rename")
    db.commit()
    client.get(f"/api/v1/papers/{paper.id}")
    assert client.get(f"/api/v1/papers/{paper.id}").headers["x-cache"] == "hit"
    db.execute(text("UPDATE papers SET title = 'After The Rename' WHERE id = :id"), {"id": paper.id})
    db.commit()
    answer = client.get(f"/api/v1/papers/{paper.id}")
    assert answer.headers["x-cache"] == "miss"
    assert answer.json()["title"] == "After The Rename"


def test_each_kind_of_change_moves_the_generation(db: Session) -> None:
    """Every table a reader sees is watched: papers, people, taxonomy, lists, ratings and users."""
    paper = make_paper(db, "Watched", authors=["Ada Watcher"])
    tag = make_tag(db)
    category = make_category(db)
    source = make_source(db)
    user = make_user(db)
    db.commit()
    changes: dict[str, Callable[[], object]] = {
        "paper": lambda: db.execute(
            text("UPDATE papers SET venue = 'NeurIPS' WHERE id = :id"), {"id": paper.id}
        ),
        "author": lambda: db.execute(text("UPDATE authors SET name = 'Ada W.'")),
        "paper tag": lambda: db.add(PaperTag(paper_id=paper.id, tag_id=tag.id)),
        "tag": lambda: db.execute(text("UPDATE tags SET name = 'renamed' WHERE id = :id"), {"id": tag.id}),
        "category": lambda: db.execute(
            text("UPDATE categories SET name_en = 'x' WHERE id = :id"), {"id": category.id}
        ),
        "list": lambda: db.execute(
            text("UPDATE sources SET title = 'New title' WHERE id = :id"), {"id": source.id}
        ),
        "list entry": lambda: make_source_entry(db, source, paper),
        "rating": lambda: make_rating(db, paper, user, score=5),
        "user": lambda: db.execute(
            text("UPDATE users SET is_active = false WHERE id = :id"), {"id": user.id}
        ),
    }
    for what, change in changes.items():
        before = read_generation_as_a_request(db)
        change()
        db.flush()
        assert read_generation(db) > before, f"a change of {what} left the generation as it was"


def test_every_paper_column_but_the_rating_summary_moves_the_generation(db: Session) -> None:
    """A column added to papers later is watched too, or this test names it."""
    paper = make_paper(db, "Every Column")
    db.commit()
    silent = []
    for column in Paper.__table__.columns:
        if column.name in ("id", "rating_avg", "rating_count", "rating_score", "updated_at"):
            continue
        before = read_version(db)
        read_generation_as_a_request(db)
        db.execute(update(Paper).where(Paper.id == paper.id).values({column.name: column}))
        db.flush()
        if read_version(db).generation == before.generation:
            silent.append(column.name)
    assert silent == []


def test_a_rating_moves_only_its_own_counter_and_logs_its_paper(db: Session) -> None:
    paper = make_paper(db, "Rated Alone")
    user = make_user(db)
    db.commit()
    bump_generation_on_every_write(db)
    before = read_version(db)
    make_rating(db, paper, user, score=4)
    db.flush()
    db.execute(text("UPDATE papers SET rating_avg = 4, rating_count = 1 WHERE id = :id"), {"id": paper.id})
    db.flush()
    after = read_version(db)
    assert after.generation == before.generation
    assert after.rating_seq == before.rating_seq + 1
    since, until = before.rating_seq, after.rating_seq
    rows = db.connection().exec_driver_sql(rating_changes_sql(since, until))
    logged = [(seq, rated) for seq, rated in rows]
    assert papers_if_complete(logged, since, until) == {paper.id}
    assert papers_if_complete([], since, until) is None


def test_a_rating_keeps_cached_answers_about_other_papers(client: TestClient, db: Session) -> None:
    rated, other = make_paper(db, "Rated Here"), make_paper(db, "Untouched There")
    user = make_user(db)
    db.commit()
    for paper in (rated, other):
        client.get(f"/api/v1/papers/{paper.id}")
    make_rating(db, rated, user, score=5)
    db.commit()
    assert client.get(f"/api/v1/papers/{other.id}").headers["x-cache"] == "hit"
    fresh = client.get(f"/api/v1/papers/{rated.id}")
    assert fresh.headers["x-cache"] == "miss"
    assert fresh.json()["rating"]["count"] == 1


def test_a_rating_drops_searches_it_could_reorder_and_lists_sorted_by_rating(
    client: TestClient, db: Session
) -> None:
    rated, other = make_paper(db, "Sparse Mixture Routing"), make_paper(db, "Dense Passage Retrieval")
    readers = [make_user(db) for _ in range(2)]
    db.commit()
    urls = {
        "search without it": "/api/v1/papers?q=retrieval",
        "search with it": "/api/v1/papers?q=routing",
        "sorted by rating": "/api/v1/papers?sort=rating",
        "filtered by rating": "/api/v1/papers?min_rating=4",
        "facets": "/api/v1/papers/facets?q=routing",
        "home page (says nothing of what it shows)": "/",
    }
    for url in urls.values():
        client.get(url)
    make_rating(db, rated, readers[0], score=5)
    db.commit()
    cache = {what: client.get(url).headers["x-cache"] for what, url in urls.items()}
    assert cache == {
        "search without it": "hit",
        "search with it": "miss",
        "sorted by rating": "miss",
        "filtered by rating": "miss",
        "facets": "hit",
        "home page (says nothing of what it shows)": "miss",
    }
    assert client.get("/api/v1/papers?min_rating=4").json()["total"] == 1
    make_rating(db, other, readers[1], score=5)
    db.commit()
    assert client.get("/api/v1/papers?min_rating=4").json()["total"] == 2


def test_a_login_does_not_move_the_generation(db: Session) -> None:
    user = make_user(db)
    db.commit()
    before = read_generation_as_a_request(db)
    db.execute(text("UPDATE users SET last_login_at = CURRENT_TIMESTAMP WHERE id = :id"), {"id": user.id})
    db.flush()
    assert read_generation(db) == before


@pytest.mark.parametrize(
    "headers", [{"Cookie": "pa_flash=x"}, {"Authorization": "Bearer nothing-here"}], ids=["cookie", "token"]
)
def test_personal_requests_are_never_cached(client: TestClient, headers: dict[str, str]) -> None:
    for _ in range(2):
        answer = client.get("/api/v1/categories", headers=headers)
        assert "x-cache" not in answer.headers
    assert client.get("/api/v1/categories").headers["x-cache"] == "miss"


def test_answers_that_set_cookies_or_say_no_store_are_not_kept(client: TestClient) -> None:
    # The login page hands an anonymous visitor a CSRF cookie.
    assert client.get("/login").headers["x-cache"] == "bypass"
    client.cookies.clear()
    assert client.get("/login").headers["x-cache"] == "bypass"
    client.cookies.clear()
    assert client.get("/healthz").headers["x-cache"] == "bypass"
    assert client.get("/healthz").headers["x-cache"] == "bypass"


def test_errors_are_not_kept(client: TestClient) -> None:
    assert client.get("/api/v1/papers/999999999").status_code == 404
    assert client.get("/api/v1/papers/999999999").headers["x-cache"] == "bypass"


def test_a_cached_answer_still_honours_if_none_match(client: TestClient, db: Session) -> None:
    make_paper(db, "Conditional")
    db.commit()
    etag = client.get("/api/v1/papers").headers["etag"]
    again = client.get("/api/v1/papers", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["x-cache"] == "hit"
    assert again.content == b""
    # A header that is not UTF-8 is just another tag that does not match.
    odd = client.get("/api/v1/papers", headers={b"If-None-Match": b'"\xff\xfe"'})
    assert (odd.status_code, odd.headers["x-cache"]) == (200, "hit")


def test_the_cache_can_be_turned_off(settings: Settings, db: Session) -> None:
    with client_with(settings, db, response_cache_entries=0) as client:
        client.get("/api/v1/categories")
        assert "x-cache" not in client.get("/api/v1/categories").headers


@pytest.fixture
def committed_app(settings: Settings, engine: Engine) -> Iterator[tuple[TestClient, Engine]]:
    """The app on the real database, reading the generation as production does; papers made are removed."""
    with TestClient(create_app(settings)) as client:
        yield client, engine
    with transaction(make_session_factory(engine)) as session:
        session.execute(delete(Paper).where(Paper.title.like("Committed %")))


def _generation_reached(client: TestClient, above: int) -> None:
    """Wait until the app knows of a generation above ABOVE (PostgreSQL announces it; SQLite reads it)."""
    reader = client.app.state.catalogue_generation  # type: ignore[attr-defined]
    deadline = time.monotonic() + 5
    while sum(anyio.run(reader)) <= above:
        assert time.monotonic() < deadline, "the new generation was never announced"
        time.sleep(0.01)


def test_the_reader_sees_a_commit_as_soon_as_it_is_made(engine: Engine) -> None:
    factory = make_session_factory(engine)
    reader = EngineGenerationReader(engine)
    reader.start()
    try:
        with transaction(factory) as session:
            start = read_generation(session)
        assert sum(anyio.run(reader)) == start
        with transaction(factory) as session:
            paper_id = make_paper(session, "Committed Announcement").id
            assert sum(anyio.run(reader)) == start  # not before the commit
        # At once, without waiting for any announcement: the next read after a commit knows of it.
        seen = sum(anyio.run(reader))
        with transaction(factory) as session:
            assert seen == read_generation(session) > start
            session.execute(delete(Paper).where(Paper.id == paper_id))
    finally:
        reader.close()


def test_a_commit_elsewhere_is_seen_by_the_next_read(committed_app: tuple[TestClient, Engine]) -> None:
    client, engine = committed_app
    factory = make_session_factory(engine)
    with transaction(factory) as session:
        paper_id = make_paper(session, "Committed First").id
    first = client.get(f"/api/v1/papers/{paper_id}")
    assert client.get(f"/api/v1/papers/{paper_id}").headers["x-cache"] == "hit"
    # One transaction with several writes moves the generation once it commits, not before.
    with transaction(factory) as session:
        before = read_generation(session)
        session.execute(text("UPDATE papers SET title = 'Committed Second' WHERE id = :id"), {"id": paper_id})
        session.execute(text("UPDATE papers SET venue = 'ICML' WHERE id = :id"), {"id": paper_id})
        assert client.get(f"/api/v1/papers/{paper_id}").headers["x-cache"] == "hit"
    _generation_reached(client, before)
    answer = client.get(f"/api/v1/papers/{paper_id}")
    assert answer.headers["x-cache"] == "miss"
    assert answer.json()["title"] == "Committed Second"
    assert answer.content != first.content
