"""Search on the seeded catalogue: the issue's table reads as a researcher expects, and the judged queries
keep their floor, on whichever database the suite runs."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.browse.queries import list_papers
from app.catalog.models import Paper, PaperCategory
from app.catalog.schemas import PaperListParams, PaperPage
from app.config import PROJECT_ROOT
from app.importing.seeding import seed_lists
from app.system.pages import suggested_searches
from app.taxonomy.models import Category
from tests.search.relevance import evaluate, figures, report

PASS_FLOOR = 0.95
MRR_FLOOR = 0.9


@pytest.fixture
def seeded(db: Session) -> Session:
    seed_lists(db, PROJECT_ROOT / "seeds", max_bytes=5 * 1024 * 1024)
    db.commit()
    return db


def search(db: Session, q: str) -> PaperPage:
    return list_papers(db, PaperListParams(q=q, limit=100))


def in_category(db: Session, slug: str) -> set[int]:
    return set(
        db.scalars(
            select(PaperCategory.paper_id)
            .join(Category, Category.id == PaperCategory.category_id)
            .where(Category.slug == slug)
        )
    )


def by_title(db: Session, title: str) -> int:
    return db.scalars(select(Paper.id).where(Paper.title == title)).one()


def test_the_judged_queries_keep_their_floor(seeded: Session) -> None:
    outcomes = evaluate(seeded)
    overall = figures(outcomes)["overall"]
    assert overall.queries >= 60
    assert overall.pass_share >= PASS_FLOOR, report(outcomes)
    assert overall.mrr >= MRR_FLOOR, report(outcomes)


def test_chinese_topics_find_their_category_english_titles_included(seeded: Session) -> None:
    cot = search(seeded, "思维链")
    assert in_category(seeded, "chain-of-thought") <= {item.id for item in cot.items}
    assert cot.also_searched[:2] == ["chain-of-thought", "CoT"]
    multimodal = {item.id for item in search(seeded, "多模态").items}
    assert len(in_category(seeded, "multimodal")) == 33
    assert in_category(seeded, "multimodal") <= multimodal
    for query, category in [("上下文学习", "in-context-learning"), ("智能体", "agents")]:
        assert in_category(seeded, category) <= {item.id for item in search(seeded, query).items}, query
    for query in ("分布式训练", "状态空间模型"):
        assert search(seeded, query).total >= 4, query


def test_identifiers_answer_with_their_paper(seeded: Session) -> None:
    for query, title in [
        ("1706.03762", "Attention Is All You Need"),
        ("arXiv:2312.00752", "Mamba: Linear-Time Sequence Modeling with Selective State Spaces"),
        ("https://arxiv.org/abs/2106.09685", "LORA: LOW-RANK ADAPTATION OF LARGE LANGUAGE MODELS"),
    ]:
        page = search(seeded, query)
        assert [item.id for item in page.items] == [by_title(seeded, title)], query
        assert page.identifier == "arxiv_id"


def test_a_nickname_finds_its_paper_and_the_family(seeded: Session) -> None:
    found = [item.title for item in search(seeded, "Flan-T5").items]
    assert found[0] == "Scaling Instruction-Finetuned Language Models"
    assert "Finetuned Language Models Are Zero-Shot Learners" in found


def test_an_exact_title_comes_first_and_a_typo_is_corrected_openly(seeded: Session) -> None:
    assert search(seeded, "attention is all you need").items[0].title == "Attention Is All You Need"
    typo = search(seeded, "atention is all you need")
    assert typo.items[0].title == "Attention Is All You Need"
    assert typo.did_you_mean == typo.showing_results_for == "attention is all you need"


def test_traditional_chinese_and_letter_digit_variants_agree(seeded: Session) -> None:
    assert [i.id for i in search(seeded, "思維鏈").items] == [i.id for i in search(seeded, "思维链").items]
    assert [i.id for i in search(seeded, "gpt3").items] == [i.id for i in search(seeded, "GPT-3").items]


def test_every_home_page_chip_finds_papers(seeded: Session, client: TestClient) -> None:
    chips = suggested_searches(seeded)
    assert chips
    for chip in chips:
        assert search(seeded, chip).total > 0, chip
    home = client.get("/")
    assert "检索增强" not in home.text
    assert all(chip in home.text for chip in chips)
