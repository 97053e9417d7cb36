"""The index follows every write path (ORM, Core, the catalogue service, bulk) within the same transaction."""

from __future__ import annotations

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from app.accounts.models import Role
from app.browse.queries import list_papers
from app.catalog import service as catalog
from app.catalog.models import Author, Paper, PaperTag
from app.catalog.schemas import PaperListParams
from app.catalog.write_schemas import PaperCreate, PaperUpdate
from app.search import service as search
from app.search.sync import search_pending
from tests.factories import make_category, make_paper, make_source, make_source_entry, make_tag, make_user


def _ids(db: Session, query: str) -> set[int]:
    return {item.id for item in list_papers(db, PaperListParams(q=query, limit=100)).items}


def _index_size(db: Session) -> int:
    table = "paper_fts" if db.get_bind().dialect.name == "sqlite" else "search_documents"
    return int(db.scalar(text(f"SELECT count(*) FROM {table}")) or 0)


def test_papers_written_through_the_catalogue_service_are_found(db: Session) -> None:
    editor = make_user(db, role=Role.EDITOR)
    data = PaperCreate(
        title="Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
        authors=["Albert Gu", "Tri Dao"],
        tags=["state space models"],
        summary="选择性状态空间模型",
    )
    paper = catalog.create_paper(db, data, added_by=editor)
    db.commit()
    assert _ids(db, "selective") == {paper.id}
    assert _ids(db, "Albert Gu") == {paper.id}
    assert _ids(db, "状态空间") == {paper.id}
    assert _ids(db, "state space") == {paper.id}
    assert db.scalar(select(func.count()).select_from(search_pending)) == 0


def test_changes_replace_the_old_text(db: Session) -> None:
    editor = make_user(db, role=Role.EDITOR)
    paper = make_paper(db, "Sparse Attention Patterns", summary="稀疏注意力")
    db.commit()
    catalog.update_paper(db, paper, PaperUpdate(summary="线性注意力"), user=editor)
    db.commit()
    assert _ids(db, "线性") == {paper.id}
    assert _ids(db, "稀疏") == set()


def test_orm_attribute_changes_are_followed(db: Session) -> None:
    paper = make_paper(db, "Original Wording")
    db.commit()
    paper.title = "Replacement Wording"
    db.commit()
    assert _ids(db, "replacement") == {paper.id}
    assert _ids(db, "original") == set()


def test_renaming_a_tag_or_an_author_reindexes_their_papers(db: Session) -> None:
    tag = make_tag(db, "moe", name="mixture")
    paper = make_paper(db, "Switch Transformers", authors=["William Fedus"], tags=[tag])
    db.commit()
    assert _ids(db, "mixture") == {paper.id}
    tag.name = "experts"
    db.execute(update(Author).where(Author.name == "William Fedus").values(name="W. Fedus-Renamed"))
    db.commit()
    assert _ids(db, "experts") == {paper.id}
    assert _ids(db, "mixture") == set()
    assert _ids(db, "renamed") == {paper.id}


def test_bulk_core_inserts_of_links_are_followed(db: Session) -> None:
    paper = make_paper(db, "Bulk Linked Paper")
    tags = [make_tag(db, name="bulkone"), make_tag(db, name="bulktwo")]
    db.commit()
    db.execute(insert(PaperTag), [{"paper_id": paper.id, "tag_id": tag.id} for tag in tags])
    db.commit()
    assert _ids(db, "bulkone bulktwo") == {paper.id}


def test_list_notes_are_indexed_when_entries_arrive_or_change(db: Session) -> None:
    paper = make_paper(db, "A Paper Without Notes")
    db.commit()
    entry = make_source_entry(db, make_source(db), paper, note="必读的经典")
    db.commit()
    assert _ids(db, "经典") == {paper.id}
    entry.note = "值得一读"
    db.commit()
    assert _ids(db, "经典") == set()
    assert _ids(db, "一读") == {paper.id}


