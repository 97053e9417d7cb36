"""Importing lists people bring: new versions, safety, bad input, and the common shapes of awesome lists."""
# ruff: noqa: E501 - list fixtures are markdown lines as people write them

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.catalog.models import Paper
from app.config import PROJECT_ROOT
from app.errors import InvalidInput, PayloadTooLarge
from app.importing import upsert
from app.importing.classification import ImportRules, load_import_rules
from app.importing.models import Source, SourceEntry
from app.importing.schemas import ImportReport
from app.importing.service import ListToImport, import_list
from app.ratings.service import rate_paper
from tests.factories import make_user

LIMIT = 1024 * 1024

VERSION_ONE = """# Awesome Agents

## Planning
- [ReAct: Synergizing Reasoning and Acting in Language Models](https://arxiv.org/abs/2210.03629) - Interleaves reasoning and acting.
- [Reflexion: Language Agents with Verbal Reinforcement Learning](https://arxiv.org/pdf/2303.11366v4.pdf) - Self-reflection.
- [Toolformer: Language Models Can Teach Themselves to Use Tools](https://arxiv.org/abs/2302.04761) - Tools.

## Memory
- [Generative Agents: Interactive Simulacra of Human Behavior](https://arxiv.org/abs/2304.03442) - Sims-like town.
"""

VERSION_TWO = """# Awesome Agents

## Planning
- [ReAct: Synergizing Reasoning and Acting in Language Models](https://arxiv.org/abs/2210.03629v3) - Reasoning traces and actions, interleaved.
- [Toolformer: Language Models Can Teach Themselves to Use Tools](https://arxiv.org/abs/2302.04761) - Tools.

## Memory
- [Generative Agents: Interactive Simulacra of Human Behavior](https://arxiv.org/abs/2304.03442) - Sims-like town.
- [MemGPT: Towards LLMs as Operating Systems](https://arxiv.org/abs/2310.08560) - Virtual context management.
"""


@pytest.fixture(scope="module")
def rules() -> ImportRules:
    return load_import_rules(PROJECT_ROOT / "seeds")


def run(db: Session, rules: ImportRules, text: str | bytes, name: str = "awesome-agents") -> ImportReport:
    content = text.encode() if isinstance(text, str) else text
    return import_list(db, ListToImport(name=name, content=content), rules=rules, max_bytes=LIMIT)


def test_a_link_list_imports_with_sections_notes_and_ids(db: Session, rules: ImportRules) -> None:
    report = run(db, rules, VERSION_ONE)
    assert report.status == "created"
    assert (report.entries, report.papers_created, report.formats) == (4, 4, ["link-list"])
    reflexion = db.scalars(select(Paper).where(Paper.arxiv_id == "2303.11366")).one()
    assert reflexion.year == 2023
    assert reflexion.summary is None  # the abstract, not the curator's note, which stays with the entry
    entry = db.scalars(select(SourceEntry).where(SourceEntry.paper_id == reflexion.id)).one()
    assert entry.section_path == ["Planning"]
    assert entry.raw_original is None


def test_a_newer_version_adds_updates_and_reports_what_disappeared(db: Session, rules: ImportRules) -> None:
    run(db, rules, VERSION_ONE)
    reflexion = db.scalars(select(Paper).where(Paper.arxiv_id == "2303.11366")).one()
    toolformer = db.scalars(select(Paper).where(Paper.arxiv_id == "2302.04761")).one()
    rater = make_user(db)
    rate_paper(db, reflexion.id, rater, score=5, comment=None)

    report = run(db, rules, VERSION_TWO.replace("- [Toolformer", "- [Toolformer"))
    assert report.status == "updated"
    assert report.entries_new == 1
    assert report.papers_created == 1
    assert report.entries_updated >= 1
    assert [item.title for item in report.entries_disappeared] == [
        "Reflexion: Language Agents with Verbal Reinforcement Learning"
    ]
    assert report.entries_disappeared[0].paper_kept is True  # someone rated it
    react = db.scalars(select(Paper).where(Paper.arxiv_id == "2210.03629")).one()
    react_note = db.scalar(select(SourceEntry.note).where(SourceEntry.paper_id == react.id))
    assert react_note == "Reasoning traces and actions, interleaved."
    assert db.get(Paper, toolformer.id) is not None
    kept = db.scalars(select(SourceEntry).where(SourceEntry.paper_id == reflexion.id)).one()
    assert kept.is_present is False


