"""The "Papers you added" part of the account page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.accounts.sections import AccountSection, register_account_section
from app.catalog.models import Paper
from app.translatable import N_

SHOWN = 50


def papers_added_by(session: Session, user_id: int, *, limit: int = SHOWN) -> tuple[list[Paper], int]:
    """The papers a person added, newest first, and how many there are in all."""
    papers = session.scalars(
        select(Paper)
        .where(Paper.added_by_id == user_id)
        .order_by(Paper.created_at.desc(), Paper.id.desc())
        .limit(limit)
    ).all()
    total = session.scalar(select(func.count()).where(Paper.added_by_id == user_id)) or 0
    return list(papers), total


def _load(session: Session, user: User) -> dict[str, Any]:
    papers, total = papers_added_by(session, user.id)
    return {"papers": papers, "total": total}


register_account_section(
    AccountSection(
        key="papers",
        title=N_("Papers you added"),
        template="catalog/_account_section.html",
        load=_load,
        order=20,
    )
)
