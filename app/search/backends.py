"""The full-text index behind one small interface: an FTS5 table on SQLite, a tsvector table on PostgreSQL.

Both index the same pre-tokenised text (see tokenizer.py), so they find the same papers for a query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Float,
    FromClause,
    Integer,
    Text,
    bindparam,
    cast,
    column,
    delete,
    func,
    insert,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from app.bulk import upsert_statement
from app.search.matching import TextMatch
from app.search.tokenizer import SearchQuery, Term

# How much a match in each field counts for the index's own score (which only picks the candidates ranked
# by ranking.py): title and short name, then category and tag names, then authors, then summary and notes.
TITLE_WEIGHT, LABELS_WEIGHT, AUTHORS_WEIGHT, BODY_WEIGHT = 10.0, 5.0, 3.0, 1.0
# The fields ranking reads back (the body is whatever matched elsewhere).
RANKED_FIELDS = ("title", "labels", "authors")


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """One paper's pre-tokenised text, in four fields weighted from the first to the last."""

    paper_id: int
    title: str
    labels: str
    authors: str
    body: str

    def row(self) -> dict[str, Any]:
        return {
            "paper_id": self.paper_id,
            "title": self.title,
            "labels": self.labels,
            "authors": self.authors,
            "body": self.body,
        }


class SearchBackend(Protocol):
    def match(self, session: Session, query: SearchQuery) -> TextMatch:
        """The rows matching every group of QUERY (which has at least one)."""

    def ranked_fields(self) -> tuple[FromClause, ColumnElement[int], list[ColumnElement[str]]]:
        """The index table, its paper id, and RANKED_FIELDS as tokens between single spaces, padded."""

    def write(self, session: Session, documents: Sequence[SearchDocument]) -> None:
        """Insert or replace these papers' documents."""

    def remove(self, session: Session, paper_ids: Sequence[int]) -> None:
        """Drop these papers from the index."""

    def clear(self, session: Session) -> None:
        """Empty the index."""


paper_fts = table(
    "paper_fts",
    column("rowid", Integer),
    column("title", Text),
    column("labels", Text),
    column("authors", Text),
    column("body", Text),
)


# What testing one paper against a query costs, against one B-tree lookup (measured at 1M papers): an FTS5
# probe seeks each term's doclist; with an unindexed prefix it merges every term starting with it; a tsvector
# sits in the row found by the key.
FTS_PROBE_COST = 60
FTS_MERGING_PROBE_COST = 10_000
TSVECTOR_TEST_COST = 3
# The prefix lengths paper_fts keeps indexes for (migration 0003).
FTS_PREFIX_LENGTHS = frozenset({3, 4, 5, 6})
# A longer prefix is spelled out as the terms that start with it (from paper_fts_vocab, migration 0005) when
# there are at most this many: FTS5 then seeks each term's doclist instead of merging them on every test.
MAX_PREFIX_EXPANSION = 16
paper_fts_vocab = table("paper_fts_vocab", column("term", Text))
# FTS5 keeps each row's columns in this table (c0 = title, c1 = labels, c2 = authors): read by id, it is a
# plain B-tree lookup, where reading them through paper_fts opens a virtual-table cursor per row.
paper_fts_content = table(
    "paper_fts_content", column("id", Integer), column("c0", Text), column("c1", Text), column("c2", Text)
)


