"""Category and tag rules kept as data in seeds/: the category tree, where list sections belong in it,
and which tags a paper's title and note earn. Pure: loading reads TOML, matching reads strings.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.importing.pattern_literals import Needle, needle_for
from app.slugs import slugify

__all__ = [
    "DEFAULT_SEEDS_DIR",
    "CategorySpec",
    "RulesError",
    "SectionRule",
    "TagRule",
    "TagRules",
    "Taxonomy",
    "categories_for_section",
    "default_tag_rules",
    "load_tag_rules",
    "load_taxonomy",
    "parse_tag_rules",
    "parse_taxonomy",
    "section_key",
    "tag_labels_for",
    "tags_for",
]

DEFAULT_SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NON_WORD_RE = re.compile(r"[\W_]+")
_MARKDOWN_LINK_RE = re.compile(r"!?\[[^\]]*\]\([^)]*\)")
# \b means an ASCII word boundary in rule patterns, so English keywords match next to Chinese text.
_PATTERN_FLAGS = re.IGNORECASE | re.ASCII


class RulesError(ValueError):
    """A rules file that does not describe a usable tree or rule set."""


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    name_en: str
    name_zh: str
    parent: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class SectionRule:
    pattern: re.Pattern[str]
    categories: tuple[str, ...]
    weak: bool = False


@dataclass(frozen=True)
class Taxonomy:
    """The category tree (parents before children), heading mappings and keyword fallbacks."""

    categories: tuple[CategorySpec, ...]
    sections: Mapping[str, tuple[str, ...]]
    rules: tuple[SectionRule, ...]

    def category(self, slug: str) -> CategorySpec | None:
        return next((spec for spec in self.categories if spec.slug == slug), None)


@dataclass(frozen=True)
class TagRule:
    slug: str
    name: str
    patterns: tuple[re.Pattern[str], ...]
    # Categories a paper with this tag is filed into as well, when its list's heading says little.
    categories: tuple[str, ...] = ()
    name_zh: str | None = None
    needles: tuple[Needle | None, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "needles", tuple(needle_for(pattern) for pattern in self.patterns))


@dataclass(frozen=True)
class TagRules:
    rules: tuple[TagRule, ...]
    # Every pattern as (rule index, pattern), in rule order; the needles as (needle, pattern index), ASCII
    # ones apart; and the patterns without a needle, which are always tried.
    _patterns: tuple[tuple[int, re.Pattern[str]], ...] = field(init=False, repr=False, compare=False)
    _ascii_needles: tuple[tuple[str, int], ...] = field(init=False, repr=False, compare=False)
    _other_needles: tuple[tuple[str, int], ...] = field(init=False, repr=False, compare=False)
    _always: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        patterns: list[tuple[int, re.Pattern[str]]] = []
        ascii_needles, other_needles, always = [], [], []
        for index, rule in enumerate(self.rules):
            for pattern, needle in zip(rule.patterns, rule.needles, strict=True):
                number = len(patterns)
                patterns.append((index, pattern))
                if needle is None:
                    always.append(number)
                elif needle.is_ascii:
                    ascii_needles.append((needle.text, number))
                else:
                    other_needles.append((needle.text, number))
        object.__setattr__(self, "_patterns", tuple(patterns))
        object.__setattr__(self, "_ascii_needles", tuple(ascii_needles))
        object.__setattr__(self, "_other_needles", tuple(other_needles))
        object.__setattr__(self, "_always", tuple(always))

    def matching(self, text: str) -> list[TagRule]:
        """The rules with a pattern found in TEXT, in order; only patterns whose needle occurs are run."""
        lowered = text.lower()
        candidates = [number for needle, number in self._ascii_needles if needle in lowered]
        candidates += [number for needle, number in self._other_needles if needle in text]
        candidates += self._always
        matched: list[int] = []
        for number in sorted(candidates):
            index, pattern = self._patterns[number]
            if (not matched or matched[-1] != index) and pattern.search(text):
                matched.append(index)
        return [self.rules[index] for index in matched]


def section_key(heading: str) -> str:
    """How headings are compared: NFKC, case-folded, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKC", heading).casefold()
    return _NON_WORD_RE.sub(" ", text).strip()


# --- loading ------------------------------------------------------------------------------------


