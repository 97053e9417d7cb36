"""Papers, their ordered authors, and their links to categories and tags."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    column,
    table,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db import Base, UTCDateTime, utcnow
from app.taxonomy.models import Category, Tag


class Paper(Base):
    __tablename__ = "papers"
    __table_args__ = (
        CheckConstraint(
            "importance IS NULL OR (importance >= 0 AND importance <= 5)", name="importance_range"
        ),
        CheckConstraint("year IS NULL OR (year >= 1900 AND year <= 2100)", name="year_range"),
        CheckConstraint("rating_count >= 0", name="rating_count_non_negative"),
        CheckConstraint(
            "rating_avg IS NULL OR (rating_avg >= 1 AND rating_avg <= 5)", name="rating_avg_range"
        ),
        Index("ix_papers_year_id", "year", "id"),
        Index("ix_papers_created_at_id", "created_at", "id"),
        Index("ix_papers_rating_avg_id", "rating_avg", "id"),
        Index("ix_papers_rating_score_id", "rating_score", "id"),
        Index("ix_papers_importance_id", "importance", "id"),
        Index("ix_papers_title_key_id", "title_key", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    # A normalised form of the title: how duplicates without identifiers are recognised.
    title_key: Mapped[str] = mapped_column(String(500))
    short_name: Mapped[str | None] = mapped_column(String(80))
    url: Mapped[str | None] = mapped_column(String(2000))
    pdf_url: Mapped[str | None] = mapped_column(String(2000))
    code_url: Mapped[str | None] = mapped_column(String(2000))
    arxiv_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    doi: Mapped[str | None] = mapped_column(String(255), unique=True)
    year: Mapped[int | None] = mapped_column(Integer)
    published: Mapped[str | None] = mapped_column(String(7))  # "YYYY-MM" when the month is known
    venue: Mapped[str | None] = mapped_column(String(200), index=True)
    summary: Mapped[str | None] = mapped_column(Text)
    importance: Mapped[int | None] = mapped_column(Integer)
    rating_avg: Mapped[float | None] = mapped_column(Float)
    rating_count: Mapped[int] = mapped_column(Integer, default=0)
    # The Bayesian average of the ratings (app.catalog.bayesian), stored so that an index orders by it.
    rating_score: Mapped[float | None] = mapped_column(Float)
    # Set once a person edits the paper, so that re-imports never overwrite their work.
    is_curated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    added_by: Mapped[User | None] = relationship(lazy="raise")
    authors: Mapped[list[PaperAuthor]] = relationship(
        back_populates="paper",
        lazy="raise",
        order_by="PaperAuthor.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    categories: Mapped[list[Category]] = relationship(secondary="paper_categories", lazy="raise")
    tags: Mapped[list[Tag]] = relationship(secondary="paper_tags", lazy="raise")


class Author(Base):
    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Case- and accent-insensitive identity of a name, so "Ashish Vaswani" is one author everywhere.
    name_key: Mapped[str] = mapped_column(String(200), unique=True)


class PaperAuthor(Base):
    __tablename__ = "paper_authors"
    __table_args__ = (
        UniqueConstraint("paper_id", "author_id"),
        Index("ix_paper_authors_author_id", "author_id"),
    )

    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id", ondelete="CASCADE"))

    paper: Mapped[Paper] = relationship(back_populates="authors", lazy="raise")
    author: Mapped[Author] = relationship(lazy="raise")


class PaperCategory(Base):
    __tablename__ = "paper_categories"
    __table_args__ = (Index("ix_paper_categories_category_id_paper_id", "category_id", "paper_id"),)

    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id", ondelete="CASCADE"), primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True
    )


class PaperTag(Base):
    __tablename__ = "paper_tags"
    __table_args__ = (Index("ix_paper_tags_tag_id_paper_id", "tag_id", "paper_id"),)

    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id", ondelete="CASCADE"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)


class PaperFieldSource(Base):
    """Which outside source filled a field of a paper (arXiv, Crossref); a field without a row is the
    lists' or a person's. A person's later edit of the field removes its row."""

    __tablename__ = "paper_field_sources"

    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(20), primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    filled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RelatedList(Base):
    """A paper's related papers as last computed (JSON: id, score, reasons); triggers drop it when the
    paper's own tags, categories or authors change, and readers then compute it afresh."""

    __tablename__ = "related_lists"

    paper_id: Mapped[int] = mapped_column(ForeignKey("papers.id", ondelete="CASCADE"), primary_key=True)
    items: Mapped[str] = mapped_column(Text)


# Papers per year and per venue, kept by triggers on papers (migration 0004); read by the facet queries.
maintained_counts = table(
    "search_facet_counts", column("facet", String), column("value", String), column("papers", Integer)
)
