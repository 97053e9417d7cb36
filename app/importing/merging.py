"""How the entries of several lists about one paper become that paper's fields, by a fixed precedence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.catalog.identifiers import normalise_title

_ASCII_UPPER_RE = re.compile("[A-Z]")
_ASCII_LOWER_RE = re.compile("[a-z]")
GENERIC_VENUES = frozenset({"arxiv", "arxiv preprint", "preprint", "corr"})


@dataclass(frozen=True)
class EntryView:
    """What one entry says about its paper, in the order of precedence it is given."""

    title: str
    note: str | None
    stars: int | None
    fields: dict[str, Any]


def _title_quality(title: str) -> int:
    # A title in capitals or all lower case is a curator's shorthand; prefer the publisher's casing.
    has_upper = _ASCII_UPPER_RE.search(title) is not None
    has_lower = _ASCII_LOWER_RE.search(title) is not None
    return 1 if has_upper == has_lower else 0


def _first(views: list[EntryView], key: str) -> Any:
    return next((view.fields[key] for view in views if view.fields.get(key)), None)


def _venue(views: list[EntryView]) -> str | None:
    venues: list[str] = [str(view.fields["venue"]) for view in views if view.fields.get("venue")]
    specific = [venue for venue in venues if venue.casefold() not in GENERIC_VENUES]
    preferred = specific or venues
    return preferred[0] if preferred else None


def _authors(views: list[EntryView]) -> list[str]:
    # The most complete list wins; on a tie, the list with precedence.
    best: list[str] = []
    for view in views:
        authors = view.fields.get("authors") or []
        if len(authors) > len(best):
            best = list(authors)
    return best


def merge_entries(views: list[EntryView]) -> dict[str, Any]:
    """The paper's fields from its entries, given first to last in order of precedence.

    Each field takes the first entry that has it, except: the title prefers proper casing, the venue
    prefers a named venue over "arXiv", the authors take the longest list, and importance is the highest
    curator's mark; the summary (the abstract) never comes from a note. Every entry keeps its own wording
    as provenance, so nothing is lost by choosing.
    """
    if not views:
        raise ValueError("a paper needs at least one entry")
    if len(views) == 1:
        return _single(views[0])
    title = max(views, key=lambda view: _title_quality(view.title)).title
    stars = [view.stars for view in views if view.stars is not None]
    return {
        "title": title,
        "title_key": normalise_title(title),
        "short_name": _first(views, "short_name"),
        "url": _first(views, "url"),
        "pdf_url": _first(views, "pdf_url"),
        "code_url": _first(views, "code_url"),
        "arxiv_id": _first(views, "arxiv_id"),
        "doi": _first(views, "doi"),
        "year": _first(views, "year"),
        "published": _first(views, "published"),
        "venue": _venue(views),
        # The summary is the paper's own abstract: curators' notes stay with their entries.
        "summary": None,
        "importance": max(stars) if stars else None,
        "authors": _authors(views),
    }


def _single(view: EntryView) -> dict[str, Any]:
    """merge_entries of one entry, the common case, without comparing it with itself."""
    fields = view.fields
    return {
        "title": view.title,
        "title_key": normalise_title(view.title),
        "short_name": fields.get("short_name") or None,
        "url": fields.get("url") or None,
        "pdf_url": fields.get("pdf_url") or None,
        "code_url": fields.get("code_url") or None,
        "arxiv_id": fields.get("arxiv_id") or None,
        "doi": fields.get("doi") or None,
        "year": fields.get("year") or None,
        "published": fields.get("published") or None,
        "venue": _venue([view]),
        "summary": None,
        "importance": view.stars,
        "authors": list(fields.get("authors") or []),
    }
