"""Repairing a whole document line by line, and the report of what was restored, filled or guessed."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from app.importing.repair.detection import assess, is_repairable, split_lines
from app.importing.repair.filling import choose_segment, is_word_char
from app.importing.repair.language_model import RepairModel, load_model
from app.importing.repair.scanning import REPLACEMENT, LineScan, Piece, PieceKind

# A clause ends at these marks: what stands before one says nothing of the holes after it.
CLAUSE_ENDS = frozenset("，。；：！？,.;:!?")
# Closing brackets and their openers; a closer is this much likelier where its opener was left open.
CLOSING = {"」": "「", "』": "『", "”": "“", "’": "‘", "》": "《", "）": "（", "】": "【", "〕": "〔"}
OPENING = frozenset(CLOSING.values())
OPEN_BRACKET_BONUS = math.log(50.0)
# Characters read on each side of a hole: the words that decide it rarely reach further.
CONTEXT_REACH = 4


@dataclass(frozen=True)
class UncertainChar:
    offset: int  # index in the repaired line where the chosen character stands
    chosen: str
    candidates: tuple[str, ...]  # every candidate considered, best first; empty when none was plausible


@dataclass(frozen=True)
class LineRepair:
    number: int  # 1-based line number
    original: str
    repaired: str
    restored: int  # characters whose bytes all survived, brought back exactly
    filled: int  # characters that had lost bytes, filled confidently
    uncertain: tuple[UncertainChar, ...]  # characters that had lost bytes, filled with the best guess
    lost_bytes: int = 0  # bytes missing from the line


@dataclass(frozen=True)
class RepairReport:
    text: str  # the repaired text, line endings preserved; the very input object when nothing changed
    codepage: str | None  # the code page detected, None when the text is not mojibake
    lines: tuple[LineRepair, ...]  # only the lines that changed
    restored: int
    filled: int
    uncertain: int

    @property
    def changed(self) -> bool:
        return bool(self.lines)


def repair_text(text: str) -> RepairReport:
    """Undo mojibake in a whole document, deciding line by line; clean text comes back untouched."""
    bodies, breaks = split_lines(text)
    assessment = assess(bodies)
    if assessment.codepage is None:
        return RepairReport(text, None, (), 0, 0, 0)
    repairs: list[LineRepair] = []
    repaired_bodies = list(bodies)
    for index, scan in enumerate(assessment.scans):
        if not is_repairable(scan):
            continue
        repair = repair_line(index + 1, bodies[index], scan)
        if repair.repaired != repair.original:
            repairs.append(repair)
            repaired_bodies[index] = repair.repaired
    if not repairs:
        return RepairReport(text, assessment.codepage, (), 0, 0, 0)
    pieces = [body + line_break for body, line_break in zip(repaired_bodies, [*breaks, ""], strict=True)]
    return RepairReport(
        text="".join(pieces),
        codepage=assessment.codepage,
        lines=tuple(repairs),
        restored=sum(repair.restored for repair in repairs),
        filled=sum(repair.filled for repair in repairs),
        uncertain=sum(len(repair.uncertain) for repair in repairs),
    )


def repair_line(number: int, original: str, scan: LineScan) -> LineRepair:
    chars = _fill_holes(scan.pieces)
    uncertain: list[UncertainChar] = []
    filled = offset = 0
    for piece, (text, ranked, confident) in zip(scan.pieces, chars, strict=True):
        if piece.kind is PieceKind.DAMAGED:
            if confident and piece.candidates:
                filled += 1
            else:
                uncertain.append(UncertainChar(offset, text, ranked))
        offset += len(text)
    return LineRepair(
        number=number,
        original=original,
        repaired="".join(text for text, _, _ in chars),
        restored=scan.restored,
        filled=filled,
        uncertain=tuple(uncertain),
        lost_bytes=sum(piece.missing for piece in scan.pieces),
    )


def _fill_holes(pieces: tuple[Piece, ...]) -> list[tuple[str, tuple[str, ...], bool]]:
    """One (text, ranked candidates, confident) per piece.

    Symbols never sit inside a word, so a known one splits the line into stretches decided on their own.
    """
    slots = [_slot(piece) for piece in pieces]
    bonuses = line_bonuses(load_model(), slots)
    result: list[tuple[str, tuple[str, ...], bool]] = []
    start = 0
    while start < len(slots):
        if _is_wall(slots[start]):
            result.append((slots[start][0], (), True))
            start += 1
            continue
        end = start
        while end < len(slots) and not _is_wall(slots[end]):
            end += 1
        result.extend(_decide_stretch(slots, bonuses, start, end))
        start = end
    return result


def _decide_stretch(
    slots: list[tuple[str, ...]], bonuses: list[dict[str, float]], start: int, end: int
) -> list[tuple[str, tuple[str, ...], bool]]:
    """Slots start..end hold no wall; only a window around each hole is read, as words reach no further."""
    decided: list[tuple[str, tuple[str, ...], bool]] = [
        (slots[index][0], (), True) for index in range(start, end)
    ]
    holes = [index for index in range(start, end) if len(slots[index]) > 1]
    windows: list[list[int]] = []
    for hole in holes:
        low, high = max(start, hole - CONTEXT_REACH), min(end, hole + CONTEXT_REACH + 1)
        if windows and low <= windows[-1][1]:
            windows[-1][1] = high
        else:
            windows.append([low, high])
    for low, high in windows:
        before = _edge(slots[low - 1][0], last=True) if low > 0 else None
        after = _edge(slots[high][0], last=False) if high < len(slots) else None
        choices = choose_segment(load_model(), before, slots[low:high], after, bonuses[low:high])
        for offset, choice in enumerate(choices):
            decided[low - start + offset] = (choice.chosen, choice.ranked, choice.confident)
    return decided


def _edge(text: str, *, last: bool) -> str:
    """The character of a neighbouring run that borders the stretch, looking past spaces (a word of Latin
    letters before 中 reads as a foreign word, not as nothing)."""
    stripped = text.rstrip(" ") if last else text.lstrip(" ")
    if not stripped:
        return text[-1] if last else text[0]
    return stripped[-1] if last else stripped[0]


def line_bonuses(model: RepairModel, slots: list[tuple[str, ...]]) -> list[dict[str, float]]:
    """For each hole, what the rest of its line says of each candidate: the common characters earlier in
    its clause (在 … 中), and the brackets left open before it (「 … 」)."""
    bonuses: list[dict[str, float]] = [{} for _ in slots]
    triggers: set[str] = set()
    open_brackets: Counter[str] = Counter()
    previous: str | None = None
    for index, slot in enumerate(slots):
        if len(slot) > 1:
            bonuses[index] = _hole_bonuses(model, slot, triggers, open_brackets)
            if previous is not None:
                triggers.add(previous)
            previous = None
            continue
        text = slot[0]
        for char in text:  # a bracket may hold a comma: brackets stay open to the line's end
            if char in CLOSING:
                open_brackets[CLOSING[char]] -= 1
            elif char in OPENING:
                open_brackets[char] += 1
        if any(char in CLAUSE_ENDS for char in text):
            triggers.clear()
            previous = None
            continue
        if previous is not None:
            triggers.add(previous)  # the character just before a hole is the bigram's to weigh
        previous = text if len(text) == 1 and is_word_char(text) and model.is_clause_trigger(text) else None
    return bonuses


def _hole_bonuses(
    model: RepairModel, slot: tuple[str, ...], triggers: set[str], open_brackets: Counter[str]
) -> dict[str, float]:
    bonuses: dict[str, float] = {}
    for char in slot:
        if char in CLOSING:
            if open_brackets[CLOSING[char]] > 0:
                bonuses[char] = OPEN_BRACKET_BONUS
        elif is_word_char(char) and model.is_clause_target(char):
            bonus = sum(model.clause_lift(trigger, char) for trigger in triggers)
            if bonus:
                bonuses[char] = bonus
    return bonuses


def _slot(piece: Piece) -> tuple[str, ...]:
    if piece.kind is not PieceKind.DAMAGED:
        return (piece.char,)
    return piece.candidates or (REPLACEMENT,)


def _is_wall(slot: tuple[str, ...]) -> bool:
    """A known symbol (or run of ASCII), which no word crosses."""
    return len(slot) == 1 and (len(slot[0]) != 1 or not is_word_char(slot[0]))
