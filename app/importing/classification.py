"""The rules an import files papers by: the category tree, section mappings and tag keywords from seeds/."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.importing.rules import (
    CategorySpec,
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

    @property
    def categories(self) -> tuple[CategorySpec, ...]:
        return self.taxonomy.categories

    def categories_for(self, section_path: Sequence[str]) -> list[str]:
        return categories_for_section(section_path, self.taxonomy)

    def tags_for(self, title: str, note: str | None, short_name: str | None) -> list[tuple[str, str]]:
        """(slug, display name) of each tag the entry earns."""
        return tag_labels_for(title, note, short_name, rules=self.tag_rules)


@lru_cache(maxsize=4)
def load_import_rules(seeds_dir: Path) -> ImportRules:
    return ImportRules(
        taxonomy=load_taxonomy(seeds_dir / "taxonomy.toml"),
        tag_rules=load_tag_rules(seeds_dir / "tag_rules.toml"),
    )
