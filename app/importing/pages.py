"""The admins' upload page: bring a list in by file or paste, then read the import's report."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from app.accounts.dependencies import PageUser
from app.accounts.models import Role
from app.accounts.permissions import require_role
from app.db import DbSession
from app.errors import DomainError
from app.importing.api import read_upload
from app.importing.classification import load_import_rules
from app.importing.schemas import ImportForm
from app.importing.service import ListToImport, import_as_user, import_run_report
from app.importing.sources import list_sources
from app.web.flash import flash
from app.web.forms import FORM_ERROR, PostedForm, domain_field_errors, form_action, parse_form
from app.web.i18n import N_, _
from app.web.templating import render

# How the report names what the import did to the list (shown translated).
REPORT_STATUSES = (N_("created"), N_("updated"), N_("unchanged"))

router = APIRouter(include_in_schema=False)


def _page(
    request: Request,
    session: DbSession,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    status_code: int = 200,
) -> HTMLResponse:
    context = {"values": values, "errors": errors, "sources": list_sources(session)}
    return render(request, "importing/import.html", context, status_code=status_code)


@router.get("/import", response_class=HTMLResponse, name="import_form")
def import_form(request: Request, session: DbSession, user: PageUser) -> Response:
    require_role(user, Role.ADMIN)
    return _page(request, session, {}, {})


@router.post("/import", response_class=HTMLResponse, name="import_submit")
def import_submit(request: Request, form: PostedForm, session: DbSession, user: PageUser) -> Response:
    require_role(user, Role.ADMIN)
    settings = request.app.state.settings
    upload = form.get("file")
    has_file = isinstance(upload, UploadFile) and bool(upload.filename)
    data, errors, values = parse_form(ImportForm, {k: v for k, v in form.multi_items() if k != "file"})
    if data is not None and has_file == bool(data.markdown):
        errors = {"file": _("Choose a file or paste the list's markdown (one of the two).")}
    if data is None or errors:
        return _page(request, session, values, errors, status_code=422)
    try:
        if isinstance(upload, UploadFile) and has_file:
            text = read_upload(upload, settings.max_import_bytes)
        else:
            text = (data.markdown or "").encode()
        with form_action(session):
            report = import_as_user(
                session,
                ListToImport(
                    name=data.name, content=text, title=data.title, origin=data.origin, language=data.language
                ),
                user=user,
                rules=load_import_rules(settings.seeds_dir),
                max_bytes=settings.max_import_bytes,
            )
    except DomainError as exc:
        if exc.status_code in (401, 403):
            raise
        field_errors = domain_field_errors(exc)
        if "file" in field_errors and not has_file:
            field_errors["markdown"] = field_errors.pop("file")
        if FORM_ERROR in field_errors:
            field_errors.setdefault("file", field_errors[FORM_ERROR])
        return _page(request, session, values, field_errors, status_code=exc.status_code)
    if report.run_id is None:
        flash(
            request,
            _("“%(title)s” is unchanged since its last import: nothing was written.", title=report.title),
            "info",
        )
        return RedirectResponse(request.url_for("import_form"), status_code=303)
    flash(
        request,
        _(
            "Imported “%(title)s”: %(entries)s entries, %(created)s new papers.",
            title=report.title,
            entries=report.entries,
            created=report.papers_created,
        ),
    )
    return RedirectResponse(request.url_for("import_report", run_id=report.run_id), status_code=303)


@router.get("/import/runs/{run_id}", response_class=HTMLResponse, name="import_report")
def import_report(request: Request, run_id: int, session: DbSession, user: PageUser) -> Response:
    report = import_run_report(session, run_id, user=user)
    return render(request, "importing/report.html", {"report": report})
