"""Adding, editing and deleting papers through forms: post/redirect/get, field errors with status 422,
and a paper that is already catalogued named with a link instead of a duplicate."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from app.accounts.dependencies import PageUser
from app.accounts.models import User
from app.accounts.permissions import require_edit_owned
from app.catalog import filling, service
from app.catalog.models import Paper
from app.catalog.paper_form import (
    category_choices,
    error_summary,
    field_errors_in_form_terms,
    read_paper_form,
    values_from_paper,
)
from app.catalog.reading import paper_id_for_slug, paper_links
from app.catalog.write_schemas import PaperCreate, PaperUpdate
from app.db import DbSession
from app.errors import Conflict, DomainError, InvalidInput
from app.metadata.errors import FetchingOff, SourceUnavailable
from app.taxonomy.queries import category_tree
from app.web.flash import flash
from app.web.forms import PostedForm, domain_field_errors, form_action, parse_form
from app.web.i18n import _
from app.web.templating import render

router = APIRouter(include_in_schema=False)


def _form_page(
    request: Request,
    session: Session,
    *,
    paper: Paper | None,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    existing: dict[str, Any] | None = None,
    lookup: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {
        "lookup": lookup or {},
        "paper": paper,
        "values": values,
        "errors": errors or {},
        "summary_errors": error_summary(errors or {}),
        "existing": existing,
        "category_choices": category_choices(category_tree(session).categories),
    }
    template = "catalog/new.html" if paper is None else "catalog/edit.html"
    return render(request, template, context, status_code=status_code)


def _paper_for_edit(session: Session, slug: str, user: User) -> Paper:
    paper = service.get_paper(session, paper_id_for_slug(session, slug))
    require_edit_owned(user, paper.added_by_id)
    return paper


def _conflict_state(exc: Conflict) -> tuple[dict[str, str], dict[str, Any] | None]:
    existing = exc.extra.get("existing")
    message = _("This paper is already in the catalogue.") if existing else _(exc.detail)
    return {"__all__": message}, existing if isinstance(existing, dict) else None


@router.get("/papers/new", response_class=HTMLResponse, name="paper_new")
def paper_new(request: Request, session: DbSession, _user: PageUser) -> HTMLResponse:
    return _form_page(request, session, paper=None, values={"categories": []})


@router.post("/papers/new", response_class=HTMLResponse, name="paper_create")
def paper_create(request: Request, session: DbSession, user: PageUser, form: PostedForm) -> Response:
    data, values, missing = read_paper_form(form)
    created, errors, _values = parse_form(PaperCreate, data)
    if created is None or missing:
        errors = field_errors_in_form_terms({**errors, **missing})
        return _form_page(request, session, paper=None, values=values, errors=errors, status_code=422)
    try:
        with form_action(session):
            paper = service.create_paper(session, created, added_by=user)
    except Conflict as exc:
        errors, existing = _conflict_state(exc)
        return _form_page(
            request, session, paper=None, values=values, errors=errors, existing=existing, status_code=409
        )
    except DomainError as exc:
        errors = field_errors_in_form_terms(domain_field_errors(exc))
        return _form_page(request, session, paper=None, values=values, errors=errors, status_code=422)
    flash(request, _("Added “%(title)s”. Thank you!", title=paper.title))
    return RedirectResponse(request.url_for("paper_detail", slug=paper.slug), status_code=303)


@router.post("/papers/new/fill", response_class=HTMLResponse, name="paper_fill")
def paper_fill(request: Request, session: DbSession, _user: PageUser, form: PostedForm) -> HTMLResponse:
    """ "Fill in" without JavaScript: the form comes back filled from the source, for review before saving."""
    _data, values, _missing = read_paper_form(form)
    text = form.get("lookup")
    lookup: dict[str, Any] = {"text": text[:2000] if isinstance(text, str) else ""}
    identifier = filling.identifier_from_text(lookup["text"])
    if identifier is None:
        lookup["error"] = _("Paste an arXiv id or link (e.g. 2005.14165), or a DOI (e.g. 10.1145/…).")
        return _form_page(request, session, paper=None, values=values, lookup=lookup, status_code=422)
    try:
        record = filling.fetch_record(session, request.app.state.settings, identifier)
    except FetchingOff:
        lookup["unavailable"] = _("Looking papers up is turned off on this server: type the details below.")
        return _form_page(request, session, paper=None, values=values, lookup=lookup)
    except SourceUnavailable as exc:
        lookup["unavailable"] = _(
            "%(source)s could not be reached (%(reason)s): type the details below, or try again later.",
            source=exc.source,
            reason=exc.reason,
        )
        return _form_page(request, session, paper=None, values=values, lookup=lookup)
    except InvalidInput:
        lookup["error"] = _("No paper was found for %(identifier)s.", identifier=filling.describe(identifier))
        return _form_page(request, session, paper=None, values=values, lookup=lookup, status_code=422)
    values.update(filling.form_values(record))
    lookup["filled_from"] = filling.SOURCE_LABELS[record.source]
    found = service.find_existing(session, arxiv_id=record.arxiv_id, doi=record.doi, title=record.title)
    lookup["existing"] = service.existing_summary(found) if found else None
    return _form_page(request, session, paper=None, values=values, lookup=lookup)


@router.get("/papers/{slug}/edit", response_class=HTMLResponse, name="paper_edit")
def paper_edit(request: Request, session: DbSession, user: PageUser, slug: str) -> HTMLResponse:
    paper = _paper_for_edit(session, slug, user)
    values = values_from_paper(paper, paper_links(session, paper.id))
    return _form_page(request, session, paper=paper, values=values)


@router.post("/papers/{slug}/edit", response_class=HTMLResponse, name="paper_update")
def paper_update(
    request: Request, session: DbSession, user: PageUser, form: PostedForm, slug: str
) -> Response:
    paper = _paper_for_edit(session, slug, user)
    data, values, missing = read_paper_form(form)
    changes, errors, _values = parse_form(PaperUpdate, data)
    if changes is None or missing:
        errors = field_errors_in_form_terms({**errors, **missing})
        return _form_page(request, session, paper=paper, values=values, errors=errors, status_code=422)
    try:
        with form_action(session):
            service.update_paper(session, paper, changes, user=user)
    except Conflict as exc:
        errors, existing = _conflict_state(exc)
        return _form_page(
            request, session, paper=paper, values=values, errors=errors, existing=existing, status_code=409
        )
    except DomainError as exc:
        if exc.status_code in (401, 403):
            raise
        errors = field_errors_in_form_terms(domain_field_errors(exc))
        return _form_page(request, session, paper=paper, values=values, errors=errors, status_code=422)
    flash(request, _("Your changes are saved."))
    return RedirectResponse(request.url_for("paper_detail", slug=paper.slug), status_code=303)


@router.get("/papers/{slug}/delete", response_class=HTMLResponse, name="paper_delete_confirm")
def paper_delete_confirm(request: Request, session: DbSession, user: PageUser, slug: str) -> HTMLResponse:
    paper = _paper_for_edit(session, slug, user)
    return render(request, "catalog/delete.html", {"paper": paper})


@router.post("/papers/{slug}/delete", name="paper_delete")
def paper_delete(request: Request, session: DbSession, user: PageUser, slug: str) -> Response:
    paper = _paper_for_edit(session, slug, user)
    title = paper.title
    service.delete_paper(session, paper, user=user)
    flash(request, _("Deleted “%(title)s”.", title=title))
    return RedirectResponse(request.url_for("paper_list"), status_code=303)
