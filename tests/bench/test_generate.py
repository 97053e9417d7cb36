"""The benchmark's generator: exact maintained counts, the app's own search documents, the same data twice."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session

from app.browse import queries
from app.catalog.models import Paper, PaperCategory, PaperTag, RelatedList
from app.catalog.schemas import PaperFilters, PaperListParams
from app.importing.models import Source, SourceEntry
from app.ratings.models import Rating
from app.search import service as search
from app.search.documents import build_documents
from app.taxonomy.models import Category, Tag
from bench.generate import generate, migrate
from bench.mix import zipf_sequence
from bench.pools import build as build_pools
from bench.synthetic import Plan
from tests.databases import temporary_database

PAPERS = 200


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    server_url = os.environ.get("TEST_DATABASE_URL")
    if server_url:
        with temporary_database(server_url) as url:
            generate(url, Plan(PAPERS), workers=1)
            engine = create_engine(url)
            yield engine
            engine.dispose()
        return
    path: Path = tmp_path_factory.mktemp("bench") / "generated.db"
    generate(f"sqlite:///{path}", Plan(PAPERS), workers=1)
    engine = create_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def session(generated: Engine) -> Iterator[Session]:
    search.install()
    with Session(generated) as session:
        yield session
        session.rollback()


def test_every_table_is_filled(session: Session) -> None:
    assert session.scalar(select(func.count()).select_from(Paper)) == PAPERS
    assert session.scalar(select(func.count()).select_from(Tag)) == 300
    assert (session.scalar(select(func.count()).select_from(Category)) or 0) >= 30
    assert (session.scalar(select(func.count()).select_from(Rating)) or 0) > PAPERS // 10
    years = [year for year in session.scalars(select(Paper.year)) if year is not None]
    assert min(years) >= 2015
    assert max(years) <= 2026
    assert years.count(2026) > years.count(2016)  # skewed recent


def test_maintained_counts_match_the_links(session: Session) -> None:
    for model, link, column in (
        (Tag, PaperTag, PaperTag.tag_id),
        (Category, PaperCategory, PaperCategory.category_id),
    ):
        linked = dict(session.execute(select(column, func.count()).select_from(link).group_by(column)).all())
        for target_id, paper_count in session.execute(select(model.id, model.paper_count)):
            assert paper_count == linked.get(target_id, 0)
    entries = dict(
        session.execute(select(SourceEntry.source_id, func.count()).group_by(SourceEntry.source_id)).all()
    )
    for source_id, entry_count in session.execute(select(Source.id, Source.entry_count)):
        assert entry_count == entries.get(source_id, 0)


def test_ratings_summaries_match_the_ratings(session: Session) -> None:
    scores: dict[int, list[int]] = {}
    for paper_id, score in session.execute(select(Rating.paper_id, Rating.score)):
        scores.setdefault(paper_id, []).append(score)
    for paper_id, average, count in session.execute(select(Paper.id, Paper.rating_avg, Paper.rating_count)):
        given = scores.get(paper_id, [])
        assert count == len(given)
        assert average == (pytest.approx(sum(given) / len(given)) if given else None)


def test_tags_are_used_zipf_like(session: Session) -> None:
    counts = session.scalars(select(Tag.paper_count).order_by(Tag.paper_count.desc())).all()
    assert counts[0] == PAPERS // 2
    assert counts[0] > 5 * counts[20]
    assert counts[-1] <= 5


def test_search_documents_are_the_apps_own(session: Session) -> None:
    ids = list(session.scalars(select(Paper.id)))
    expected, missing = build_documents(session, ids)
    assert not missing
    if session.get_bind().dialect.name == "sqlite":
        stored = {
            row[0]: tuple(row[1:])
            for row in session.execute(text("SELECT rowid, title, labels, authors, body FROM paper_fts"))
        }
        assert stored == {doc.paper_id: (doc.title, doc.labels, doc.authors, doc.body) for doc in expected}
    else:
        stored = dict(session.execute(text("SELECT paper_id, document::text FROM search_documents")).all())
        built = {
            doc.paper_id: session.scalar(
                text(
                    "SELECT (setweight(to_tsvector('simple', :t), 'A') "
                    "|| setweight(to_tsvector('simple', :l), 'B') "
                    "|| setweight(to_tsvector('simple', :a), 'C') "
                    "|| setweight(to_tsvector('simple', :b), 'D'))::text"
                ),
                {"t": doc.title, "l": doc.labels, "a": doc.authors, "b": doc.body},
            )
            for doc in expected
        }
        assert stored == built
    assert session.scalar(text("SELECT count(*) FROM search_pending")) == 0


def test_search_triggers_are_restored(session: Session, tmp_path: Path) -> None:
    if session.get_bind().dialect.name == "sqlite":
        fresh = create_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
        migrate(fresh)
        triggers = text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        with fresh.connect() as connection:
            expected = connection.execute(triggers).all()
        fresh.dispose()
        assert expected
        assert session.execute(triggers).all() == expected
    else:
        states = session.execute(
            text("SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal")
        ).all()
        assert states
        assert {state for _name, state in states} == {"O"}  # every trigger fires again


def test_the_apps_search_finds_a_generated_chinese_word(session: Session) -> None:
    pattern = "%微调%"
    holders = session.scalar(
        select(func.count())
        .select_from(Paper)
        .where(
            Paper.summary.like(pattern)
            | Paper.id.in_(select(SourceEntry.paper_id).where(SourceEntry.note.like(pattern)))
        )
    )
    assert holders
    page = queries.list_papers(session, PaperListParams(q="微调", limit=100))
    # The glossary widens 微调 to fine-tuning and finetuning, and category names hold it: more, never fewer.
    assert page.total >= holders
    assert "fine-tuning" in page.also_searched


def test_the_same_seed_gives_the_same_catalogue(session: Session, tmp_path: Path) -> None:
    again = tmp_path / "again.db"
    generate(f"sqlite:///{again}", Plan(PAPERS), workers=1, analyze=False)
    engine = create_engine(f"sqlite:///{again}")
    columns = (Paper.id, Paper.title, Paper.summary, Paper.year, Paper.rating_avg, Paper.venue)
    with Session(engine) as other:
        first = session.execute(select(*columns).order_by(Paper.id)).all()
        second = other.execute(select(*columns).order_by(Paper.id)).all()
        tags = select(PaperTag.paper_id, PaperTag.tag_id).order_by(PaperTag.paper_id, PaperTag.tag_id)
        assert session.execute(tags).all() == other.execute(tags).all()
    engine.dispose()
    assert first == second


def test_the_apps_unfiltered_facets_agree_with_plain_counting(session: Session) -> None:
    facets = queries.facet_counts(session, PaperFilters())
    years = session.execute(select(Paper.year, func.count()).group_by(Paper.year))
    expected = {("unknown" if year is None else str(year)): n for year, n in years}
    assert {value.value: value.count for value in facets.years} == expected
    venues = session.execute(
        select(Paper.venue, func.count()).where(Paper.venue.is_not(None)).group_by(Paper.venue)
    )
    assert {value.value: value.count for value in facets.venues} == dict(venues.all())
    tags = dict(session.execute(select(Tag.slug, Tag.paper_count)).all())
    assert all(value.count == tags[value.value] for value in facets.tags)


def test_every_paper_has_its_related_papers_stored_as_computed_now(session: Session) -> None:
    assert session.scalar(select(func.count()).select_from(RelatedList)) == PAPERS
    for paper_id in session.scalars(select(Paper.id).order_by(Paper.id).limit(25)):
        stored = session.scalar(select(RelatedList.items).where(RelatedList.paper_id == paper_id))
        assert stored is not None
        assert queries.stored_or_computed(session, paper_id) == queries.related_papers(session, paper_id)


def test_the_pools_hold_distinct_queries_drawn_from_the_data(generated: Engine) -> None:
    pools = build_pools(generated, size=50, datasette_db="copy")
    for kind, pool in pools.kinds.items():
        assert pool, kind
        assert len({query.app for query in pool}) == len(pool), kind
    assert {"detail", "paper_page", "tag", "search_en", "search_zh", "by_rating"} <= set(pools.kinds)
    words = [unquote(query.app.split("q=", 1)[1]) for query in pools.kinds["search_zh"]]
    assert all(len(word) == 2 and all("\u4e00" <= char <= "\u9fff" for char in word) for word in words)
    reads = zipf_sequence(
        [query.app for query in pools.kinds["detail"]], count=2000, signed_in_share=0.1, reader_token="t"
    )
    counts = sorted(Counter(path for path, _headers in reads).values(), reverse=True)
    assert counts[0] > 5 * counts[len(counts) // 2]  # a few URLs are read far more often than the rest
    assert 100 < sum(1 for _path, headers in reads if headers) < 300
