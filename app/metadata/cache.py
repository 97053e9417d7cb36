"""Reading and storing the sources' answers in the metadata_answers table."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime, timedelta

from pydantic import TypeAdapter
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.db import utcnow
from app.metadata.models import MetadataAnswer
from app.metadata.schemas import PaperMetadata

_RECORDS = TypeAdapter(list[PaperMetadata])


def read_answers(session: Session, source: str, keys: Collection[str]) -> dict[str, list[PaperMetadata]]:
    """The unexpired answers stored for KEYS (a key without one is absent)."""
    if not keys:
        return {}
    now = utcnow()
    rows = session.execute(
        select(MetadataAnswer.key, MetadataAnswer.records).where(
            MetadataAnswer.source == source,
            MetadataAnswer.key.in_(list(keys)),
            or_(MetadataAnswer.expires_at.is_(None), MetadataAnswer.expires_at > now),
        )
    )
    return {key: _RECORDS.validate_json(records) for key, records in rows}


def store_answers(
    session: Session, source: str, answers: Mapping[str, list[PaperMetadata]], *, negative_for: timedelta
) -> None:
    """Keep ANSWERS; an empty one ("no such paper") only until NEGATIVE_FOR has passed.

    Best effort: in a reading request the database may refuse the write (a busy SQLite file), and the answer
    is still good to show; it is then fetched again next time.
    """
    if not answers:
        return
    now = utcnow()
    expiry: dict[bool, datetime | None] = {True: None, False: now + negative_for}
    try:
        with session.begin_nested():
            session.execute(
                delete(MetadataAnswer).where(
                    MetadataAnswer.source == source, MetadataAnswer.key.in_(list(answers))
                )
            )
            session.add_all(
                MetadataAnswer(
                    source=source,
                    key=key,
                    records=_RECORDS.dump_json(records).decode(),
                    fetched_at=now,
                    expires_at=expiry[bool(records)],
                )
                for key, records in answers.items()
            )
            session.flush()
    except DBAPIError:
        return  # a concurrent request stored the same answer, or the database is busy: nothing is lost
