"""/account: who you are, the papers you added, your ratings and your API tokens."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts import service
from app.accounts.dependencies import PageUser
from app.accounts.models import User
from app.accounts.schemas import TokenCreateForm
from app.catalog.models import Paper
from app.db import DbSession
from app.errors import DomainError
from app.ratings.service import ratings_by_user
from app.translatable import N_
from app.web.flash import flash
from app.web.forms import PostedForm, domain_field_errors, parse_form
from app.web.i18n import _
from app.web.templating import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger("paper_atlas.accounts")
PAPERS_SHOWN = 50


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str


RATINGS = Section("ratings", N_("Your ratings"), "ratings/_account_section.html")
PAPERS = Section("papers", N_("Papers you added"), "catalog/_account_section.html")


def papers_added_by(session: Session, user_id: int, *, limit: int = PAPERS_SHOWN) -> tuple[list[Paper], int]:
    """The papers a person added, newest first, and how many there are in all."""
    papers = session.scalars(
        select(Paper)
        .where(Paper.added_by_id == user_id)
        .order_by(Paper.created_at.desc(), Paper.id.desc())
        .limit(limit)
    ).all()
    total = session.scalar(select(func.count()).where(Paper.added_by_id == user_id)) or 0
    return list(papers), total


def account_sections(session: Session, user: User) -> list[tuple[Section, dict[str, Any]]]:
    ratings, rated = ratings_by_user(session, user.id)
    papers, added = papers_added_by(session, user.id)
    return [(RATINGS, {"ratings": ratings, "total": rated}), (PAPERS, {"papers": papers, "total": added})]


def _account_page(
    request: Request,
    session: DbSession,
    user: User,
    *,
    new_token: str | None = None,
    token_errors: dict[str, str] | None = None,
    token_values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    sections = account_sections(session, user)
    response = render(
        request,
        "accounts/account.html",
        {
            "user": user,
            "tokens": service.list_tokens(session, user),
            "new_token": new_token,
            "token_errors": token_errors or {},
            "token_values": token_values or {},
            "sections": sections,
        },
        status_code=status_code,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/account", response_class=HTMLResponse, name="account")
def account(request: Request, session: DbSession, user: PageUser) -> Response:
    return _account_page(request, session, user)


@router.post("/account/tokens", response_class=HTMLResponse, name="account_token_create")
def create_token(request: Request, form: PostedForm, session: DbSession, user: PageUser) -> Response:
    data, errors, values = parse_form(TokenCreateForm, form)
    if data is None:
        return _account_page(
            request, session, user, token_errors=errors, token_values=values, status_code=422
        )
    try:
        token, plain = service.create_api_token(session, user, data.name)
    except DomainError as exc:
        return _account_page(
            request,
            session,
            user,
            token_errors=domain_field_errors(exc),
            token_values=values,
            status_code=exc.status_code,
        )
    log.info("API token %s created by %s", token.id, user.username)
    # Shown in this response only (not after a redirect): the plain token is never stored anywhere.
    return _account_page(request, session, user, new_token=plain, status_code=201)


@router.post("/account/tokens/{token_id}/revoke", name="account_token_revoke")
def revoke_token(request: Request, token_id: int, session: DbSession, user: PageUser) -> Response:
    token = service.revoke_token(session, user, token_id)
    log.info("API token %s revoked by %s", token.id, user.username)
    flash(request, _("Token “%(name)s” revoked.", name=token.name))
    return RedirectResponse("/account", status_code=303)
