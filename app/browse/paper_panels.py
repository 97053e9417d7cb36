"""The parts of a paper's page that other domains know: the lists that mention it, your rating, comments."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.accounts.models import User
from app.browse.schemas import PaperDetail
from app.importing.source_pages import repaired_note_html
from app.importing.sources import provenance_for
from app.ratings import service as ratings
from app.web.markup import render_note

COMMENTS_SHOWN = 20


@dataclass(frozen=True)
class Panel:
    """A template the paper page includes, with its context under `panel` (it runs no queries)."""

    template: str
    context: dict[str, Any]


def _provenance(session: Session, paper: PaperDetail) -> Panel:
    entries = [entry for entry in provenance_for(session, [paper.id]).get(paper.id, []) if entry.is_present]
    notes = [
        repaired_note_html(entry.note_segments, key=str(number))
        if entry.uncertain_chars
        else render_note(entry.note)
        for number, entry in enumerate(entries)
    ]
    return Panel("sources/_paper_provenance.html", {"entries": list(zip(entries, notes, strict=True))})


def _comments(session: Session, paper: PaperDetail, user: User | None) -> Panel:
    page = ratings.list_ratings(session, paper.id, limit=COMMENTS_SHOWN)
    return Panel(
        "ratings/_comments.html",
        {
            "comments": [rating for rating in page.items if rating.comment],
            "more": page.next_cursor is not None,
            "username": user.username if user is not None else None,
        },
    )


def _your_rating(session: Session, paper: PaperDetail, user: User | None, state: Mapping[str, Any]) -> Panel:
    mine = ratings.get_rating(session, paper.id, user.id) if user is not None else None
    values = state.get("rating_values") or (
        {"score": mine.score, "comment": mine.comment or ""} if mine is not None else {}
    )
    context = {"paper": paper, "mine": mine, "entered": values, "errors": state.get("rating_errors") or {}}
    return Panel("ratings/_your_rating.html", context)


def paper_panels(
    session: Session, paper: PaperDetail, user: User | None, state: Mapping[str, Any]
) -> tuple[list[Panel], list[Panel]]:
    """The main column's panels and the aside's; STATE carries a failed rating form's errors and values."""
    return [_provenance(session, paper), _comments(session, paper, user)], [
        _your_rating(session, paper, user, state)
    ]
