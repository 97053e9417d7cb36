"""/sources (every imported list) and /sources/{name} (one list as its curator organised it), and the
"In the lists" panel of a paper's page, which shows repaired Chinese notes with their guessed characters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.catalog.paper_panels import PaperPanel, register_paper_panel
from app.catalog.schemas import PaperDetail
from app.db import DbSession
from app.importing import sources
from app.web.templating import render

router = APIRouter(include_in_schema=False)


def _provenance(
    session: Session, paper: PaperDetail, _user: User | None, _state: Mapping[str, Any]
) -> dict[str, Any]:
    return {"entries": sources.provenance_for(session, [paper.id]).get(paper.id, [])}


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
