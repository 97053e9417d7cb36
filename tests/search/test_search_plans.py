"""Whichever plan the sizes choose (EXISTS or IN, how links and prefixes are read), answers are the same."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from app.browse.queries import filters, list_papers, listing
from app.catalog.schemas import PaperListParams, PaperSort
from app.search import backends
from tests.factories import make_paper, make_tag

PLANS = {
    "per-row tests, links read once, prefixes merged": {
        "EXISTS_SHARE_FACTOR": 0,
        "LINK_LED_RATIO": 0,
        "MAX_PREFIX_EXPANSION": 0,
    },
    "index-driven, links tested per match, prefixes spelled out": {
        "EXISTS_SHARE_FACTOR": 10**12,
        "LINK_LED_RATIO": 10**12,
        "MAX_PREFIX_EXPANSION": 100,
    },
}


def _walk(db: Session, params: PaperListParams) -> list[int]:
    seen: list[int] = []
    cursor = None
    while True:
        page = list_papers(db, params.model_copy(update={"cursor": cursor}))
        seen += [item.id for item in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return seen


@pytest.fixture
def catalogue(db: Session) -> dict[str, list[int]]:
    rare = make_tag(db, "rare-topic")
    common = make_tag(db, "common-topic")
    papers = [
        make_paper(
            db, f"Language model study {n}", year=2000 + n % 7, tags=[common], summary="大模型" * (1 + n % 3)
        )
        for n in range(30)
    ]
    special = [
        make_paper(
            db, "Language model with the rare topic", year=2021, tags=[rare, common], summary="大模型"
        ),
        make_paper(db, "Another language model, rare topic", year=None, tags=[rare], summary="模型"),
        make_paper(db, "Rare topic without the words", year=2022, tags=[rare]),
    ]
    db.commit()
    return {"common": [p.id for p in papers], "special": [p.id for p in special]}


@pytest.mark.parametrize(
    "params",
    [
        PaperListParams(q="model", limit=4),
        PaperListParams(q="model", tag=["rare-topic"], limit=1),
        PaperListParams(q="大模型", tag=["common-topic"], limit=7),
        PaperListParams(q="language", sort=PaperSort.NEWEST, limit=6),
        PaperListParams(q="languages studies", sort=PaperSort.TITLE, limit=4),
        PaperListParams(q="model", tag=["rare-topic"], sort=PaperSort.OLDEST, limit=1),
        PaperListParams(tag=["common-topic"], year_from=2003, sort=PaperSort.TITLE, limit=5),
    ],
    ids=lambda params: params.filters().query_string() + f"&sort={params.effective_sort}",
)
def test_every_plan_pages_to_the_same_answer(
    db: Session, catalogue: dict[str, list[int]], monkeypatch: pytest.MonkeyPatch, params: PaperListParams
) -> None:
    answers = {}
    for plan, constants in PLANS.items():
        monkeypatch.setattr(filters, "EXISTS_SHARE_FACTOR", constants["EXISTS_SHARE_FACTOR"])
        monkeypatch.setattr(listing, "LINK_LED_RATIO", constants["LINK_LED_RATIO"])
        monkeypatch.setattr(backends, "MAX_PREFIX_EXPANSION", constants["MAX_PREFIX_EXPANSION"])
        answers[plan] = _walk(db, params)
    first, second = answers.values()
    assert first == second
    assert len(set(first)) == len(first)
    assert first


def test_a_query_within_a_rare_tag_finds_only_its_papers(
    db: Session, catalogue: dict[str, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "LINK_LED_RATIO", 0)
    page = list_papers(db, PaperListParams(q="language model", tag=["rare-topic"]))
    assert {item.id for item in page.items} == set(catalogue["special"][:2])
    assert all(item.snippets for item in page.items)
    assert page.total == 2
