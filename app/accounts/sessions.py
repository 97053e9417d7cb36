"""Server-side sign-in sessions: the browser holds a random id, the database its hash, user and timeouts."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from app.accounts.models import User, UserSession
from app.db import utcnow

SESSION_COOKIE = "pa_session"
_MAX_ID_LENGTH = 100


def _hash(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta
    absolute: timedelta


@dataclass(frozen=True)
class ActiveSession:
    record: UserSession
    user: User


def start_session(
    session: Session,
    user: User,
    policy: SessionPolicy,
    *,
    csrf_secret: str,
    user_agent: str | None = None,
) -> str:
    """Open a session for USER and return the plain id for the cookie (only its hash is stored)."""
    plain = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        UserSession(
            id_hash=_hash(plain),
            user_id=user.id,
            csrf_token=csrf_secret,
            created_at=now,
            last_seen_at=now,
            expires_at=now + policy.absolute,
            user_agent=(user_agent or "")[:255] or None,
        )
    )
    user.last_login_at = now
    session.flush()
    return plain


def find_session(session: Session, plain: str, policy: SessionPolicy) -> ActiveSession | None:
    """The live session behind a cookie value: not expired, not idle too long, its user still active."""
    if not plain or len(plain) > _MAX_ID_LENGTH:
        return None
    row = session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.id_hash == _hash(plain))
    ).first()
    if row is None:
        return None
    record, user = row
    now = utcnow()
    if not user.is_active or record.expires_at <= now or record.last_seen_at + policy.idle <= now:
        return None  # left for purge_expired_sessions: reading a page should not have to write
    return ActiveSession(record, user)


def end_session(session: Session, plain: str) -> None:
    session.execute(delete(UserSession).where(UserSession.id_hash == _hash(plain)))


def end_user_sessions(session: Session, user_id: int, *, keep_id: int | None = None) -> int:
    """End every session of a user (all but KEEP_ID): after a password change, disabling, a role change."""
    statement = delete(UserSession).where(UserSession.user_id == user_id)
    if keep_id is not None:
        statement = statement.where(UserSession.id != keep_id)
    return session.execute(statement).rowcount  # type: ignore[attr-defined, no-any-return]


def purge_expired_sessions(session: Session, policy: SessionPolicy) -> None:
    now = utcnow()
    session.execute(
        delete(UserSession).where(
            or_(UserSession.expires_at <= now, UserSession.last_seen_at <= now - policy.idle)
        )
    )
