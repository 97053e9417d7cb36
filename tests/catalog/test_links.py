"""The catalogue's write primitives: one slug rule and one author rule for single edits and imports alike."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog import links
from app.catalog.identifiers import author_name_key
from app.catalog.models import Author, Paper, PaperAuthor
from app.catalog.service import PAPER_SLUG_BASE_LENGTH, create_paper, set_authors, unique_paper_slugs
from app.catalog.write_schemas import PaperCreate
from app.config import PROJECT_ROOT
from app.importing.classification import load_import_rules
from app.importing.service import ListToImport, import_list
from app.taxonomy.models import Tag
from app.taxonomy.service import ensure_tags
from tests.factories import make_paper, make_tag

LONG_TITLE = "A very long title about language models " * 6


def _positions(db: Session, paper_id: int) -> list[tuple[int, str]]:
    rows = db.execute(
        select(PaperAuthor.position, Author.name)
        .join(Author, Author.id == PaperAuthor.author_id)
        .where(PaperAuthor.paper_id == paper_id)
        .order_by(PaperAuthor.position)
    )
    return [(position, name) for position, name in rows]


def test_paper_slugs_are_capped_at_80_and_numbered_when_taken(db: Session) -> None:
    assert PAPER_SLUG_BASE_LENGTH == 80
    first, second = unique_paper_slugs(db, [LONG_TITLE, LONG_TITLE])
    assert len(first) <= 80
    assert not first.endswith("-")
    assert second == f"{first}-2"
    paper = create_paper(db, PaperCreate(title=LONG_TITLE), added_by=None)
    assert paper.slug == first
    assert unique_paper_slugs(db, [LONG_TITLE]) == [f"{first}-2"]
    assert unique_paper_slugs(db, ["!!!"]) == ["paper"]


def test_author_positions_count_from_one_and_keep_the_order(db: Session) -> None:
    paper = make_paper(db)
    set_authors(db, paper, ["Ashish Vaswani", "Noam  Shazeer", "ashish vaswani", "Niki Parmar"])
    assert _positions(db, paper.id) == [(1, "Ashish Vaswani"), (2, "Noam Shazeer"), (3, "Niki Parmar")]
    set_authors(db, paper, ["Niki Parmar", "Ashish Vaswani"])
    assert _positions(db, paper.id) == [(1, "Niki Parmar"), (2, "Ashish Vaswani")]


def test_many_papers_share_one_author_row_per_name(db: Session) -> None:
    first, second = make_paper(db), make_paper(db)
    written = links.replace_authors(
        db, {first.id: ["Ré, Christopher"], second.id: ["ré, christopher", "Ann"]}
    )
    assert written[first.id][0].id == written[second.id][0].id
    assert _positions(db, second.id) == [(1, "Ré, Christopher"), (2, "Ann")]
    key = author_name_key("Ré, Christopher")
    assert len(db.scalars(select(Author).where(Author.name_key == key)).all()) == 1


def test_imported_authors_are_positioned_like_edited_ones(db: Session) -> None:
    text = b"# List\n\n- [Scaling Laws](https://arxiv.org/abs/2001.08361) - Jared Kaplan, Sam McCandlish\n"
    rules = load_import_rules(PROJECT_ROOT / "seeds")
    import_list(db, ListToImport(name="positions", content=text), rules=rules, max_bytes=1 << 20)
    paper = db.scalars(select(Paper).where(Paper.arxiv_id == "2001.08361")).one()
    positions = _positions(db, paper.id)
    assert [position for position, _name in positions] == list(range(1, len(positions) + 1))


def test_ensure_tags_finds_or_creates_by_slug_and_keeps_existing_names(db: Session) -> None:
    make_tag(db, "rlhf", name="RLHF")
    tags = ensure_tags(db, {"rlhf": "Changed", "new-tag": "  New   tag "}, {"new-tag": "新标签"})
    assert [(tag.slug, tag.name, tag.name_zh) for tag in tags] == [
        ("rlhf", "RLHF", None),
        ("new-tag", "New tag", "新标签"),
    ]
    assert db.scalar(select(Tag.paper_count).where(Tag.slug == "new-tag")) == 0


def test_add_links_counts_each_new_link_once(db: Session) -> None:
    tag = make_tag(db, "counted")
    paper = make_paper(db, tags=[tag])
    other = make_paper(db)
    added = links.add_links(db, links.TAG_LINKS, {paper.id: [tag.id], other.id: [tag.id, tag.id]})
    assert added == {tag.id: 1}
    db.refresh(tag)
    assert tag.paper_count == 2
