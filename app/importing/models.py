"""Imported lists and their entries: every paper knows which list, section and line it came from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalog.models import Paper
from app.db import Base, UTCDateTime, utcnow
from app.importing.entry_kinds import ENTRY_KINDS, RESOURCE_KINDS

_KINDS_SQL = ", ".join(f"'{kind}'" for kind in ENTRY_KINDS)
_RESOURCE_KINDS_SQL = ", ".join(f"'{kind}'" for kind in RESOURCE_KINDS)


class Source(Base):
    """One imported list (a seed or a list someone brought)."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    origin: Mapped[str | None] = mapped_column(String(2000))
    language: Mapped[str | None] = mapped_column(String(16))
    format: Mapped[str] = mapped_column(String(80))
    content_hash: Mapped[str] = mapped_column(String(64))
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    # The code page the list had been garbled with, when the import repaired it.
    repaired_from: Mapped[str | None] = mapped_column(String(32))
    # The list as received: an editor's choice of paper or resource is applied by importing it again.
    content: Mapped[str | None] = mapped_column(Text, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entries: Mapped[list[SourceEntry]] = relationship(
        back_populates="source", lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )


class SourceEntry(Base):
    """One entry of a list as the curator wrote it, linked to the paper it became."""

    __tablename__ = "source_entries"
    __table_args__ = (
        UniqueConstraint("source_id", "entry_key"),
        CheckConstraint("stars IS NULL OR (stars >= 0 AND stars <= 5)", name="stars_range"),
        # With source_id beside it, counting the lists a set of papers is in reads the index alone.
        Index("ix_source_entries_paper_id_source_id", "paper_id", "source_id"),
        Index("ix_source_entries_source_id_position", "source_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    paper_id: Mapped[int | None] = mapped_column(ForeignKey("papers.id", ondelete="SET NULL"))
    # Stable identity of the entry across re-imports of a newer version of the list.
    entry_key: Mapped[str] = mapped_column(String(300))
    section_path: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer)
    section_position: Mapped[int] = mapped_column(Integer)
    line: Mapped[int] = mapped_column(Integer)
    list_number: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(Text)
    stars: Mapped[int | None] = mapped_column(Integer)
    # The entry's normalised fields (links, identifiers, authors, venue, year), from which papers are merged.
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    raw_markdown: Mapped[str] = mapped_column(Text)
    # The entry exactly as received when the text had to be repaired; None when it arrived intact.
    raw_original: Mapped[str | None] = mapped_column(Text)
    # Characters of the note that were filled with low confidence: [{"offset", "chosen", "candidates"}].
    uncertain_chars: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    is_present: Mapped[bool] = mapped_column(Boolean, default=True)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    source: Mapped[Source] = relationship(back_populates="entries", lazy="raise")
    paper: Mapped[Paper | None] = relationship(lazy="raise")


class ListResource(Base):
    """An entry of a list that is not a paper (software, a model, a course, ...): kept with the list, never
    in the paper catalogue, its search, facets, exports or counts."""

    __tablename__ = "list_resources"
    __table_args__ = (
        UniqueConstraint("source_id", "entry_key"),
        CheckConstraint(f"kind IN ({_RESOURCE_KINDS_SQL})", name="kind_known"),
        Index("ix_list_resources_source_id_line", "source_id", "line"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    entry_key: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))
    section_path: Mapped[list[str]] = mapped_column(JSON, default=list)
    line: Mapped[int] = mapped_column(Integer)
    list_number: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    stars: Mapped[int | None] = mapped_column(Integer)
    raw_markdown: Mapped[str] = mapped_column(Text)
    # Why the importer decided it is not a paper, reason by reason; and whether that evidence was weak.
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EntryKindChoice(Base):
    """An editor's word on whether a list's entry is a paper (or which resource), kept across re-imports."""

    __tablename__ = "entry_kind_choices"
    __table_args__ = (
        UniqueConstraint("source_id", "entry_key"),
        CheckConstraint(f"kind IN ({_KINDS_SQL})", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    entry_key: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ImportRun(Base):
    """What one import did, kept so people can read the report later."""

    __tablename__ = "import_runs"
    __table_args__ = (Index("ix_import_runs_source_id", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
