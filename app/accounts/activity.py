"""When a token was last used and a session last seen: stamped beside the request, at most once a minute.

A read must never write in its own transaction (on SQLite that fails while anyone else writes), so the stamp
is a separate short write that gives up at once when another writer holds the lock: a skipped stamp costs
nothing, the next request a minute on records it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from app.accounts.models import ApiToken, UserSession

log = logging.getLogger("paper_atlas.accounts")

STAMP_INTERVAL = timedelta(minutes=1)


def is_due(last: datetime | None, now: datetime) -> bool:
    return last is None or now - last >= STAMP_INTERVAL


def stamp_token(session: Session, token_id: int, now: datetime) -> None:
    # The condition keeps two processes (or two quick requests) from both writing within the interval.
    session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - STAMP_INTERVAL),
        )
        .values(last_used_at=now)
    )


def stamp_session(session: Session, record_id: int, now: datetime) -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.id == record_id, UserSession.last_seen_at <= now - STAMP_INTERVAL)
        .values(last_seen_at=now)
    )