def test_deleted_papers_leave_the_index(db: Session) -> None:
    editor = make_user(db, role=Role.EDITOR)
    keep = make_paper(db, "Deletion Survivor")
    gone = make_paper(db, "Deletion Victim")
    db.commit()
    size = _index_size(db)
    catalog.delete_paper(db, gone, user=editor)
    db.commit()
    assert _index_size(db) == size - 1
    assert _ids(db, "deletion") == {keep.id}


def test_a_rolled_back_write_leaves_the_index_as_it_was(db: Session) -> None:
    make_paper(db, "Committed Paper")
    db.commit()
    size = _index_size(db)
    with db.begin_nested():
        make_paper(db, "Never Committed Paper")
        db.flush()
        assert _ids(db, "never") != set()  # the session sees its own writes
        db.rollback()
    assert _ids(db, "never") == set()
    assert _index_size(db) == size


def test_reindex_all_rebuilds_the_same_index(db: Session) -> None:
    papers = [make_paper(db, f"Rebuilt Paper {word}", summary="重建索引") for word in ("alpha", "beta")]
    db.commit()
    before = _ids(db, "重建")
    table = "paper_fts" if db.get_bind().dialect.name == "sqlite" else "search_documents"
    db.execute(text(f"DELETE FROM {table}"))
    assert _ids(db, "重建") == set()
    indexed = search.reindex_all(db)
    assert indexed == db.scalar(select(func.count()).select_from(Paper))
    assert _ids(db, "重建") == before == {paper.id for paper in papers}
    assert _ids(db, "alpha") == {papers[0].id}


def test_unrelated_writes_do_not_touch_the_queue(db: Session) -> None:
    paper = make_paper(db, "Rated Paper")
    db.commit()
    db.execute(update(Paper).where(Paper.id == paper.id).values(rating_count=3, rating_avg=4.0))
    assert db.scalar(select(func.count()).select_from(search_pending)) == 0


def test_category_and_tag_names_in_both_languages_are_searched_and_followed(db: Session) -> None:
    parent = make_category(db, "reasoning-x", name_en="Reasoning", name_zh="推理")
    category = make_category(db, "cot-x", name_en="Chain-of-thought", name_zh="思维链", parent=parent)
    tag = make_tag(db, "long-context-x", name="Long context")
    paper = make_paper(db, "Elicitation Study", categories=[category], tags=[tag])
    db.commit()
    assert paper.id in _ids(db, "思维链")
    assert paper.id in _ids(db, "推理")  # the parent category's name
    assert _ids(db, "长上下文") == {paper.id}  # through the glossary to "long context"
    tag.name_zh = "超长文本"
    category.name_zh = "链式思考"
    db.commit()
    assert _ids(db, "超长文本") == {paper.id}
    assert _ids(db, "链式思考") == {paper.id}
    db.execute(update(Paper).where(Paper.id == paper.id).values(arxiv_id="2401.00001"))
    db.commit()
    assert paper.id in _ids(db, "2401 00001")


def test_section_headings_are_searched(db: Session) -> None:
    paper = make_paper(db, "Plain Title")
    source = make_source(db)
    make_source_entry(db, source, paper, section_path=["模型压缩", "Quantisation tricks"])
    db.commit()
    assert _ids(db, "模型压缩") == {paper.id}
    assert _ids(db, "quantisation tricks") == {paper.id}


def test_renaming_only_a_category_reindexes_its_papers(db: Session) -> None:
    category = make_category(db, "moe-x", name_en="Mixture of experts", name_zh="混合专家")
    paper = make_paper(db, "Switch Layers", categories=[category])
    db.commit()
    category.name_zh = "稀疏专家"
    db.commit()
    assert _ids(db, "稀疏专家") == {paper.id}
    assert db.scalar(select(func.count()).select_from(search_pending)) == 0
