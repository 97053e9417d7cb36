"""One paper's BibTeX entry, for the paper page: shown to copy and offered as a .bib download.

Written from the detail the page has already loaded (no query), by the same formatter as the bulk export.
"""

from __future__ import annotations

from app.browse.schemas import PaperDetail
from app.exporting.bibtex import citation_key, format_entry
from app.exporting.records import ExportPaper


def export_record(paper: PaperDetail) -> ExportPaper:
    return ExportPaper(
        id=paper.id,
        slug=paper.slug,
        title=paper.title,
        created_at=paper.created_at,
        updated_at=paper.updated_at,
        authors=list(paper.authors),
        short_name=paper.short_name,
        year=paper.year,
        published=paper.published,
        venue=paper.venue,
        arxiv_id=paper.arxiv_id,
        doi=paper.doi,
        url=paper.url,
        pdf_url=paper.pdf_url,
        code_url=paper.code_url,
        summary=paper.summary,
        importance=paper.importance,
        rating_avg=paper.rating_avg,
        rating_count=paper.rating_count,
        categories=[category.slug for category in paper.categories],
        tags=[tag.name for tag in paper.tags],
    )


def paper_bibtex(paper: PaperDetail) -> tuple[str, str]:
    """(citation key, BibTeX entry) of PAPER."""
    record = export_record(paper)
    key = citation_key(record)
    return key, format_entry(record, key)
