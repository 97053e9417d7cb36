"""Showing repaired text honestly: which characters of a note were filled by a guess."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NoteSegment:
    text: str
    candidates: tuple[str, ...] = ()

    @property
    def is_uncertain(self) -> bool:
        return bool(self.candidates)


def _locate(note: str, mark: dict[str, Any], start: int) -> int:
    chosen = str(mark.get("chosen", ""))
    before = str(mark.get("before", ""))
    after = str(mark.get("after", ""))
    # The note is the entry's text without its markup, so look for the widest context that still fits.
    for left, right in ((before, after), (before[-2:], after[:2]), (before[-1:], ""), ("", after[:1])):
        found = note.find(left + chosen + right, start)
        if found >= 0:
            return found + len(left)
    return -1


def note_segments(note: str, uncertain: list[dict[str, Any]] | None) -> list[NoteSegment]:
    """The note cut into plain runs and single uncertain characters (with the candidates considered)."""
    if not uncertain:
        return [NoteSegment(note)] if note else []
    segments: list[NoteSegment] = []
    cursor = 0
    for mark in sorted(uncertain, key=lambda item: (item.get("line", 0), item.get("offset", 0))):
        position = _locate(note, mark, cursor)
        if position < 0:
            continue
        if position > cursor:
            segments.append(NoteSegment(note[cursor:position]))
        candidates = tuple(str(candidate) for candidate in mark.get("candidates", ())) or (
            str(mark["chosen"]),
        )
        segments.append(NoteSegment(note[position], candidates))
        cursor = position + 1
    if cursor < len(note):
        segments.append(NoteSegment(note[cursor:]))
    return segments