def _next_prefix(prefix: str) -> str:
    """The smallest string after every string starting with PREFIX."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class SqliteBackend:
    """An FTS5 table `paper_fts` whose rowid is the paper id, ranked by bm25."""

    @staticmethod
    def _expanded(session: Session, prefix: str) -> list[str] | None:
        terms = session.scalars(
            select(paper_fts_vocab.c.term)
            .where(paper_fts_vocab.c.term >= prefix, paper_fts_vocab.c.term < _next_prefix(prefix))
            .limit(MAX_PREFIX_EXPANSION + 1)
        ).all()
        return list(terms) if len(terms) <= MAX_PREFIX_EXPANSION else None

    def _term(self, session: Session, term: Term) -> tuple[str, bool]:
        # Tokens hold only letters and digits, so quoting them is enough to keep FTS5 syntax out.
        if not term.is_prefix:
            return f'"{term.text}"', True
        if len(term.text) in FTS_PREFIX_LENGTHS:
            return f'"{term.text}"*', True
        spelled = self._expanded(session, term.text)
        if spelled is not None:
            return "(" + " OR ".join(f'"{word}"' for word in spelled or [term.text]) + ")", True
        return f'"{term.text}"*', False

    def query_text(self, session: Session, query: SearchQuery) -> tuple[str, bool]:
        """The FTS5 query, and whether every prefix in it is served by an index (else a test merges terms)."""
        groups, cheap = [], True
        for group in query.groups:
            alternatives = []
            for alternative in group.alternatives:
                parts = []
                for term in alternative.terms:
                    text, indexed = self._term(session, term)
                    parts.append(text)
                    cheap = cheap and indexed
                alternatives.append("(" + " AND ".join(parts) + ")")
            groups.append("(" + " OR ".join(alternatives) + ")" if len(alternatives) > 1 else alternatives[0])
        return " AND ".join(groups), cheap

    def match(self, session: Session, query: SearchQuery) -> TextMatch:
        fts: ColumnElement[Any] = literal_column("paper_fts")
        text, cheap = self.query_text(session, query)
        return TextMatch(
            source=paper_fts,
            paper_id=paper_fts.c.rowid,
            condition=fts.bool_op("MATCH")(bindparam(None, text, type_=Text)),
            score=cast(func.bm25(fts, TITLE_WEIGHT, LABELS_WEIGHT, AUTHORS_WEIGHT, BODY_WEIGHT), Float),
            row_test_cost=FTS_PROBE_COST if cheap else FTS_MERGING_PROBE_COST,
            # The unary plus keeps SQLite from handing the id list to FTS5, which would run the whole query
            # (and bm25's statistics) once per id.
            among=lambda ids: literal_column("+paper_fts.rowid").in_(ids),
            in_title=fts.bool_op("MATCH")(bindparam(None, f"title : ({text})", type_=Text)),
        )

    def write(self, session: Session, documents: Sequence[SearchDocument]) -> None:
        if not documents:
            return
        self.remove(session, [document.paper_id for document in documents])
        rows = [document.row() for document in documents]
        session.execute(insert(paper_fts), [{"rowid": row.pop("paper_id"), **row} for row in rows])

    def ranked_fields(self) -> tuple[FromClause, ColumnElement[int], list[ColumnElement[str]]]:
        stored = [paper_fts_content.c[f"c{index}"] for index in range(len(RANKED_FIELDS))]
        padded = [" " + func.coalesce(value, "") + " " for value in stored]
        return paper_fts_content, paper_fts_content.c.id, padded

    def remove(self, session: Session, paper_ids: Sequence[int]) -> None:
        if paper_ids:
            session.execute(delete(paper_fts).where(paper_fts.c.rowid.in_(list(paper_ids))))

    def clear(self, session: Session) -> None:
        session.execute(delete(paper_fts))


search_documents = table(
    "search_documents", column("paper_id", Integer), column("document", postgresql.TSVECTOR)
)


def _weighted(text_param: str, weight: str) -> ColumnElement[Any]:
    return func.setweight(
        func.to_tsvector(literal_column("'simple'::regconfig"), bindparam(text_param, type_=Text)),
        literal_column(f"'{weight}'::\"char\""),
    )


class PostgresBackend:
    """A table `search_documents` (paper_id, tsvector built with the 'simple' configuration), GIN-indexed."""

    @staticmethod
    def query_text(query: SearchQuery, weights: str = "") -> str:
        """The tsquery; WEIGHTS ("A") keeps it to the fields of those weights."""

        def label(term: Term) -> str:
            suffix = ("*" if term.is_prefix else "") + weights
            return f"'{term.text}'" + (f":{suffix}" if suffix else "")

        def alternative(terms: Sequence[Term]) -> str:
            return "(" + " & ".join(label(term) for term in terms) + ")"

        return " & ".join(
            "(" + " | ".join(alternative(alt.terms) for alt in group.alternatives) + ")"
            for group in query.groups
        )

    def match(self, session: Session, query: SearchQuery) -> TextMatch:
        tsquery = func.to_tsquery(
            literal_column("'simple'::regconfig"), bindparam(None, self.query_text(query), type_=Text)
        )
        document = search_documents.c.document
        return TextMatch(
            source=search_documents,
            paper_id=search_documents.c.paper_id,
            condition=document.bool_op("@@")(tsquery),
            # ts_rank answers a real; negated so that, as with bm25, smaller is better.
            score=cast(-func.ts_rank(document, tsquery), Float),
            row_test_cost=TSVECTOR_TEST_COST,
            among=search_documents.c.paper_id.in_,
            in_title=document.bool_op("@@")(
                func.to_tsquery(
                    literal_column("'simple'::regconfig"),
                    bindparam(None, self.query_text(query, "A"), type_=Text),
                )
            ),
        )

    def write(self, session: Session, documents: Sequence[SearchDocument]) -> None:
        if not documents:
            return
        vector = (
            _weighted("title", "A")
            .op("||")(_weighted("labels", "B"))
            .op("||")(_weighted("authors", "C"))
            .op("||")(_weighted("body", "D"))
        )
        statement = upsert_statement(
            session,
            search_documents,
            keys=["paper_id"],
            update=["document"],
            values={"paper_id": bindparam("paper_id", type_=Integer), "document": vector},
        )
        session.execute(statement, [document.row() for document in documents])

    def ranked_fields(self) -> tuple[FromClause, ColumnElement[int], list[ColumnElement[str]]]:
        document = search_documents.c.document
        padded = [
            " "
            + func.array_to_string(
                func.tsvector_to_array(func.ts_filter(document, literal_column(f"'{{{w}}}'::\"char\"[]"))),
                " ",
            )
            + " "
            for w in ("a", "b", "c")
        ]
        return search_documents, search_documents.c.paper_id, padded

    def remove(self, session: Session, paper_ids: Sequence[int]) -> None:
        if paper_ids:
            session.execute(delete(search_documents).where(search_documents.c.paper_id.in_(list(paper_ids))))

    def clear(self, session: Session) -> None:
        session.execute(delete(search_documents))


_BACKENDS: dict[str, SearchBackend] = {"sqlite": SqliteBackend(), "postgresql": PostgresBackend()}


def backend_for(session: Session) -> SearchBackend:
    dialect = session.get_bind().dialect.name
    try:
        return _BACKENDS[dialect]
    except KeyError:
        raise NotImplementedError(f"full-text search supports SQLite and PostgreSQL, not {dialect}") from None
