"""Two app processes under mixed load, on the suite's database: no 5xx, and every aggregate matches its rows.

Sign-ins, ratings, paper adds and edits, token and page readers and one import run at once against two
uvicorn workers configured as `papers serve` runs them; then ratings, category and tag counts and the search
index are checked against the rows. Reads right after a write, and a rotating X-Forwarded-For against the
sign-in limit, are checked on the same two processes. Bounded by request counts (about 300), not by time.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text

from app.accounts.models import Role
from app.catalog.models import Paper, PaperCategory, PaperTag
from app.db import transaction
from app.ratings.models import Rating
from app.search.sync import search_pending
from app.taxonomy.models import Category, Tag
from tests.factories import make_category, make_paper, make_tag, make_token, make_user, unique
from tests.reliability.conftest import LiveDatabase
from tests.reliability.live_server import served
from tests.web.browsing import csrf_from

PASSWORD = "correct-horse"
LOGIN_LIMIT = 10


@dataclass
class World:
    base_url: str
    papers: list[int]
    categories: list[str]
    tags: list[str]
    raters: list[str]
    editor: str
    admin: str
    sign_ins: list[str]
    live: LiveDatabase


@pytest.fixture(scope="module")
def world(live: LiveDatabase) -> Iterator[World]:
    with transaction(live.factory) as session:
        categories = [make_category(session, unique("load-cat-")) for _ in range(3)]
        tags = [make_tag(session, unique("load-tag-")) for _ in range(3)]
        papers = [
            make_paper(
                session,
                unique("Load Paper "),
                categories=[categories[n % 3]],
                tags=[tags[n % 3], tags[(n + 1) % 3]],
                summary="负载测试 load testing",
            ).id
            for n in range(12)
        ]
        raters = [make_token(session, make_user(session)) for _ in range(4)]
        editor = make_token(session, make_user(session, role=Role.EDITOR))
        admin = make_token(session, make_user(session, role=Role.ADMIN))
        sign_ins = [make_user(session, password=PASSWORD).username for _ in range(3)]
    limits = {
        "login_attempts_per_account": str(LOGIN_LIMIT),
        "login_attempts_per_address": "1000",
        "writes_per_user": "1000",
        "ratings_per_user": "1000",
    }
    with served(live.settings.database_url, live.settings.secret_key, settings=limits) as base_url:
        yield World(
            base_url,
            papers,
            [c.slug for c in categories],
            [t.slug for t in tags],
            raters,
            editor,
            admin,
            sign_ins,
            live,
        )


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_reads_right_after_a_write_are_fresh_on_every_worker(world: World) -> None:
    path = f"{world.base_url}/api/v1/papers/{world.papers[0]}"
    stale: list[tuple[int, str]] = []
    for round_number in range(15):
        for _ in range(3):
            httpx.get(path)  # a new connection each time: both workers cache the current answer
        title = f"Fresh Title {round_number} {unique('r')}"
        edited = httpx.patch(path, headers=_bearer(world.editor), json={"title": title})
        assert edited.status_code == 200, edited.text
        for _ in range(3):
            answer = httpx.get(path)
            if answer.json()["title"] != title:
                stale.append((round_number, answer.headers.get("x-cache", "")))
    assert stale == []


def test_a_rotating_forwarded_for_does_not_escape_the_sign_in_limit(world: World) -> None:
    name = world.sign_ins[-1]
    codes = []
    for n in range(2 * LOGIN_LIMIT + 5):
        with httpx.Client(base_url=world.base_url) as client:  # a new connection: either worker
            token = csrf_from(client.get("/login").text)
            codes.append(
                client.post(
                    "/login",
                    data={"username": name, "password": "not-the-password", "csrf_token": token},
                    headers={"X-Forwarded-For": f"198.51.100.{n}"},
                ).status_code
            )
    # Both workers count in the database, and the header from an unconfigured client is ignored.
    assert codes.count(400) == LOGIN_LIMIT
    assert codes.count(429) == LOGIN_LIMIT + 5


@dataclass
class Tally:
    answers: list[tuple[str, int]] = field(default_factory=list)
    slowest: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, label: str, response: httpx.Response) -> httpx.Response:
        with self.lock:
            self.answers.append((label, response.status_code))
            seconds = response.elapsed.total_seconds()
            self.slowest[label] = max(self.slowest.get(label, 0.0), seconds)
        return response


def _import_markdown(entries: int) -> bytes:
    lines = ["# Load list", "", "## Models", ""]
    lines += [
        f"- [Imported Under Load {n} Quokka](https://example.org/load/{n}) - 负载 note {n}"
        for n in range(entries)
    ]
    return ("\n".join(lines) + "\n").encode()


def _workers(world: World, tally: Tally) -> list[Callable[[], None]]:
    base = world.base_url

    def rater(token: str, seed: int) -> Callable[[], None]:
        def run() -> None:
            rng = random.Random(seed)
            with httpx.Client(base_url=base, headers=_bearer(token), timeout=30) as client:
                for _ in range(12):
                    paper = rng.choice(world.papers)
                    body = {"score": rng.randint(1, 5)}
                    tally.record("rate", client.put(f"/api/v1/papers/{paper}/rating", json=body))

        return run

    def adder() -> None:
        with httpx.Client(base_url=base, headers=_bearer(world.editor), timeout=30) as client:
            for n in range(6):
                body = {
                    "title": f"Added Under Load {n} {unique('a')}",
                    "categories": [world.categories[n % 3]],
                    "tags": [world.tags[n % 3], f"load-fresh-{n}"],
                }
                tally.record("add", client.post("/api/v1/papers", json=body))

    def editor() -> None:
        rng = random.Random(7)
        with httpx.Client(base_url=base, headers=_bearer(world.editor), timeout=30) as client:
            for n in range(8):
                paper = rng.choice(world.papers[1:])
                body: dict[str, Any] = {
                    "tags": rng.sample(world.tags, 2),
                    "categories": [rng.choice(world.categories)],
                }
                if n % 2:
                    body["summary"] = f"edited under load {n}"
                tally.record("edit", client.patch(f"/api/v1/papers/{paper}", json=body))

    def token_reader(token: str, seed: int) -> Callable[[], None]:
        def run() -> None:
            rng = random.Random(seed)
            paths = ["/api/v1/meta", "/api/v1/papers?q=load", "/api/v1/papers/facets", "/api/v1/sources"]
            with httpx.Client(base_url=base, headers=_bearer(token), timeout=30) as client:
                for _ in range(20):
                    paper = rng.choice(world.papers)
                    path = rng.choice([*paths, f"/api/v1/papers/{paper}", f"/api/v1/papers/{paper}/ratings"])
                    tally.record("token-read", client.get(path))

        return run

    def page_reader(seed: int) -> Callable[[], None]:
        def run() -> None:
            rng = random.Random(seed)
            paths = ["/", "/papers", "/papers?q=负载", f"/papers?category={world.categories[0]}", "/stats"]
            with httpx.Client(base_url=base, timeout=30) as client:
                for _ in range(15):
                    tally.record("page", client.get(rng.choice(paths)))

        return run

    def signer(name: str) -> Callable[[], None]:
        def run() -> None:
            for attempt in range(5):
                with httpx.Client(base_url=base, timeout=30) as client:
                    token = csrf_from(client.get("/login").text)
                    password = PASSWORD if attempt % 4 else "wrong-password-here"
                    form = {"username": name, "password": password, "csrf_token": token}
                    tally.record("sign-in", client.post("/login", data=form))

        return run

    def importer() -> None:
        with httpx.Client(base_url=base, headers=_bearer(world.admin), timeout=60) as client:
            files = {"file": ("README.md", _import_markdown(150), "text/markdown")}
            tally.record(
                "import", client.post("/api/v1/imports", data={"name": unique("load-list-")}, files=files)
            )

    return [
        *(rater(token, seed) for seed, token in enumerate(world.raters)),
        adder,
        editor,
        token_reader(world.raters[0], 11),
        token_reader(world.admin, 12),
        page_reader(21),
        page_reader(22),
        signer(world.sign_ins[0]),
        signer(world.sign_ins[1]),
        importer,
    ]


def _guarded(tally: Tally, work: Callable[[], None]) -> Callable[[], None]:
    def run() -> None:
        try:
            work()
        except Exception as exc:  # a dropped connection is as bad as a 5xx
            with tally.lock:
                tally.failures.append(repr(exc))

    return run


def test_everything_at_once(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    tally = Tally()
    threads = [threading.Thread(target=_guarded(tally, work)) for work in _workers(world, tally)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.perf_counter() - started
    server_errors = [(label, status) for label, status in tally.answers if status >= 500]
    with capsys.disabled():
        print(
            f"\nunder load ({world.live.engine.dialect.name}, 2 workers): {len(tally.answers)} requests, "
            f"{len(server_errors)} 5xx, {len(tally.failures)} failed connections, {elapsed:.1f} s; slowest: "
            + ", ".join(f"{label} {seconds:.1f} s" for label, seconds in sorted(tally.slowest.items()))
        )
    assert tally.failures == []
    assert server_errors == []
    unexpected = {(label, status) for label, status in tally.answers if status not in _EXPECTED[label]}
    assert unexpected == set()
    _assert_aggregates_match_rows(world.live)


_EXPECTED: dict[str, set[int]] = {
    "rate": {200},
    "add": {201},
    "edit": {200},
    "token-read": {200},
    "page": {200},
    "sign-in": {303, 400},
    "import": {201},
}


def _assert_aggregates_match_rows(live: LiveDatabase) -> None:
    with transaction(live.factory, writes=False) as session:
        ratings = {
            row[0]: (row[1], row[2])
            for row in session.execute(
                select(Rating.paper_id, func.count(), func.avg(Rating.score)).group_by(Rating.paper_id)
            )
        }
        for paper_id, count, average in session.execute(
            select(Paper.id, Paper.rating_count, Paper.rating_avg)
        ):
            expected_count, expected_average = ratings.get(paper_id, (0, None))
            assert count == expected_count, paper_id
            if expected_average is None:
                assert average is None, paper_id
            else:
                assert average == pytest.approx(float(expected_average)), paper_id
        _assert_counts(session, Category, PaperCategory.category_id)
        _assert_counts(session, Tag, PaperTag.tag_id)
        assert session.scalar(select(func.count()).select_from(search_pending)) == 0
        indexed = _indexed_ids(session)
        assert indexed == set(session.scalars(select(Paper.id)))


def _assert_counts(session: Any, model: Any, link_column: Any) -> None:
    linked = dict(session.execute(select(link_column, func.count()).group_by(link_column)).all())
    for row_id, stored in session.execute(select(model.id, model.paper_count)):
        assert stored == linked.get(row_id, 0), (model.__tablename__, row_id)


def _indexed_ids(session: Any) -> set[int]:
    if session.get_bind().dialect.name == "sqlite":
        return set(session.scalars(text("SELECT rowid FROM paper_fts")))
    return set(session.scalars(text("SELECT paper_id FROM search_documents")))
