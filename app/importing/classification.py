"""The rules an import files papers by: the category tree, section mappings and tag keywords from seeds/."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from app.importing.rules import (
    CategorySpec,
    RulesError,
    TagRules,
    Taxonomy,
    categories_for_section,
    load_tag_rules,
    load_taxonomy,
    tag_labels_for,
)


@dataclass(frozen=True)
class ImportRules:
    taxonomy: Taxonomy
    tag_rules: TagRules

    def __post_init__(self) -> None:
        known = {spec.slug for spec in self.taxonomy.categories}
        for rule in self.tag_rules.rules:
            unknown = [slug for slug in rule.categories if slug not in known]
            if unknown:
                raise RulesError(f"tag {rule.slug!r}: unknown categories {unknown}")

    @property
    def categories(self) -> tuple[CategorySpec, ...]:
        return self.taxonomy.categories

    def categories_for(self, section_path: Sequence[str]) -> list[str]:
        return categories_for_section(section_path, self.taxonomy)

    def categories_for_entry(self, section_path: Sequence[str], tag_slugs: Sequence[str]) -> list[str]:
        """The section's categories; where they are coarse (none, or only ones with subcategories), also
        those of the entry's tags: GPT-3 under "foundation models" is filed under Decoder-only too."""
        section = self.categories_for(section_path)
        if section and not all(slug in self._parents for slug in section):
            return section
        by_tag = self._categories_by_tag
        return list(dict.fromkeys([*section, *(slug for tag in tag_slugs for slug in by_tag.get(tag, ()))]))

    @cached_property
    def _parents(self) -> frozenset[str]:
        return frozenset(spec.parent for spec in self.taxonomy.categories if spec.parent)

    @cached_property
    def _categories_by_tag(self) -> dict[str, tuple[str, ...]]:
        return {rule.slug: rule.categories for rule in self.tag_rules.rules if rule.categories}

    def tags_for(self, title: str, note: str | None, short_name: str | None) -> list[tuple[str, str]]:
        """(slug, display name) of each tag the entry earns."""
        return tag_labels_for(title, note, short_name, rules=self.tag_rules)


@lru_cache(maxsize=4)
def load_import_rules(seeds_dir: Path) -> ImportRules:
    return ImportRules(
        taxonomy=load_taxonomy(seeds_dir / "taxonomy.toml"),
        tag_rules=load_tag_rules(seeds_dir / "tag_rules.toml"),
    )
