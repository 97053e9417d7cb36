"""Keep the search index in step with every write, whichever code path made it.

Database triggers (see migration 0002) queue the id of every paper whose indexed text may have changed in
`search_pending`; before a session commits, the queued papers are re-tokenised and rewritten in the same
transaction. Writes through the ORM, Core statements, bulk inserts or the importer are all covered.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

from sqlalchemy import Integer, column, delete, event, select, table
from sqlalchemy.orm import ORMExecuteState, Session

from app.bulk import CHUNK_SIZE, chunks
from app.catalog.models import Paper
from app.search.backends import backend_for
from app.search.documents import build_documents

search_pending = table("search_pending", column("paper_id", Integer))
# Tables whose rows feed a search document; writes elsewhere (ratings, sessions, tokens) skip the check.
INDEXED_TABLES = frozenset(
    {
        "papers",
        "paper_authors",
        "paper_tags",
        "paper_categories",
        "authors",
        "tags",
        "categories",
        "source_entries",
    }
)
_WROTE = "search_index_session_wrote"


def index_papers(session: Session, paper_ids: Sequence[int]) -> None:
    """Rewrite the index rows of these papers from the database, dropping those that are gone."""
    backend = backend_for(session)
    ids = sorted(set(paper_ids))
    for chunk in chunks(ids):
        documents, missing = build_documents(session, chunk)
        backend.remove(session, missing)
        backend.write(session, documents)


def index_pending(session: Session) -> int:
    """Index the papers the triggers queued; returns how many were queued."""
    queued = session.execute(delete(search_pending).returning(search_pending.c.paper_id)).scalars().all()
    if queued:
        index_papers(session, queued)
    return len(set(queued))


def reindex_all(session: Session) -> int:
    """Rebuild the whole index from the catalogue; returns how many papers it holds."""
    backend = backend_for(session)
    backend.clear(session)
    session.execute(delete(search_pending))
    indexed, last_id = 0, 0
    while True:
        ids = list(
            session.scalars(select(Paper.id).where(Paper.id > last_id).order_by(Paper.id).limit(CHUNK_SIZE))
        )
        if not ids:
            return indexed
        documents, _missing = build_documents(session, ids)
        backend.write(session, documents)
        indexed += len(documents)
        last_id = ids[-1]


def _after_flush(session: Session, _context: Any) -> None:
    changed = chain(session.new, session.dirty, session.deleted)
    if any(getattr(type(instance), "__tablename__", None) in INDEXED_TABLES for instance in changed):
        session.info[_WROTE] = True


def _after_execute(state: ORMExecuteState) -> None:
    if state.is_select:
        return
    target = getattr(state.statement, "table", None)
    # Statements without one target table (text, say) might write anything.
    if target is None or getattr(target, "name", None) in INDEXED_TABLES:
        state.session.info[_WROTE] = True


def has_written(session: Session) -> bool:
    """Whether this session's transaction has written what the index holds."""
    return bool(session.info.get(_WROTE))


def catch_up(session: Session) -> None:
    """Index what this session has written so far, so that its own searches see it before it commits."""
    if session.new or session.dirty or session.deleted:
        session.flush()  # the flush fires the triggers (and _after_flush) for unflushed ORM changes
    if session.info.get(_WROTE):
        session.flush()
        index_pending(session)


def _before_commit(session: Session) -> None:
    catch_up(session)


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_WROTE, None)


_LISTENERS = (
    ("after_flush", _after_flush),
    ("do_orm_execute", _after_execute),
    ("before_commit", _before_commit),
    ("after_commit", _forget),
    ("after_rollback", _forget),
)


def install_index_sync() -> None:
    """Listen to every Session (idempotent)."""
    for name, listener in _LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