def _string(table: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str | None:
    value = table.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise RulesError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _strings(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RulesError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, _PATTERN_FLAGS)
    except re.error as error:
        raise RulesError(f"{where}: bad pattern {pattern!r}: {error}") from error


def _tables(document: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    tables = document.get(key, [])
    if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
        raise RulesError(f"'{key}' must be an array of tables ([[{key}]])")
    return tables


def _category(table: Mapping[str, Any], where: str) -> CategorySpec:
    slug = _string(table, "slug", where) or ""
    if not _SLUG_RE.match(slug):
        raise RulesError(f"{where}: slug {slug!r} must be lower-case ASCII words joined by hyphens")
    return CategorySpec(
        slug=slug,
        name_en=_string(table, "name_en", where) or "",
        name_zh=_string(table, "name_zh", where) or "",
        parent=_string(table, "parent", where, required=False),
        description=_string(table, "description", where, required=False),
    )


def _check_tree(categories: list[CategorySpec]) -> None:
    seen: set[str] = set()
    for spec in categories:
        if spec.slug in seen:
            raise RulesError(f"category {spec.slug!r} is defined twice")
        if spec.parent is not None and spec.parent not in seen:
            raise RulesError(f"category {spec.slug!r}: parent {spec.parent!r} must be defined before it")
        seen.add(spec.slug)


def _known(slugs: Iterable[str], known: set[str], where: str) -> tuple[str, ...]:
    checked = tuple(slugs)
    unknown = [slug for slug in checked if slug not in known]
    if unknown:
        raise RulesError(f"{where}: unknown categories {unknown}")
    return checked


def parse_taxonomy(text: str) -> Taxonomy:
    """The taxonomy in a TOML document; raises RulesError when it is inconsistent."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesError(f"taxonomy is not valid TOML: {error}") from error
    categories = [
        _category(table, f"category #{i + 1}") for i, table in enumerate(_tables(document, "category"))
    ]
    _check_tree(categories)
    known = {spec.slug for spec in categories}
    sections: dict[str, tuple[str, ...]] = {}
    for i, table in enumerate(_tables(document, "section")):
        where = f"section #{i + 1}"
        heading = _string(table, "heading", where) or ""
        sections[section_key(heading)] = _known(_strings(table, "categories", where), known, where)
    rules = []
    for i, table in enumerate(_tables(document, "section_rule")):
        where = f"section_rule #{i + 1}"
        pattern = _compile(_string(table, "pattern", where) or "", where)
        slugs = _known(_strings(table, "categories", where), known, where)
        rules.append(SectionRule(pattern, slugs, weak=bool(table.get("weak", False))))
    return Taxonomy(tuple(categories), sections, tuple(rules))


def parse_tag_rules(text: str) -> TagRules:
    """The tag rules in a TOML document; raises RulesError when one is unusable."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesError(f"tag rules are not valid TOML: {error}") from error
    rules = []
    seen: set[str] = set()
    for i, table in enumerate(_tables(document, "tag")):
        where = f"tag #{i + 1}"
        slug = _string(table, "slug", where) or ""
        if not _SLUG_RE.match(slug) or slug in seen:
            raise RulesError(
                f"{where}: slug {slug!r} must be unique lower-case ASCII words joined by hyphens"
            )
        seen.add(slug)
        patterns = tuple(_compile(pattern, where) for pattern in _strings(table, "patterns", where))
        if not patterns:
            raise RulesError(f"{where}: a tag needs at least one pattern")
        categories = _strings(table, "categories", where)
        name_zh = _string(table, "name_zh", where, required=False) or None
        rules.append(
            TagRule(
                slug, _string(table, "name", where) or "", patterns, categories=categories, name_zh=name_zh
            )
        )
    return TagRules(tuple(rules))


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    return parse_taxonomy((path or DEFAULT_SEEDS_DIR / "taxonomy.toml").read_text(encoding="utf-8"))


def load_tag_rules(path: Path | None = None) -> TagRules:
    return parse_tag_rules((path or DEFAULT_SEEDS_DIR / "tag_rules.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def default_tag_rules() -> TagRules:
    """The tag rules shipped in seeds/, read once."""
    return load_tag_rules()


# --- matching -----------------------------------------------------------------------------------


def _unique(slugs: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(slugs))


def categories_for_section(path: Sequence[str], taxonomy: Taxonomy) -> list[str]:
    """Category slugs for entries under ``path`` (headings from the top down).

    The deepest heading that says something wins: first its own mapping, then keyword rules, then
    the heading above it. Weak rules (a bare "LLM" or "应用") only apply when nothing else matched.
    """
    weak_match: list[str] = []
    for heading in reversed(path):
        mapped = taxonomy.sections.get(section_key(heading))
        if mapped:
            return list(mapped)
        if mapped is not None:
            continue  # a heading mapped to nothing, such as "Papers"
        folded = unicodedata.normalize("NFKC", heading)
        matches = [rule for rule in taxonomy.rules if rule.pattern.search(folded)]
        strong = [slug for rule in matches if not rule.weak for slug in rule.categories]
        if strong:
            return _unique(strong)
        if not weak_match:
            weak_match = _unique(slug for rule in matches for slug in rule.categories)
    return weak_match


def tag_labels_for(
    title: str, note: str | None, short_name: str | None, *, rules: TagRules | None = None
) -> list[tuple[str, str]]:
    """(slug, display name) of every tag the title and note earn, then the short name's own tag."""
    active = rules or default_tag_rules()
    # A note's links name other works (cited papers, blog posts); only its own words describe this paper.
    own_words = _MARKDOWN_LINK_RE.sub(" ", note) if note else ""
    text = unicodedata.normalize("NFKC", f"{title}\n{own_words}")
    labels = [(rule.slug, rule.name) for rule in active.matching(text)]
    if short_name:
        short_slug = slugify(short_name)
        if short_slug and short_slug not in {slug for slug, _ in labels}:
            labels.append((short_slug, short_name.strip()))
    return labels


def tags_for(
    title: str, note: str | None, short_name: str | None, *, rules: TagRules | None = None
) -> list[str]:
    """Tag slugs for a paper, from keyword rules over its title and note plus its short name."""
    return [slug for slug, _ in tag_labels_for(title, note, short_name, rules=rules)]
