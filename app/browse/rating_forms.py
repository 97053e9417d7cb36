"""Rating from the paper page: five radio stars and a comment; sending again replaces your rating.

A form with errors is answered with the paper page again, so these routes live beside it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.dependencies import OptionalUser
from app.browse.pages import render_paper_page
from app.catalog.reading import paper_id_for_slug
from app.db import DbSession
from app.errors import DomainError
from app.ratings import service
from app.ratings.schemas import RatingIn
from app.web.flash import flash
from app.web.forms import PostedForm, domain_field_errors, form_action, parse_form
from app.web.i18n import _
from app.web.login_redirect import LoginRequired

router = APIRouter(include_in_schema=False)


def _paper_path(request: Request, slug: str) -> str:
    return request.url_for("paper_detail", slug=slug).path


@router.post("/papers/{slug}/rating", response_class=HTMLResponse, name="paper_rate")
def rate(request: Request, session: DbSession, user: OptionalUser, form: PostedForm, slug: str) -> Response:
    if user is None:
        raise LoginRequired(_paper_path(request, slug) + "#rating")
    paper_id = paper_id_for_slug(session, slug)
    rating, errors, values = parse_form(RatingIn, form)
    if rating is not None:
        try:
            with form_action(session):
                service.rate_paper(session, paper_id, user, score=rating.score, comment=rating.comment)
        except DomainError as exc:
            if exc.status_code in (401, 403, 429):
                raise
            errors = domain_field_errors(exc)
    if rating is None or errors:
        if "score" in errors:
            errors["score"] = _("Choose from one to five stars.")
        state = {"rating_errors": errors, "rating_values": values}
        return render_paper_page(request, session, user, slug, state=state, status_code=422)
    flash(
        request, _("Your rating is saved.") if not rating.comment else _("Your rating and comment are saved.")
    )
    return RedirectResponse(_paper_path(request, slug) + "#rating", status_code=303)


@router.post("/papers/{slug}/rating/delete", name="paper_unrate")
def unrate(request: Request, session: DbSession, user: OptionalUser, slug: str) -> Response:
    if user is None:
        raise LoginRequired(_paper_path(request, slug))
    service.remove_rating(session, paper_id_for_slug(session, slug), user)
    flash(request, _("Your rating is removed."))
    return RedirectResponse(_paper_path(request, slug) + "#rating", status_code=303)
