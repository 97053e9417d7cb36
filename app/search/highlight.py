"""Highlighted snippets: where a query's terms occur in a text, cut to a window, marked and HTML-escaped."""

from __future__ import annotations

import html
from collections.abc import Sequence

from app.catalog.schemas import Snippet
from app.search.matching import SnippetSource
from app.search.tokenizer import SearchQuery, any_term_matches, segments

SNIPPET_LENGTH = 200
# Matches are looked for in the first this-many characters of a field: a snippet shows the first match anyway.
HIGHLIGHT_SCAN_LENGTH = 4_000
MAX_SNIPPETS = 3
# Fields always worth showing when they match; the others only when nothing better matched.
_PRIMARY_FIELDS = ("title", "short_name", "summary", "note")

Span = tuple[int, int]


def match_spans(query: SearchQuery, text: str) -> list[Span]:
    """[start, end) spans of TEXT that match a term of QUERY, merged where they touch."""
    terms = query.highlighted_terms
    words = [term for term in terms if not term.is_cjk]
    characters = [term.text for term in terms if term.is_cjk]
    # Stemming only changes a word's end, so a word matches a term of two letters or more only if it starts
    # with the term's first letter: the other words are passed over without stemming them.
    initials = {term.text[0] for term in words} if all(len(term.text) > 1 for term in words) else None
    spans: list[Span] = []
    for segment in segments(text):
        if segment.is_cjk:
            original = text[segment.start : segment.end]
            # NFKC can change a compatibility ideograph but not the length of a CJK run in practice;
            # if it did, mark the whole run rather than guess offsets.
            aligned = len(original) == len(segment.folded)
            for gram in characters:
                position = segment.folded.find(gram)
                while position != -1:
                    if not aligned:
                        spans.append((segment.start, segment.end))
                        break
                    spans.append((segment.start + position, segment.start + position + len(gram)))
                    position = segment.folded.find(gram, position + 1)
        elif (
            words
            and (initials is None or segment.folded[0] in initials)
            and any_term_matches(words, segment.folded)
        ):
            spans.append((segment.start, segment.end))
    spans.sort()
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _window(text: str, spans: list[Span], length: int) -> tuple[int, int]:
    if len(text) <= length:
        return 0, len(text)
    first = spans[0][0]
    start = max(0, min(first - length // 4, len(text) - length))
    # Start at a word boundary when one is near, so the snippet does not open mid-word.
    space = text.rfind(" ", max(0, start - 15), start + 1)
    if 0 < space < first:
        start = space + 1
    return start, min(len(text), start + length)


def make_snippet(field: str, text: str, spans: list[Span], length: int = SNIPPET_LENGTH) -> Snippet:
    start, end = _window(text, spans, length)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    body = text[start:end]
    marks = [
        (max(s, start) - start + len(prefix), min(e, end) - start + len(prefix))
        for s, e in spans
        if s < end and e > start
    ]
    snippet = prefix + body + suffix
    pieces, cursor = [], 0
    for mark_start, mark_end in marks:
        pieces.append(html.escape(snippet[cursor:mark_start]))
        pieces.append("<mark>" + html.escape(snippet[mark_start:mark_end]) + "</mark>")
        cursor = mark_end
    pieces.append(html.escape(snippet[cursor:]))
    return Snippet.model_validate(
        {"field": field, "snippet": snippet, "snippet_html": "".join(pieces), "marks": marks}
    )


def snippets(query: SearchQuery, fields: Sequence[SnippetSource]) -> list[Snippet]:
    """Snippets of the matching FIELDS: the primary ones that match, else the first other that does."""
    found: list[Snippet] = []
    fallback: Snippet | None = None
    for field, text in fields:
        spans = match_spans(query, text[:HIGHLIGHT_SCAN_LENGTH]) if text else []
        if not spans:
            continue
        if field in _PRIMARY_FIELDS:
            if len(found) < MAX_SNIPPETS:
                found.append(make_snippet(field, text, spans))
        elif fallback is None:
            fallback = make_snippet(field, text, spans)
    if not found and fallback is not None:
        found.append(fallback)
    return found
