"""Managing the category tree and the tags: unique slugs, no cycles, merges that keep counts exact."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.catalog.models import PaperCategory, PaperTag
from app.errors import Conflict, InvalidInput
from app.taxonomy import service
from app.taxonomy.write_schemas import CategoryCreate, CategoryUpdate, TagUpdate
from tests.factories import make_category, make_tag


def test_create_category_under_a_parent(db: Session) -> None:
    parent = make_category(db, "applications")
    created = service.create_category(
        db, CategoryCreate(slug="Agents", name_en="Agents", name_zh="智能体", parent="applications")
    )
    assert (created.slug, created.parent_id, created.paper_count) == ("agents", parent.id, 0)
    read = service.category_read(db, created)
    assert (read.parent, read.name_zh) == ("applications", "智能体")


def test_category_slugs_are_unique_and_parents_must_exist(db: Session) -> None:
    existing = make_category(db, "rag")
    with pytest.raises(Conflict) as raised:
        service.create_category(db, CategoryCreate(slug="rag", name_en="Retrieval"))
    assert raised.value.extra["existing"]["id"] == existing.id
    with pytest.raises(InvalidInput) as invalid:
        service.create_category(db, CategoryCreate(slug="new-one", name_en="New", parent="nowhere"))
    assert "parent" in invalid.value.fields


def test_rename_and_move_a_category(db: Session) -> None:
    top, other = make_category(db), make_category(db)
    child = make_category(db, parent=top)
    service.update_category(db, child, CategoryUpdate(name_en="Renamed", name_zh="改名", parent=other.slug))
    assert (child.name_en, child.name_zh, child.parent_id) == ("Renamed", "改名", other.id)
    service.update_category(db, child, CategoryUpdate.model_validate({"parent": None}))
    assert child.parent_id is None


def test_moving_a_category_beneath_itself_is_refused(db: Session) -> None:
    top = make_category(db)
    middle = make_category(db, parent=top)
    leaf = make_category(db, parent=middle)
    for target in (top, leaf):
        with pytest.raises(InvalidInput) as raised:
            service.update_category(db, top, CategoryUpdate(parent=target.slug))
        assert raised.value.fields == {"parent": "Would make a cycle."}
    assert top.parent_id is None


def test_create_and_rename_tags(db: Session) -> None:
    tag = service.create_tag(db, name="Chain of Thought", slug="chain-of-thought")
    with pytest.raises(Conflict):
        service.create_tag(db, name="chain of thought", slug="chain-of-thought")
    other = make_tag(db, "cot")
    with pytest.raises(Conflict) as raised:
        service.rename_tag(db, tag, TagUpdate(slug="cot"))
    assert raised.value.extra["existing"]["id"] == other.id
    service.rename_tag(db, tag, TagUpdate(name="CoT prompting", slug="cot-prompting"))
    assert (tag.name, tag.slug) == ("CoT prompting", "cot-prompting")


def _tag_links(db: Session, tag_id: int) -> int:
    return int(db.scalar(select(func.count()).select_from(PaperTag).where(PaperTag.tag_id == tag_id)) or 0)


def _category_links(db: Session, category_id: int) -> int:
    statement = (
        select(func.count()).select_from(PaperCategory).where(PaperCategory.category_id == category_id)
    )
    return int(db.scalar(statement) or 0)
