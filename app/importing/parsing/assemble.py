"""Turns what an entry's text said into a ParsedEntry: sorts its links and fills the year from arXiv."""

from __future__ import annotations

from dataclasses import dataclass

from app.catalog.identifiers import arxiv_id_from_url, year_from_arxiv_id

from .entry_text import EntryFields
from .inline import (
    is_code_link,
    is_navigation_url,
    is_paper_label,
    is_pdf_link,
)
from .model import ParsedEntry


@dataclass(frozen=True)
class Placement:
    """Where an entry sits in its list."""

    line: int
    end_line: int
    raw: str
    section_path: tuple[str, ...]
    list_number: str | None
    title_header: str | None = None


@dataclass
class SortedLinks:
    url: str | None
    pdf_url: str | None
    code_url: str | None
    extra: list[tuple[str, str]]


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0].lower()


def _usable(links: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(label, url.strip()) for label, url in links if url.strip() and not is_navigation_url(url)]


def sort_links(fields: EntryFields) -> SortedLinks:
    """Pick the paper's main link, its PDF and its code among the entry's own links.

    Links inside the note are only ever extra links: notes cite other papers and blog posts.
    """
    title_url = fields.title_url
    candidates = _usable(fields.links) if fields.links else []
    url = title_url if title_url and not is_navigation_url(title_url) else None
    if url is None and candidates:
        url = next((link for label, link in candidates if is_paper_label(label)), None)
        if url is None:
            url = next((link for _, link in candidates if arxiv_id_from_url(link)), None)
    pdf_url = url if url and is_pdf_link("", url) else None
    if pdf_url is None and candidates:
        pdf_url = next((link for label, link in candidates if is_pdf_link(label, link)), None)
    code_url = next((link for label, link in candidates if is_code_link(label, link)), None)
    if code_url is None and fields.badge_links:
        code_url = next((link for _, link in fields.badge_links if _host(link).endswith("github.com")), None)
    if code_url is None and url and _host(url).endswith("github.com"):
        code_url = url
    taken = {url, pdf_url, code_url}
    extra: list[tuple[str, str]] = []
    for label, link in candidates + (_usable(fields.note_links) if fields.note_links else []):
        if link not in taken:
            taken.add(link)
            extra.append((label, link))
    return SortedLinks(url, pdf_url, code_url, extra)


def _year_from_links(links: SortedLinks, fields: EntryFields) -> int | None:
    own_links = [links.url, links.pdf_url]
    own_links += [link for label, link in fields.links if is_paper_label(label)]
    for link in own_links:
        if link:
            arxiv_id = arxiv_id_from_url(link)
            if arxiv_id:
                return year_from_arxiv_id(arxiv_id)
    return None


def build_entry(fields: EntryFields, placement: Placement, position: int, shape: str) -> ParsedEntry:
    links = sort_links(fields)
    year = fields.year
    if year is None:
        # Only the entry's own links count: notes often cite other papers by their arXiv links.
        year = _year_from_links(links, fields)
    return ParsedEntry(
        line=placement.line,
        end_line=placement.end_line,
        section_path=placement.section_path,
        position=position,
        raw=placement.raw,
        title=fields.title,
        short_name=fields.short_name,
        url=links.url,
        pdf_url=links.pdf_url,
        code_url=links.code_url,
        extra_links=links.extra,
        authors=fields.authors,
        venue=fields.venue,
        year=year,
        published=fields.published,
        note=fields.note,
        stars=fields.stars,
        list_number=placement.list_number,
        shape=shape,
        title_kind=fields.title_kind,
        title_header=placement.title_header,
    )
