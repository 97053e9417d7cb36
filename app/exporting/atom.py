"""The Atom feed (RFC 4287) of newly added papers, escaped and valid, with the list's filters applied."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from app.exporting.records import ExportPaper
from app.exporting.text import one_line, without_control_characters
from app.note_text import note_plain_text

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
MAX_SUMMARY_CHARS = 2000


def _text(value: str) -> str:
    return escape(without_control_characters(value))


def _attr(value: str) -> str:
    return quoteattr(without_control_characters(value))


def _timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _summary(paper: ExportPaper) -> str:
    pieces = []
    if paper.authors:
        pieces.append(", ".join(paper.authors))
    where = " ".join(str(part) for part in (paper.venue, paper.year) if part)
    if where:
        pieces.append(where)
    if paper.summary:
        pieces.append(one_line(note_plain_text(paper.summary))[:MAX_SUMMARY_CHARS])
    elif paper.notes:
        pieces.append(one_line(note_plain_text(paper.notes[0]))[:MAX_SUMMARY_CHARS])
    return ". ".join(pieces)


def entry(paper: ExportPaper, page_url: str) -> str:
    lines = [
        "  <entry>",
        f"    <id>{_text(page_url)}</id>",
        f'    <title type="text">{_text(one_line(paper.title))}</title>',
        f'    <link rel="alternate" type="text/html" href={_attr(page_url)}/>',
    ]
    if paper.best_url and paper.best_url != page_url:
        lines.append(f'    <link rel="related" href={_attr(paper.best_url)}/>')
    lines += [
        f"    <published>{_timestamp(paper.created_at)}</published>",
        f"    <updated>{_timestamp(paper.updated_at)}</updated>",
    ]
    lines += [f"    <author><name>{_text(one_line(name))}</name></author>" for name in paper.authors[:20]]
    lines += [f"    <category term={_attr(tag)}/>" for tag in paper.tags]
    summary = _summary(paper)
    if summary:
        lines.append(f'    <summary type="text">{_text(summary)}</summary>')
    lines.append("  </entry>")
    return "\n".join(lines) + "\n"


def to_atom(
    papers: Iterable[ExportPaper],
    *,
    feed_url: str,
    site_url: str,
    paper_url: str,
    title: str,
    updated: datetime,
) -> Iterator[str]:
    """The feed; PAPER_URL is a template with `{slug}` for each entry's page (its id too)."""
    yield (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="{ATOM_NAMESPACE}">\n'
        f"  <id>{_text(feed_url)}</id>\n"
        f'  <title type="text">{_text(title)}</title>\n'
        f"  <updated>{_timestamp(updated)}</updated>\n"
        f'  <link rel="self" type="application/atom+xml" href={_attr(feed_url)}/>\n'
        f'  <link rel="alternate" type="text/html" href={_attr(site_url)}/>\n'
        "  <author><name>Paper Atlas</name></author>\n"
        "  <generator>Paper Atlas</generator>\n"
    )
    for paper in papers:
        yield entry(paper, paper_url.format(slug=paper.slug))
    yield "</feed>\n"
