"""Seeding the catalogue from the three lists: every paper, its fields, merged duplicates, provenance."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.catalog.models import Author, Paper, PaperAuthor, PaperCategory, PaperTag
from app.config import PROJECT_ROOT
from app.importing.models import ListResource, Source, SourceEntry
from app.importing.schemas import ImportReport
from app.importing.seeding import seed_lists
from app.taxonomy.models import Category, Tag

SEEDS = PROJECT_ROOT / "seeds"
MAX_BYTES = 5 * 1024 * 1024


@pytest.fixture
def seeded(db: Session) -> dict[str, ImportReport]:
    return {report.source: report for report in seed_lists(db, SEEDS, max_bytes=MAX_BYTES)}


def paper_by_arxiv(db: Session, arxiv_id: str) -> Paper:
    return db.scalars(select(Paper).where(Paper.arxiv_id == arxiv_id)).one()


def entries_of(db: Session, paper: Paper) -> list[tuple[str, list[str]]]:
    rows = db.execute(
        select(Source.name, SourceEntry.section_path)
        .join(Source, Source.id == SourceEntry.source_id)
        .where(SourceEntry.paper_id == paper.id)
        .order_by(Source.id, SourceEntry.position)
    )
    return [(name, path) for name, path in rows]


def test_every_entry_of_every_list_is_imported(db: Session, seeded: dict[str, ImportReport]) -> None:
    assert {name: report.entries for name, report in seeded.items()} == {
        "llm-paper-reading": 120,
        "foundations-of-llms-ch2": 20,
        "awesome-llm4or": 22,
    }
    assert all(report.status == "created" for report in seeded.values())
    stored = dict(
        db.execute(
            select(Source.name, func.count(SourceEntry.id))
            .join(SourceEntry, SourceEntry.source_id == Source.id)
            .group_by(Source.name)
        ).all()
    )
    kept = {name: report.entries - report.resources_total for name, report in seeded.items()}
    assert stored == kept


def test_the_seed_lists_keep_their_papers_and_only_four_entries_that_are_not_papers(
    db: Session, seeded: dict[str, ImportReport]
) -> None:
    papers = db.scalar(select(func.count(Paper.id)))
    assert papers == 149  # 153 before: two blog posts, a repository and a model announcement were counted
    resources = db.execute(select(ListResource.title, ListResource.kind).order_by(ListResource.line)).all()
    assert [(title[:20], kind) for title, kind in resources] == [
        ("Illustrating Reinfor", "article"),
        ("Alpaca: A Strong Ope", "model"),
        ("Vicuna: An Open-Sour", "model"),
        ("ChatGLM-6B", "model"),
    ]
    assert {name: report.resources for name, report in seeded.items()} == {
        "llm-paper-reading": {"model": 3, "article": 1},
        "foundations-of-llms-ch2": {},
        "awesome-llm4or": {},
    }
    uncertain = [entry.title[:20] for entry in seeded["llm-paper-reading"].uncertain]
    assert uncertain == ["Illustrating Reinfor", "Vicuna: An Open-Sour"]


def test_duplicates_become_one_paper_with_every_entry(db: Session, seeded: dict[str, ImportReport]) -> None:
    attention = paper_by_arxiv(db, "1706.03762")
    assert [name for name, _ in entries_of(db, attention)] == ["llm-paper-reading", "foundations-of-llms-ch2"]
    bigtrans = db.scalars(select(Paper).where(Paper.title.like("BigTrans%"))).one()
    assert [path[-1] for _, path in entries_of(db, bigtrans)] == ["多语言大模型", "计算层优化"]
    papers = db.scalar(select(func.count(Paper.id)))
    entries = db.scalar(select(func.count(SourceEntry.id)))
    assert papers is not None
    assert entries is not None
    merged = sum(report.merged_within_list + report.matched_other_lists for report in seeded.values())
    assert papers == entries - merged
    assert papers == sum(report.papers_created for report in seeded.values())


def test_fields_come_through_faithfully(db: Session, seeded: dict[str, ImportReport]) -> None:
    gpt3 = paper_by_arxiv(db, "2005.14165")
    assert gpt3.title == "Language Models are Few-Shot Learners"
    assert gpt3.year == 2020
    assert gpt3.importance == 5
    assert gpt3.url == "https://arxiv.org/abs/2005.14165"
    assert gpt3.pdf_url == "https://arxiv.org/pdf/2005.14165"
    # The summary is the abstract (empty until supplied); the curator's note stays with its entry.
    assert gpt3.summary is None
    note = db.scalar(select(SourceEntry.note).where(SourceEntry.paper_id == gpt3.id).limit(1))
    assert note is not None
    assert "GPT-3" in note
    assert "原始论文" in note

    attention = paper_by_arxiv(db, "1706.03762")
    assert attention.venue == "NeurIPS"
    assert attention.importance == 5
    names = db.scalars(
        select(Author.name)
        .join(PaperAuthor, PaperAuthor.author_id == Author.id)
        .where(PaperAuthor.paper_id == attention.id)
        .order_by(PaperAuthor.position)
    ).all()
    assert names[:2] == ["Ashish Vaswani", "Noam Shazeer"]
    assert len(names) == 8

    bert = db.scalars(select(Paper).where(Paper.title.like("BERT:%"))).one()
    assert bert.arxiv_id == "1810.04805"  # from the first list; the second gives the venue and the code
    assert bert.code_url == "https://github.com/google-research/bert"
    assert bert.venue == "NAACL"

    sparse = db.scalars(
        select(Paper).where(Paper.title == "Generating Long Sequences with Sparse Transformers")
    ).one()
    assert sparse.published == "2019-04"
    assert sparse.year == 2019
    assert sparse.url is None


def test_every_paper_is_categorised_and_counts_are_exact(
    db: Session, seeded: dict[str, ImportReport]
) -> None:
    uncategorised = db.scalar(
        select(func.count(Paper.id)).where(
            ~select(PaperCategory).where(PaperCategory.paper_id == Paper.id).exists()
        )
    )
    assert uncategorised == 0
    for category in db.scalars(select(Category)):
        linked = db.scalar(select(func.count()).where(PaperCategory.category_id == category.id))
        assert category.paper_count == linked, category.slug
    for tag in db.scalars(select(Tag)):
        linked = db.scalar(select(func.count()).where(PaperTag.tag_id == tag.id))
        assert tag.paper_count == linked, tag.slug


def test_the_mojibake_list_is_repaired_and_keeps_its_original(
    db: Session, seeded: dict[str, ImportReport]
) -> None:
    report = seeded["llm-paper-reading"]
    assert report.repair is not None
    assert report.repair.codepage == "cp1254"
    assert report.repair.restored > 1000
    entry = db.scalars(
        select(SourceEntry)
        .join(Paper, Paper.id == SourceEntry.paper_id)
        .where(Paper.arxiv_id == "2005.14165")
    ).one()
    assert entry.raw_original is not None
    assert "åŸå§‹" in entry.raw_original
    assert entry.stars == 5
    assert entry.section_path == ["OpenAI/Google 基础语言大模型"]
    clean = seeded["awesome-llm4or"]
    assert clean.repair is None


def test_seeding_again_changes_nothing(db: Session, seeded: dict[str, ImportReport]) -> None:
    def snapshot() -> list[tuple[object, ...]]:
        return [
            tuple(row)
            for row in db.execute(
                select(Paper.id, Paper.title, Paper.updated_at, Paper.summary).order_by(Paper.id)
            )
        ]

    before = snapshot()
    again = seed_lists(db, SEEDS, max_bytes=MAX_BYTES)
    assert [report.status for report in again] == ["unchanged"] * 3
    assert snapshot() == before


def test_keyword_rules_file_papers_where_the_lists_heading_is_coarse(
    db: Session, seeded: dict[str, ImportReport]
) -> None:
    def categories_of(arxiv_or_title: str) -> set[str]:
        paper = db.scalars(
            select(Paper).where((Paper.arxiv_id == arxiv_or_title) | (Paper.title == arxiv_or_title))
        ).one()
        rows = db.scalars(
            select(Category.slug)
            .join(PaperCategory, PaperCategory.category_id == Category.id)
            .where(PaperCategory.paper_id == paper.id)
        )
        return set(rows)

    gpt1 = "Improving Language Understanding by Generative Pre-Training"
    gpt2 = "Language Models are Unsupervised Multitask Learners"
    for paper in (gpt1, gpt2, "2005.14165"):
        assert {"foundation-models", "decoder-only"} <= categories_of(paper)
    assert {"foundation-models", "rlhf", "instruction-tuning"} <= categories_of("2203.02155")  # InstructGPT
    # A precise heading keeps its own filing: the PPO paper stays under RLHF alone.
    assert categories_of("1707.06347") == {"rlhf"}
    decoder_only = db.scalars(select(Category).where(Category.slug == "decoder-only")).one()
    assert decoder_only.paper_count >= 3
