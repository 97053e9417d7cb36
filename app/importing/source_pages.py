"""/sources (every imported list) and /sources/{name} (one list as its curator organised it), and the
"In the lists" panel of a paper's page, which shows repaired Chinese notes with their guessed characters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.catalog.paper_panels import PaperPanel, register_paper_panel
from app.catalog.schemas import PaperDetail
from app.db import DbSession
from app.importing import sources
from app.importing.provenance import NoteSegment
from app.web.markup import render_note
from app.web.templating import render

router = APIRouter(include_in_schema=False)
# Private-use characters that never occur in notes: they mark the guessed characters through render_note,
# which escapes everything else and keeps links and bold, and are then swapped for <mark> elements.
_GUESS_START, _GUESS_END = "\ue000", "\ue001"


def repaired_note_html(segments: list[NoteSegment]) -> Markup:
    """A repaired note rendered like any note, each guessed character marked with its alternatives."""
    marked = "".join(
        f"{_GUESS_START}{segment.text}{_GUESS_END}" if segment.is_uncertain else segment.text
        for segment in segments
    )
    html = str(render_note(marked))
    for segment in segments:
        if segment.is_uncertain:
            title = escape(f"A guess; also possible: {' '.join(segment.candidates)}")
            html = html.replace(_GUESS_START, f'<mark class="uncertain" title="{title}">', 1)
    return Markup(html.replace(_GUESS_END, "</mark>"))  # noqa: S704 - render_note escaped the text


def _provenance(
    session: Session, paper: PaperDetail, _user: User | None, _state: Mapping[str, Any]
) -> dict[str, Any]:
    entries = sources.provenance_for(session, [paper.id]).get(paper.id, [])
    notes = [
        repaired_note_html(entry.note_segments) if entry.uncertain_chars else render_note(entry.note)
        for entry in entries
    ]
    return {"entries": list(zip(entries, notes, strict=True))}


register_paper_panel(
    PaperPanel(key="provenance", template="sources/_paper_provenance.html", load=_provenance, order=5)
)


@router.get("/sources", response_class=HTMLResponse, name="source_list")
def source_list(request: Request, session: DbSession) -> HTMLResponse:
    return render(request, "sources/list.html", {"sources": sources.list_sources(session)})


@router.get("/sources/{name}", response_class=HTMLResponse, name="source_detail")
def source_detail(request: Request, session: DbSession, name: str) -> HTMLResponse:
    outline = sources.source_outline(session, name)
    return render(request, "sources/detail.html", {"source": outline})
