"""An awesome list in markdown re-created from the catalogue: headings per category, one line per paper."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from app.exporting.records import ExportCategory, ExportPaper
from app.exporting.text import one_line

_LINK_TEXT_TABLE = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>|#"})
UNCATEGORISED = "Other papers"
MAX_HEADING_LEVEL = 6


def escape_text(text: str) -> str:
    """TEXT safe inside markdown link text or a list item: no accidental emphasis, links, tables or HTML."""
    return one_line(text).translate(_LINK_TEXT_TABLE)


def link_target(url: str) -> str:
    """A URL that cannot end the (...) of a markdown link early."""
    return one_line(url).replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")


def _note(text: str) -> str:
    # Curators' notes are markdown already (bold, links): kept, but on one line and without raw HTML.
    return one_line(text).replace("<", "&lt;")


def paper_line(paper: ExportPaper) -> str:
    title = escape_text(paper.title)
    url = paper.best_url
    parts = [f"[{title}]({link_target(url)})" if url else title]
    if paper.short_name and paper.short_name.casefold() not in paper.title.casefold():
        parts[0] = f"**{escape_text(paper.short_name)}**: " + parts[0]
    if paper.authors:
        shown = ", ".join(paper.authors[:3]) + (" et al." if len(paper.authors) > 3 else "")
        parts.append(escape_text(shown))
    where = " ".join(str(part) for part in (paper.venue, paper.year) if part)
    if where:
        parts.append(f"*{escape_text(where)}*")
    links = [f"[code]({link_target(paper.code_url)})" if paper.code_url else ""]
    if paper.pdf_url:
        links.insert(0, f"[pdf]({link_target(paper.pdf_url)})")
    line = "- " + ". ".join(parts)
    extras = " ".join(f"[{link}]" for link in links if link)
    if extras:
        line += " " + extras
    if paper.importance:
        line += " " + "⭐" * paper.importance
    for note in paper.notes:
        if one_line(note):
            line += "\n  " + _note(note)
    return line


def _heading(level: int, category: ExportCategory) -> str:
    name = escape_text(category.name_en)
    if category.name_zh and category.name_zh != category.name_en:
        name += f" · {escape_text(category.name_zh)}"
    return f'{"#" * min(level, MAX_HEADING_LEVEL)} <a id="{category.slug}"></a>{name}'


class _Tree:
    def __init__(self, categories: Sequence[ExportCategory], papers: Sequence[ExportPaper]) -> None:
        self.by_slug = {category.slug: category for category in categories}
        self.children: dict[str | None, list[ExportCategory]] = {}
        for category in sorted(categories, key=lambda c: (c.position, c.name_en.casefold(), c.slug)):
            parent = category.parent_slug if category.parent_slug in self.by_slug else None
            self.children.setdefault(parent, []).append(category)
        self.papers: dict[str, list[ExportPaper]] = {}
        self.uncategorised: list[ExportPaper] = []
        for paper in papers:
            known = [slug for slug in paper.categories if slug in self.by_slug]
            for slug in known:
                self.papers.setdefault(slug, []).append(paper)
            if not known:
                self.uncategorised.append(paper)
        self._nonempty: dict[str, bool] = {}

    def has_papers(self, slug: str) -> bool:
        if slug not in self._nonempty:
            self._nonempty[slug] = False  # guards against a cycle in the data
            self._nonempty[slug] = bool(self.papers.get(slug)) or any(
                self.has_papers(child.slug) for child in self.children.get(slug, [])
            )
        return self._nonempty[slug]

    def walk(
        self, parent: str | None = None, depth: int = 0, seen: frozenset[str] = frozenset()
    ) -> Iterator[tuple[int, ExportCategory]]:
        for category in self.children.get(parent, []):
            if category.slug in seen or not self.has_papers(category.slug):
                continue
            yield depth, category
            yield from self.walk(category.slug, depth + 1, seen | {category.slug})


def to_markdown(
    papers: Iterable[ExportPaper],
    categories: Sequence[ExportCategory],
    *,
    title: str = "Awesome LLM Papers",
    generated_at: datetime | None = None,
    description: str | None = None,
) -> Iterator[str]:
    """The list: title, a contents section, then each category (nested by depth) with its papers."""
    paper_list = list(papers)
    tree = _Tree(categories, paper_list)
    sections = list(tree.walk())
    header = f"# {escape_text(title)}\n\n"
    blurb = description or f"{len(paper_list)} papers"
    if generated_at is not None:
        blurb += f", exported on {generated_at.date().isoformat()}"
    yield header + f"> {escape_text(blurb)}.\n\n"
    if sections:
        contents = ["## Contents", ""]
        contents += [f"{'  ' * depth}- [{escape_text(c.name_en)}](#{c.slug})" for depth, c in sections]
        if tree.uncategorised:
            contents.append(f"- [{UNCATEGORISED}](#other-papers)")
        yield "\n".join(contents) + "\n\n"
    for depth, category in sections:
        block = [_heading(2 + depth, category), ""]
        block += [paper_line(paper) for paper in tree.papers.get(category.slug, [])]
        yield "\n".join(block).rstrip() + "\n\n"
    if tree.uncategorised:
        block = [f'## <a id="other-papers"></a>{UNCATEGORISED}', ""]
        block += [paper_line(paper) for paper in tree.uncategorised]
        yield "\n".join(block) + "\n"
