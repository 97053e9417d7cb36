"""The catalogue write service on a real database: duplicates, permissions, links and exact counts."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from app.accounts.models import Role, User
from app.catalog import links, service
from app.catalog.models import Author, Paper, PaperAuthor, PaperCategory, PaperTag
from app.catalog.write_schemas import PaperCreate, PaperUpdate
from app.db import make_session_factory, transaction
from app.errors import Conflict, Forbidden, InvalidInput, Unauthorized
from app.taxonomy.models import Category, Tag
from tests.factories import make_category, make_paper, make_user


def _count_links(db: Session, model: type[PaperCategory] | type[PaperTag], paper: Paper) -> int:
    return int(db.scalar(select(func.count()).select_from(model).where(model.paper_id == paper.id)) or 0)


def _author_names(db: Session, paper: Paper) -> list[str]:
    return list(
        db.scalars(
            select(Author.name)
            .join(PaperAuthor, PaperAuthor.author_id == Author.id)
            .where(PaperAuthor.paper_id == paper.id)
            .order_by(PaperAuthor.position)
        )
    )


def test_create_normalises_identifiers_and_derives_year(db: Session) -> None:
    member = make_user(db)
    data = PaperCreate(title="Language Models are Few-Shot Learners", arxiv_id="arXiv:2005.14165v4")
    paper = service.create_paper(db, data, added_by=member)
    assert paper.arxiv_id == "2005.14165"
    assert paper.year == 2020
    assert paper.published == "2020-05"
    assert paper.url == "https://arxiv.org/abs/2005.14165"
    assert paper.slug == "language-models-are-few-shot-learners"
    assert paper.title_key == "language models are fewshot learners"
    assert paper.added_by_id == member.id
    assert paper.is_curated is True


def test_arxiv_id_is_taken_from_the_url_when_not_given(db: Session) -> None:
    paper = service.create_paper(
        db,
        PaperCreate(title="GPT-4 Technical Report", url="https://arxiv.org/pdf/2303.08774v3"),
        added_by=None,
    )
    assert paper.arxiv_id == "2303.08774"
    assert paper.year == 2023
    assert paper.is_curated is False


def test_slugs_stay_unique(db: Session) -> None:
    first = service.create_paper(db, PaperCreate(title="Scaling Laws", arxiv_id="2001.08361"), added_by=None)
    second = service.create_paper(
        db, PaperCreate(title="Scaling Laws!", arxiv_id="2203.15556"), added_by=None
    )
    third = service.create_paper(db, PaperCreate(title="Scaling  laws", arxiv_id="2102.01293"), added_by=None)
    assert (first.slug, second.slug, third.slug) == ("scaling-laws", "scaling-laws-2", "scaling-laws-3")


def test_chinese_titles_get_ascii_slugs(db: Session) -> None:
    paper = service.create_paper(db, PaperCreate(title="大语言模型综述"), added_by=None)
    assert paper.slug.startswith("u-")
    assert paper.slug.isascii()


@pytest.mark.parametrize(
    "duplicate",
    [
        {"title": "Something else", "arxiv_id": "https://arxiv.org/abs/1706.03762v5"},
        {"title": "Something else", "doi": "https://doi.org/10.5555/3295222.3295349"},
        {"title": "attention is ALL you need."},
    ],
)
def test_creating_a_known_paper_is_a_conflict_naming_it(db: Session, duplicate: dict[str, str]) -> None:
    existing = make_paper(
        db,
        "Attention Is All You Need",
        arxiv_id="1706.03762",
        doi="10.5555/3295222.3295349",
        url="https://x.org",
    )
    with pytest.raises(Conflict) as raised:
        service.create_paper(db, PaperCreate.model_validate(duplicate), added_by=None)
    assert raised.value.extra["existing"] == {
        "id": existing.id,
        "slug": existing.slug,
        "title": "Attention Is All You Need",
        "url": "https://x.org",
    }


def test_same_title_with_different_arxiv_ids_are_different_papers(db: Session) -> None:
    make_paper(db, "Introduction", arxiv_id="2101.00001")
    assert service.find_existing(db, arxiv_id="2101.00002", title="Introduction") is None
    assert service.find_existing(db, title="introduction") is not None


def test_authors_are_ordered_deduplicated_and_shared(db: Session) -> None:
    first = service.create_paper(
        db, PaperCreate(title="One", authors=["José  Pérez", "Ann Lee", "ann lee"]), added_by=None
    )
    second = service.create_paper(db, PaperCreate(title="Two", authors=["Jose Perez"]), added_by=None)
    assert _author_names(db, first) == ["José Pérez", "Ann Lee"]
    assert _author_names(db, second) == ["José Pérez"]
    service.set_authors(db, first, ["Ann Lee"])
    assert _author_names(db, first) == ["Ann Lee"]


def test_tags_are_created_slugified_and_counted(db: Session) -> None:
    paper = service.create_paper(
        db, PaperCreate(title="Tagged", tags=["Chain of Thought", "chain-of-thought", "RLHF"]), added_by=None
    )
    tags = {
        tag.slug: tag for tag in db.scalars(select(Tag).where(Tag.slug.in_(["chain-of-thought", "rlhf"])))
    }
    assert tags["chain-of-thought"].name == "Chain of Thought"
    assert tags["chain-of-thought"].paper_count == 1
    other = service.create_paper(db, PaperCreate(title="Tagged too", tags=["rlhf"]), added_by=None)
    db.refresh(tags["rlhf"])
    assert tags["rlhf"].paper_count == 2
    service.set_tags(db, paper, [])
    service.set_tags(db, other, ["RLHF"])
    db.refresh(tags["rlhf"])
    db.refresh(tags["chain-of-thought"])
    assert (tags["rlhf"].paper_count, tags["chain-of-thought"].paper_count) == (1, 0)


def test_categories_by_slug_keep_counts_exact(db: Session) -> None:
    agents, rag = make_category(db, "agents"), make_category(db, "rag")
    paper = service.create_paper(
        db, PaperCreate(title="Toolformer", categories=["agents", "rag"]), added_by=None
    )
    assert (agents.paper_count, rag.paper_count) == (1, 1)
    service.set_categories(db, paper, [rag])
    assert (agents.paper_count, rag.paper_count) == (0, 1)
    assert _count_links(db, PaperCategory, paper) == 1


def test_unknown_category_is_invalid_input(db: Session) -> None:
    with pytest.raises(InvalidInput) as raised:
        service.create_paper(db, PaperCreate(title="Lost", categories=["no-such-thing"]), added_by=None)
    assert "categories" in raised.value.fields


def test_members_edit_what_they_added_editors_edit_anything(db: Session) -> None:
    owner, stranger = make_user(db), make_user(db)
    editor = make_user(db, role=Role.EDITOR)
    paper = service.create_paper(db, PaperCreate(title="Owned"), added_by=owner)
    with pytest.raises(Forbidden):
        service.update_paper(db, paper, PaperUpdate(venue="ACL"), user=stranger)
    with pytest.raises(Unauthorized):
        service.update_paper(db, paper, PaperUpdate(venue="ACL"), user=None)
    service.update_paper(db, paper, PaperUpdate(venue="ACL"), user=owner)
    service.update_paper(db, paper, PaperUpdate(title="Owned, revised", summary=None), user=editor)
    assert (paper.venue, paper.title, paper.title_key) == ("ACL", "Owned, revised", "owned revised")
    assert paper.slug == "owned"


def test_update_marks_curated_and_clears_what_is_sent_as_null(db: Session) -> None:
    editor = make_user(db, role=Role.EDITOR)
    paper = make_paper(db, "Imported", venue="ICML", year=2021)
    assert paper.is_curated is False
    service.update_paper(db, paper, PaperUpdate.model_validate({"venue": None}), user=editor)
    assert paper.venue is None
    assert paper.year == 2021
    assert paper.is_curated is True


def test_update_refuses_to_take_another_papers_identity(db: Session) -> None:
    editor = make_user(db, role=Role.EDITOR)
    make_paper(db, "Taken", arxiv_id="2201.11903")
    paper = make_paper(db, "Mine")
    with pytest.raises(Conflict):
        service.update_paper(db, paper, PaperUpdate(arxiv_id="2201.11903"), user=editor)
    with pytest.raises(Conflict):
        service.update_paper(db, paper, PaperUpdate(title="TAKEN"), user=editor)


def test_delete_lowers_counts(db: Session) -> None:
    owner = make_user(db)
    category = make_category(db)
    paper = service.create_paper(
        db, PaperCreate(title="Gone soon", categories=[category.slug], tags=["ephemeral"]), added_by=owner
    )
    tag = db.scalars(select(Tag).where(Tag.slug == "ephemeral")).one()
    service.delete_paper(db, paper, user=owner)
    db.refresh(tag)
    assert (category.paper_count, tag.paper_count) == (0, 0)
    assert db.get(Paper, paper.id) is None


def test_recount_repairs_drifted_counts(db: Session) -> None:
    category = make_category(db)
    make_paper(db, categories=[category], tags=["drift"])
    db.execute(update(Category).where(Category.id == category.id).values(paper_count=7))
    db.execute(update(Tag).where(Tag.slug == "drift").values(paper_count=0))
    links.recount(db, Category, [category.id])
    links.recount(db, Tag)
    assert db.scalar(select(Category.paper_count).where(Category.id == category.id)) == 1
    assert db.scalar(select(Tag.paper_count).where(Tag.slug == "drift")) == 1


def test_concurrent_adds_of_one_paper_create_it_once(engine: Engine) -> None:
    """Threads adding the same arXiv paper at once in committed transactions: one wins, the rest get 409."""
    factory = make_session_factory(engine)
    with transaction(factory) as session:
        user_id = make_user(session).id
    start = threading.Barrier(6)
    outcomes: list[str] = []

    def add() -> None:
        try:
            start.wait(timeout=30)
            with transaction(factory) as session:
                data = PaperCreate(title="Direct Preference Optimization", arxiv_id="2305.18290")
                service.create_paper(session, data, added_by=session.get(User, user_id))
            outcomes.append("created")
        except Conflict as conflict:
            outcomes.append(f"conflict with {conflict.extra['existing']['title']}")
        except BaseException as exc:
            outcomes.append(repr(exc))

    threads = [threading.Thread(target=add) for _ in range(6)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes) == ["conflict with Direct Preference Optimization"] * 5 + ["created"]
    finally:
        with transaction(factory) as session:
            session.execute(delete(Paper).where(Paper.arxiv_id == "2305.18290"))
            session.execute(delete(User).where(User.id == user_id))
