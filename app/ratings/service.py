"""Rating papers: one rating per person, upserted so that concurrent ratings never lose an update."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, tuple_, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from app.accounts.models import User
from app.accounts.permissions import require_user
from app.bulk import upsert_statement
from app.catalog.bayesian import stored_rating_score
from app.catalog.models import Paper
from app.db import utcnow
from app.errors import InvalidInput, NotFound
from app.ratings.models import Rating
from app.ratings.schemas import MAX_COMMENT_CHARS, RatingBucket, RatingPage, RatingRead, RatingSummary
from app.translatable import N_

SCORES = range(1, 6)
MAX_PAGE_SIZE = 100


def _lock_paper(session: Session, paper_id: int) -> None:
    """Serialise writers of one paper's ratings, so the recount below sees every committed rating.

    Without the row lock, PostgreSQL's READ COMMITTED would let two concurrent recounts each miss the
    other's new rating. SQLite ignores FOR UPDATE; its write transactions are serial anyway.
    """
    found = session.scalar(select(Paper.id).where(Paper.id == paper_id).with_for_update())
    if found is None:
        raise NotFound(f"No paper with id {paper_id}.")


def refresh_paper_rating(session: Session, paper_id: int) -> None:
    """Recompute the paper's rating_count, rating_avg and rating_score from the ratings table.

    A rating is not an edit of the paper: `updated_at` stays, and so does the catalogue generation (0015).
    """
    count, average = session.execute(
        select(func.count(Rating.id), func.avg(Rating.score)).where(Rating.paper_id == paper_id)
    ).one()
    average = float(average) if average is not None else None
    session.execute(
        update(Paper)
        .where(Paper.id == paper_id)
        .values(
            rating_count=count,
            rating_avg=average,
            rating_score=stored_rating_score(average, count),
            updated_at=Paper.updated_at,
        )
        .execution_options(synchronize_session=False)
    )
    # The ORM's own synchronisation left a loaded paper's old figures in place (the SET names updated_at as a
    # column expression), so a loaded paper forgets them and reads them afresh.
    held = session.identity_map.get(identity_key(Paper, paper_id))
    if held is not None:
        session.expire(held, ["rating_count", "rating_avg", "rating_score"])


# --- writing -------------------------------------------------------------------------


def rate_paper(
    session: Session, paper_id: int, user: User | None, *, score: int, comment: str | None
) -> Rating:
    """Create or replace USER's rating of the paper and bring the paper's average up to date."""
    user = require_user(user)
    if score not in SCORES:
        raise InvalidInput(N_("Scores run from 1 to 5."), fields={"score": N_("1 to 5.")})
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > MAX_COMMENT_CHARS:
        raise InvalidInput(
            N_("That comment is too long."), fields={"comment": f"At most {MAX_COMMENT_CHARS} characters."}
        )
    _lock_paper(session, paper_id)
    now = utcnow()
    statement = upsert_statement(
        session,
        Rating,
        keys=["user_id", "paper_id"],
        update=["score", "comment", "updated_at"],
        values={
            "user_id": user.id,
            "paper_id": paper_id,
            "score": score,
            "comment": comment,
            "created_at": now,
            "updated_at": now,
        },
    ).returning(Rating.id)
    rating_id = session.execute(statement).scalar_one()
    refresh_paper_rating(session, paper_id)
    return session.scalars(
        select(Rating).where(Rating.id == rating_id).execution_options(populate_existing=True)
    ).one()


def remove_rating(session: Session, paper_id: int, user: User | None) -> None:
    """Withdraw USER's own rating of the paper."""
    user = require_user(user)
    _lock_paper(session, paper_id)
    deleted = session.execute(
        delete(Rating)
        .where(Rating.paper_id == paper_id, Rating.user_id == user.id)
        .returning(Rating.id)
        .execution_options(synchronize_session="fetch")
    ).all()
    if not deleted:
        raise NotFound(N_("You have not rated this paper."))
    refresh_paper_rating(session, paper_id)


