"""GET /api/v1/export (BibTeX, RIS, CSV, JSON, markdown) and GET /feeds/papers.atom, filtered like lists."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from app.accounts.dependencies import OptionalUser
from app.browse.queries.ordered import select_papers
from app.catalog.schemas import ApiError, PaperSort
from app.db import DbSession, utcnow
from app.exporting import service
from app.exporting.atom import to_atom
from app.exporting.bibtex import to_bibtex
from app.exporting.markdown import to_markdown
from app.exporting.records import ExportCategory, ExportPaper
from app.exporting.ris import to_ris
from app.exporting.schemas import MAX_EXPORT, ExportFormat, ExportParams, FeedParams
from app.exporting.tabular import to_csv, to_json
from app.exporting.text import buffered

router = APIRouter(tags=["export"])

MEDIA_TYPES = {
    ExportFormat.BIBTEX: ("application/x-bibtex; charset=utf-8", "bib"),
    ExportFormat.RIS: ("application/x-research-info-systems; charset=utf-8", "ris"),
    ExportFormat.CSV: ("text/csv; charset=utf-8", "csv"),
    ExportFormat.JSON: ("application/json", "json"),
    ExportFormat.MARKDOWN: ("text/markdown; charset=utf-8", "md"),
}
ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"
WRITERS: dict[ExportFormat, Callable[[list[ExportPaper]], Iterator[str]]] = {
    ExportFormat.BIBTEX: to_bibtex,
    ExportFormat.RIS: to_ris,
    ExportFormat.CSV: to_csv,
    ExportFormat.JSON: to_json,
}
_SAMPLE = ExportPaper(
    id=1,
    slug="attention-is-all-you-need",
    title="Attention Is All You Need",
    created_at=datetime(2026, 1, 1, tzinfo=UTC),
    updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    authors=["Ashish Vaswani", "Noam Shazeer"],
    year=2017,
    venue="NeurIPS",
    arxiv_id="1706.03762",
    categories=["architectures"],
    tags=["transformer"],
    notes=["**必读**: the Transformer"],
)


def _example(format_: ExportFormat) -> str:
    """What a one-paper export looks like, written by the real writer."""
    if format_ is ExportFormat.MARKDOWN:
        categories = [ExportCategory("architectures", "Architectures", "架构")]
        return "".join(to_markdown([_SAMPLE], categories))
    return "".join(WRITERS[format_]([_SAMPLE]))


EXPORT_DESCRIPTION = f"""
The papers `GET /api/v1/papers` would list with the same filters (and `sort`), at most `limit`
({MAX_EXPORT:,} by default and at most), written in one of five formats and streamed as a download:

- `bibtex`: one entry per paper, LaTeX-escaped, with `eprint`/`archivePrefix` for arXiv papers and keys
  unique within the file (`vaswani2017attention`, `vaswani2017attentionb`, ...);
- `ris`: for Zotero, EndNote and Mendeley;
- `csv`: UTF-8 with a byte-order mark so spreadsheet apps read Chinese; lists joined with `; `;
- `json`: an array of paper objects;
- `markdown`: an awesome list, grouped under the category headings, with links, venues, stars and the
  lists' notes.

`X-Export-Count` says how many papers the file holds; `X-Export-Truncated: true` that more matched.
"""


def _write(format_: ExportFormat, papers: list[ExportPaper], session: Session) -> Iterator[str]:
    if format_ is ExportFormat.MARKDOWN:
        # The tree is read now: the response streams after the request's session has closed.
        categories = service.category_tree(session)
        return to_markdown(papers, categories, generated_at=utcnow())
    return WRITERS[format_](papers)


@router.get(
    "/api/v1/export",
    summary="Export papers as BibTeX, RIS, CSV, JSON or a markdown awesome list",
    description=EXPORT_DESCRIPTION,
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The file, as an attachment",
            "content": {media: {"example": _example(kind)} for kind, (media, _ext) in MEDIA_TYPES.items()},
        },
        401: {
            "model": ApiError,
            "description": "The API token sent is unknown or revoked (reading needs none)",
        },
        422: {
            "model": ApiError,
            "description": "A parameter is invalid or unknown, or the format is missing",
        },
    },
)
def export_papers(
    session: DbSession, _user: OptionalUser, params: Annotated[ExportParams, Query()]
) -> StreamingResponse:
    selection = select_papers(session, params.filters(), sort=params.sort, limit=params.limit)
    media_type, extension = MEDIA_TYPES[params.format]
    filename = f"paper-atlas-{datetime.now(UTC):%Y%m%d}.{extension}"
    return StreamingResponse(
        buffered(_write(params.format, selection.papers, session)),
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Export-Count": str(len(selection.papers)),
            "X-Export-Truncated": "true" if selection.truncated else "false",
            # The file is named and stamped with today's date, so a shared copy would go stale by the clock.
            "Cache-Control": "no-store",
        },
    )


@router.get(
    "/feeds/papers.atom",
    summary="Atom feed of newly added papers",
    description=(
        "The newest additions first, with the filters of `GET /api/v1/papers` (a feed per tag, category, "
        "author or search), as an Atom 1.0 feed for feed readers."
    ),
    response_class=StreamingResponse,
    responses={
        200: {"description": "The feed", "content": {"application/atom+xml": {}}},
        422: {"description": "A parameter is invalid or unknown"},
    },
)
def papers_feed(
    request: Request, session: DbSession, params: Annotated[FeedParams, Query()]
) -> StreamingResponse:
    filters = params.filters()
    selection = select_papers(session, filters, sort=PaperSort.ADDED, limit=params.limit)
    base = str(request.base_url)
    query = filters.query_string()
    updated = max((paper.updated_at for paper in selection.papers), default=utcnow())
    described = ", ".join(f"{name}: {value}" for name, value in filters.query_params())
    return StreamingResponse(
        buffered(
            to_atom(
                selection.papers,
                feed_url=str(request.url),
                site_url=f"{base}papers" + (f"?{query}" if query else ""),
                paper_url=f"{base}papers/{{slug}}",
                title="Paper Atlas: new papers" + (f" ({described})" if described else ""),
                updated=updated,
            )
        ),
        media_type=ATOM_MEDIA_TYPE,
    )
