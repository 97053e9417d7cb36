"""Which categories and tags imported papers get, by the list's rules; linked by the catalogue's primitive."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.orm import Session

from app.catalog.links import CATEGORY_LINKS, TAG_LINKS, add_links, links_of
from app.importing.classification import ImportRules
from app.importing.matching import PaperGroup
from app.taxonomy.models import Category
from app.taxonomy.service import ensure_tags


def link_taxonomy(
    session: Session,
    rules: ImportRules,
    categories: Mapping[str, Category],
    papers: Sequence[tuple[PaperGroup, int]],
) -> None:
    """Add the categories and tags the rules give each group's entries to its paper (ids given)."""
    labels_by_record = {
        id(record): rules.tags_for(record.title, record.entry.note, record.fields.get("short_name"))
        for group, _paper_id in papers
        for record in group.records
    }
    names_by_slug: dict[str, str] = {}
    for labels in labels_by_record.values():
        for slug, name in labels:
            if slug:
                names_by_slug.setdefault(slug, name)
    chinese = {rule.slug: rule.name_zh for rule in rules.tag_rules.rules if rule.name_zh}
    tag_ids = {tag.slug: tag.id for tag in ensure_tags(session, names_by_slug, chinese)}

    categories_by_key: dict[tuple[tuple[str, ...], tuple[str, ...]], list[int]] = {}
    wanted_categories: dict[int, set[int]] = {}
    wanted_tags: dict[int, set[int]] = {}
    for group, paper_id in papers:
        for record in group.records:
            labels = labels_by_record[id(record)]
            wanted_tags.setdefault(paper_id, set()).update(tag_ids[slug] for slug, _ in labels if slug)
            key = (record.entry.section_path, tuple(slug for slug, _ in labels))
            if key not in categories_by_key:
                categories_by_key[key] = [
                    categories[slug].id for slug in rules.categories_for_entry(*key) if slug in categories
                ]
            wanted_categories.setdefault(paper_id, set()).update(categories_by_key[key])
    # New papers have no links yet: only the ones already catalogued need looking up.
    existing = [paper_id for group, paper_id in papers if group.paper is not None]
    add_links(session, CATEGORY_LINKS, wanted_categories, links_of(session, CATEGORY_LINKS, existing))
    add_links(session, TAG_LINKS, wanted_tags, links_of(session, TAG_LINKS, existing))