def move_ratings(session: Session, kept: Paper, duplicate: Paper) -> None:
    """The duplicate's ratings move to the kept paper; who rated both keeps their latest rating."""
    rows = session.execute(
        select(Rating.id, Rating.user_id, Rating.paper_id, Rating.updated_at).where(
            Rating.paper_id.in_([kept.id, duplicate.id])
        )
    ).all()
    latest: dict[int, tuple[datetime, int, int]] = {}
    for rating_id, user_id, paper_id, updated_at in rows:
        # On a tie the kept paper's rating wins.
        candidate = (updated_at, int(paper_id == kept.id), rating_id)
        if user_id not in latest or candidate > latest[user_id]:
            latest[user_id] = candidate
    keep_ids = {rating_id for _at, _kept, rating_id in latest.values()}
    losers = [row.id for row in rows if row.id not in keep_ids]
    if losers:
        session.execute(
            delete(Rating).where(Rating.id.in_(losers)).execution_options(synchronize_session=False)
        )
    session.execute(
        update(Rating)
        .where(Rating.paper_id == duplicate.id)
        .values(paper_id=kept.id)
        .execution_options(synchronize_session=False)
    )
    refresh_paper_rating(session, kept.id)
    refresh_paper_rating(session, duplicate.id)


# --- reading -------------------------------------------------------------------------


def rating_summary(session: Session, paper_id: int) -> RatingSummary:
    """Count, average and the 1..5 distribution of a paper's ratings."""
    by_score = dict(
        session.execute(
            select(Rating.score, func.count()).where(Rating.paper_id == paper_id).group_by(Rating.score)
        ).all()
    )
    distribution = {score: int(by_score.get(score, 0)) for score in SCORES}
    count = sum(distribution.values())
    total = sum(score * n for score, n in distribution.items())
    return RatingSummary(
        paper_id=paper_id,
        count=count,
        average=round(total / count, 2) if count else None,
        distribution=[RatingBucket(score=score, count=n) for score, n in distribution.items()],
    )


def get_rating(session: Session, paper_id: int, user_id: int) -> Rating | None:
    return session.scalar(select(Rating).where(Rating.paper_id == paper_id, Rating.user_id == user_id))


def _encode_cursor(updated_at: datetime, rating_id: int) -> str:
    raw = f"{updated_at.isoformat()}|{rating_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, rating_id = raw.split("|")
        moment = datetime.fromisoformat(stamp)
        if moment.tzinfo is None:
            raise ValueError(stamp)
        return moment, int(rating_id)
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise InvalidInput(
            "That cursor is not one this API gave out.", fields={"cursor": "Unknown cursor."}
        ) from exc


def list_ratings(
    session: Session, paper_id: int, *, limit: int = 20, cursor: str | None = None
) -> RatingPage:
    """One page of the paper's ratings with comments, newest first (keyset paginated)."""
    if session.scalar(select(Paper.id).where(Paper.id == paper_id)) is None:
        raise NotFound(f"No paper with id {paper_id}.")
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    statement = (
        select(Rating, User.username)
        .join(User, User.id == Rating.user_id)
        .where(Rating.paper_id == paper_id)
        .order_by(Rating.updated_at.desc(), Rating.id.desc())
        .limit(limit + 1)
    )
    if cursor:
        after_at, after_id = _decode_cursor(cursor)
        statement = statement.where(tuple_(Rating.updated_at, Rating.id) < tuple_(after_at, after_id))
    rows = session.execute(statement).all()
    items = [_read(rating, username) for rating, username in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1][0]
        next_cursor = _encode_cursor(last.updated_at, last.id)
    return RatingPage(summary=rating_summary(session, paper_id), items=items, next_cursor=next_cursor)


def _read(rating: Rating, username: str) -> RatingRead:
    return RatingRead(
        id=rating.id,
        paper_id=rating.paper_id,
        username=username,
        score=rating.score,
        comment=rating.comment,
        created_at=rating.created_at,
        updated_at=rating.updated_at,
    )


def rating_read(session: Session, rating: Rating) -> RatingRead:
    username = session.scalar(select(User.username).where(User.id == rating.user_id))
    return _read(rating, username or "")


ACCOUNT_SHOWN = 50


@dataclass(frozen=True)
class RatedPaper:
    slug: str
    title: str
    score: int
    comment: str | None
    updated_at: datetime


def ratings_by_user(
    session: Session, user_id: int, *, limit: int = ACCOUNT_SHOWN
) -> tuple[list[RatedPaper], int]:
    """A person's latest ratings, newest first, and how many there are in all."""
    rows = session.execute(
        select(Paper.slug, Paper.title, Rating.score, Rating.comment, Rating.updated_at)
        .join(Paper, Paper.id == Rating.paper_id)
        .where(Rating.user_id == user_id)
        .order_by(Rating.updated_at.desc(), Rating.id.desc())
        .limit(limit)
    )
    total = session.scalar(select(func.count()).where(Rating.user_id == user_id)) or 0
    return [RatedPaper(*row) for row in rows], total
