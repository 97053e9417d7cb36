"""Answers the sources gave, so nothing is fetched twice; answers of "no such paper" expire after a while."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class MetadataAnswer(Base):
    __tablename__ = "metadata_answers"
    __table_args__ = (UniqueConstraint("source", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))  # "arxiv", "crossref", "arxiv-title"
    key: Mapped[str] = mapped_column(String(500))  # the identifier, or the normalised title searched
    # A JSON list of PaperMetadata: one record, several (a title search) or none (nothing found).
    records: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
