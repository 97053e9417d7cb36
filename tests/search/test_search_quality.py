"""The query set: what each query must and must not find, in English, Chinese and mixed, on both databases."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.browse.queries import list_papers
from app.catalog.schemas import PaperListParams, PaperSort
from tests.search.corpus import CASES, make_corpus


def _found(db: Session, query: str) -> list[int]:
    page = list_papers(db, PaperListParams(q=query, limit=100))
    return [item.id for item in page.items]


def test_every_query_finds_what_it_must_and_nothing_it_must_not(db: Session) -> None:
    papers = make_corpus(db)
    db.commit()
    key_of = {paper.id: key for key, paper in papers.items()}
    failures, expected, recalled = [], 0, 0
    for case in CASES:
        found = {key_of[paper_id] for paper_id in _found(db, case.query)}
        expected += len(case.must)
        recalled += len(case.must & found)
        if not case.must <= found:
            failures.append(f"{case.query!r} missed {sorted(case.must - found)}")
        if case.must_not & found:
            failures.append(f"{case.query!r} wrongly found {sorted(case.must_not & found)}")
        if case.exactly and found != case.must:
            failures.append(f"{case.query!r} found {sorted(found)}, expected exactly {sorted(case.must)}")
    assert failures == [], f"recall {recalled}/{expected}"
    assert recalled == expected


def test_a_title_match_ranks_above_a_summary_match(db: Session) -> None:
    papers = make_corpus(db)
    db.commit()
    assert _found(db, "lora")[:2] == [papers["lora"].id, papers["qlora"].id]
    assert _found(db, "scaling laws")[0] == papers["scaling"].id


def test_relevance_is_the_default_order_with_a_query_and_newest_without(db: Session) -> None:
    make_corpus(db)
    db.commit()
    assert list_papers(db, PaperListParams(q="lora")).sort is PaperSort.RELEVANCE
    assert list_papers(db, PaperListParams()).sort is PaperSort.NEWEST


def test_a_query_filters_every_other_sort_too(db: Session) -> None:
    papers = make_corpus(db)
    db.commit()
    for sort in (PaperSort.NEWEST, PaperSort.TITLE, PaperSort.ADDED, PaperSort.RATING):
        page = list_papers(db, PaperListParams(q="推理", sort=sort))
        assert {item.id for item in page.items} == {
            papers[key].id for key in ("cot", "self_consistency", "react")
        }, sort
        assert page.total == 3


def test_search_results_carry_highlighted_snippets(db: Session) -> None:
    papers = make_corpus(db)
    db.commit()
    page = list_papers(db, PaperListParams(q="微调"))
    by_id = {item.id: item for item in page.items}
    lora = by_id[papers["lora"].id]
    assert lora.snippets is not None
    note = next(snippet for snippet in lora.snippets if snippet.field == "note")
    assert "<mark>微调</mark>" in note.snippet_html
    assert note.snippet == "低秩适配，参数高效微调的代表方法"
    qlora = by_id[papers["qlora"].id]
    assert qlora.snippets is not None
    # 微调 also searches its English names, so the title's "Finetuning" is marked as well.
    assert [s.field for s in qlora.snippets] == ["title", "summary"]
    assert "<mark>Finetuning</mark>" in qlora.snippets[0].snippet_html
    assert qlora.snippets[1].snippet_html.count("<mark>微调</mark>") == 2
    assert list_papers(db, PaperListParams()).items[0].snippets is None