def test_an_unrated_paper_that_disappears_is_removed(db: Session, rules: ImportRules) -> None:
    run(db, rules, VERSION_ONE)
    report = run(db, rules, VERSION_TWO)
    assert report.papers_removed == 1
    assert db.scalar(select(Paper).where(Paper.arxiv_id == "2303.11366")) is None


def test_importing_the_same_bytes_again_is_a_no_op(db: Session, rules: ImportRules) -> None:
    run(db, rules, VERSION_ONE)
    again = run(db, rules, VERSION_ONE)
    assert again.status == "unchanged"
    assert again.papers_created == 0


def test_a_failing_import_writes_nothing(
    db: Session, rules: ImportRules, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    papers_before = db.scalar(select(func.count(Paper.id)))
    savepoint = db.begin_nested()
    monkeypatch.setattr(upsert, "link_taxonomy", explode)
    with pytest.raises(RuntimeError):
        run(db, rules, VERSION_ONE)
    savepoint.rollback()
    assert db.scalar(select(func.count(Paper.id))) == papers_before
    assert db.scalar(select(Source).where(Source.name == "awesome-agents")) is None


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", InvalidInput, "not a text file"),
        (b"# Notes\n\nJust some prose, no papers at all.\n", InvalidInput, "No paper entries"),
        ("论文".encode("gb18030"), InvalidInput, "not UTF-8"),
        (b"   \n\n", InvalidInput, "empty"),
        (b"x" * (LIMIT + 1), PayloadTooLarge, "limit"),
    ],
)
def test_bad_input_gets_a_clear_error(
    db: Session, rules: ImportRules, content: bytes, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        run(db, rules, content)


def test_a_bad_name_is_refused(db: Session, rules: ImportRules) -> None:
    with pytest.raises(InvalidInput, match="name"):
        run(db, rules, VERSION_ONE, name="Not A Name!")


BIBLIOGRAPHY = """# Reading list

## Surveys ⭐
1. **A Survey of Large Language Models.** `arXiv`
   *Wayne Xin Zhao, Kun Zhou, Junyi Li.* [[PDF](https://arxiv.org/abs/2303.18223)][[Code](https://github.com/RUCAIBox/LLMSurvey)], 2023.
3. **Attention is all you need.** `NeurIPS`
   *Vaswani, Ashish and Shazeer, Noam.* [[PDF](https://arxiv.org/pdf/1706.03762v7)], 2017.
"""

TABLE_WITH_STARS = """# Papers

### 思维链
| 论文 | 年份 | 推荐 | 简介 |
| --- | --- | --- | --- |
| [Chain-of-Thought Prompting Elicits Reasoning in Large Language Models](https://arxiv.org/abs/2201.11903) | 2022 | ★★★★ | 思维链提示激发推理能力 |
| [Attention Is All You Need](https://arxiv.org/abs/1706.03762) | 2017 | 5/5 | 提出 Transformer |
"""


def test_lists_in_other_shapes_merge_with_each_other(db: Session, rules: ImportRules) -> None:
    first = run(db, rules, BIBLIOGRAPHY, name="reading-list")
    second = run(db, rules, TABLE_WITH_STARS, name="zh-table")
    assert first.papers_created == 2
    assert (second.papers_created, second.matched_other_lists) == (1, 1)
    attention = db.scalars(select(Paper).where(Paper.arxiv_id == "1706.03762")).one()
    assert attention.venue == "NeurIPS"
    assert attention.importance == 5
    cot = db.scalars(select(Paper).where(Paper.arxiv_id == "2201.11903")).one()
    assert cot.importance == 4
    assert cot.summary is None
    survey = db.scalars(select(Paper).where(Paper.arxiv_id == "2303.18223")).one()
    assert survey.code_url == "https://github.com/RUCAIBox/LLMSurvey"
