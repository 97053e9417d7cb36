"""Relevance, computed the same way on every database from the matched papers' fields.

An exact title (or short name) match comes first, then a title that holds the query as a phrase; then each
part of the query counts by the best field it is found in (title and short name, then category and tag
names, then authors, then summary and notes), a glossary expansion a little less than the words typed.
Ties go to the curators' importance, then to readers' ratings (a Bayesian average, so one 5-star rating
does not beat many 4-star ones), then to the older id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.bayesian import bayesian_rating
from app.catalog.models import Paper
from app.db import among
from app.search.backends import backend_for
from app.search.tokenizer import Group, SearchQuery, Term, segments

TITLE, LABELS, AUTHORS, BODY = 8.0, 4.0, 2.0, 1.0
FIELD_WEIGHTS = (TITLE, LABELS, AUTHORS)
EXPANSION_FACTOR = 0.75
EXACT_TITLE_BONUS = 100.0
NAMED_TITLE_BONUS = 60.0  # the title a nickname names ("Flan-T5")
PHRASE_TITLE_BONUS = 40.0


# In ASCII text a segment is a run of letters or of digits, lower-cased: what segments() yields, found faster.
_ASCII_PARTS_RE = re.compile(r"[a-z]+|[0-9]+")


def normalised(text: str | None) -> str:
    """Text as the search sees it, words separated by single spaces: "GPT-3" and "gpt3" agree."""
    if not text:
        return ""
    if text.isascii():
        return " ".join(_ASCII_PARTS_RE.findall(text.lower()))
    return " ".join(segment.folded for segment in segments(text))


def _needle(term: Term) -> str:
    """What a padded field holds where it holds TERM: the term after a space, and a space after it unless
    it is a prefix."""
    return f" {term.text}" if term.is_prefix else f" {term.text} "


# A group as its alternatives' needles, each with whether it is a glossary expansion: built once per query.
GroupNeedles = tuple[tuple[tuple[str, ...], bool], ...]


def _needles(group: Group) -> GroupNeedles:
    return tuple(
        (tuple(_needle(term) for term in alternative.terms), alternative.is_expansion)
        for alternative in group.alternatives
    )


def _field_weight(needle: str, title: str, labels: str, authors: str) -> float:
    if needle in title:
        return TITLE
    if needle in labels:
        return LABELS
    return AUTHORS if needle in authors else 0.0


def _group_weight(group: GroupNeedles, title: str, labels: str, authors: str) -> tuple[float, bool]:
    """What GROUP counts for a paper with these fields, and whether an alternative matched in the title."""
    best, in_title = BODY, False  # the database found every group somewhere: at worst in the summary or notes
    for needles, is_expansion in group:
        weight = min([_field_weight(needle, title, labels, authors) for needle in needles])
        in_title = in_title or weight == TITLE
        if is_expansion:
            weight *= EXPANSION_FACTOR
        best = max(best, weight)
    return best, in_title


def title_bonus(query: SearchQuery, typed: str, title: str, short_name: str | None) -> float:
    title_text = normalised(title)
    if typed and (typed == title_text or typed == normalised(short_name)):
        return EXACT_TITLE_BONUS
    for group in query.groups:
        for alternative in group.alternatives[1:]:
            if normalised(alternative.label) == title_text:
                return NAMED_TITLE_BONUS
    if " " in typed and f" {typed} " in f" {title_text} ":
        return PHRASE_TITLE_BONUS
    return 0.0


def relevance(score: float, importance: int | None, rating: float) -> float:
    """One number per paper, smaller first: the score, then importance, then rating."""
    return -round(score * 1000 + (importance + 1 if importance is not None else 0) * 100 + rating * 10, 3)


def rank(session: Session, query: SearchQuery, typed: str, paper_ids: Sequence[int]) -> dict[int, float]:
    """The relevance of each of PAPER_IDS (which all match QUERY) to the query TYPED."""
    if not paper_ids:
        return {}
    source, key, fields = backend_for(session).ranked_fields()
    typed_text = normalised(typed)
    groups = [_needles(group) for group in query.groups]
    values: dict[int, float] = {}
    rows = session.execute(
        select(
            Paper.id,
            Paper.title,
            Paper.short_name,
            Paper.importance,
            Paper.rating_avg,
            Paper.rating_count,
            *fields,
        )
        .join_from(Paper, source, key == Paper.id)
        .where(among(session, Paper.id, paper_ids))
    )
    for row in rows:
        title, labels, authors = (str(text) for text in row[-len(FIELD_WEIGHTS) :])
        weights = [_group_weight(group, title, labels, authors) for group in groups]
        score = sum(weight for weight, _in_title in weights) / max(len(groups), 1)
        # An exact, named or phrase title match needs every part of the query in the title: only then is
        # the title itself read (most candidates match elsewhere).
        if all(in_title for _weight, in_title in weights):
            score += title_bonus(query, typed_text, row.title, row.short_name)
        values[row.id] = relevance(score, row.importance, bayesian_rating(row.rating_avg, row.rating_count))
    return values
