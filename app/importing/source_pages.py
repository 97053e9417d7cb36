"""/sources (every imported list) and /sources/{name} (one list as its curator organised it), and how a
repaired Chinese note shows its guessed characters (the paper page's "In the lists" panel uses it too)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from pydantic import ValidationError

from app.accounts.dependencies import OptionalUser, PageUser
from app.accounts.models import Role
from app.db import DbSession
from app.errors import InvalidInput
from app.importing import sources
from app.importing.classification import load_import_rules
from app.importing.entry_kinds import PAPER, RESOURCE_KINDS
from app.importing.provenance import NoteSegment
from app.importing.schemas import KindChoice
from app.importing.service import choose_entry_kind
from app.web.flash import flash
from app.web.forms import PostedForm
from app.web.i18n import _
from app.web.markup import render_note
from app.web.templating import render

router = APIRouter(include_in_schema=False)
# Private-use characters that never occur in notes: they mark the guessed characters through render_note,
# which escapes everything else and keeps links and bold, and are then swapped for <mark> elements.
_GUESS_START, _GUESS_END = "\ue000", "\ue001"


def _inside_link(html: str, position: int) -> bool:
    before = html[:position]
    return before.rfind("<a ") > before.rfind("</a>")


def _guess_button(char: str, alternatives: str, guess_id: str) -> str:
    return (
        '<span class="uncertain"><button type="button" class="uncertain-char" data-guess'
        f' aria-expanded="false" aria-controls="{guess_id}"'
        f' aria-describedby="{guess_id}">{char}</button>'
        f'<span class="uncertain-alternatives" id="{guess_id}" role="note">{alternatives}</span></span>'
    )


def repaired_note_html(segments: list[NoteSegment], key: str = "note") -> Markup:
    """A repaired note rendered like any note, each guessed character a button that shows its alternatives.

    A button (not a hover title) so that touch and the keyboard reach them too; KEY makes the ids unique
    among the notes of one page. A guess inside a link's text cannot hold a button: it is marked in place
    and its alternatives are listed in a disclosure after the note.
    """
    marked = "".join(
        f"{_GUESS_START}{segment.text}{_GUESS_END}" if segment.is_uncertain else segment.text
        for segment in segments
    )
    html = str(render_note(marked))
    in_links: list[str] = []
    guesses = [segment for segment in segments if segment.is_uncertain]
    for number, segment in enumerate(guesses):
        start = html.find(_GUESS_START)
        end = html.find(_GUESS_END, start)
        if start < 0 or end < 0:
            break
        char = html[start + 1 : end]
        alternatives = escape(
            _("A guess; also possible: %(candidates)s", candidates=" ".join(segment.candidates))
        )
        if _inside_link(html, start):
            replacement = f'<mark class="uncertain">{char}</mark>'
            in_links.append(f"<li>{char}: {alternatives}</li>")
        else:
            replacement = _guess_button(char, str(alternatives), f"guess-{key}-{number}")
        html = html[:start] + replacement + html[end + 1 :]
    if in_links:
        summary = escape(_("Guessed characters in links"))
        html += f'<details class="guesses"><summary>{summary}</summary><ul>{"".join(in_links)}</ul></details>'
    return Markup(html)  # noqa: S704 - render_note escaped the text


@router.get("/sources", response_class=HTMLResponse, name="source_list")
def source_list(request: Request, session: DbSession) -> HTMLResponse:
    return render(request, "sources/list.html", {"sources": sources.list_sources(session)})


@router.get("/sources/{name}", response_class=HTMLResponse, name="source_detail")
def source_detail(request: Request, session: DbSession, user: OptionalUser, name: str) -> HTMLResponse:
    outline = sources.source_outline(session, name)
    may_choose = user is not None and user.is_active and user.role_enum.at_least(Role.EDITOR)
    context = {"source": outline, "may_choose": may_choose, "resource_kinds": RESOURCE_KINDS}
    return render(request, "sources/detail.html", context)


@router.post("/sources/{name}/kinds", response_class=HTMLResponse, name="source_choose_kind")
def source_choose_kind(
    request: Request, form: PostedForm, session: DbSession, user: PageUser, name: str
) -> Response:
    try:
        choice = KindChoice.model_validate({"entry_key": form.get("entry_key"), "kind": form.get("kind")})
    except ValidationError as exc:
        raise InvalidInput("Choose an entry and a kind.", fields={"kind": "Unknown kind."}) from exc
    settings = request.app.state.settings
    choose_entry_kind(
        session,
        name,
        choice,
        user=user,
        rules=load_import_rules(settings.seeds_dir),
        max_bytes=settings.max_import_bytes,
    )
    if choice.kind == PAPER:
        flash(request, _("The entry is now a paper, and stays one when the list is imported again."))
    else:
        flash(
            request,
            _("The entry is now a resource of the list, and stays one when the list is imported again."),
        )
    return RedirectResponse(str(request.url_for("source_detail", name=name)), status_code=303)
