"""The front page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.db import DbSession
from app.system import service
from app.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse, name="home")
def home(request: Request, session: DbSession) -> HTMLResponse:
    return render(request, "home.html", {"counts": service.catalogue_counts(session)})
