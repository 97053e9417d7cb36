"""Measuring repair on clean text damaged on purpose: how many lost characters come back right."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from app.importing.repair.codepages import damage_text, lost_bytes
from app.importing.repair.detection import assess, is_repairable, split_lines
from app.importing.repair.repairing import RepairReport, repair_text
from app.importing.repair.scanning import PieceKind

LINE_LEFT_BROKEN = "<line not repaired>"


@dataclass(frozen=True)
class RoundTrip:
    codepage: str
    detected: str | None
    damaged: int  # characters of the clean text that lost bytes
    correct: int  # of those, repaired to the very character
    flagged: int  # of those, marked uncertain
    flagged_wrong: int  # wrong ones among the flagged
    other_errors: int  # characters that lost nothing yet came back different
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)  # (expected, got) for wrong ones

    @property
    def accuracy(self) -> float:
        return self.correct / self.damaged if self.damaged else 1.0


def lost_a_byte(char: str, codepage: str) -> bool:
    lost = set(lost_bytes(codepage))
    return any(value in lost for value in char.encode("utf-8"))


def round_trip(clean: str, codepage: str) -> RoundTrip:
    report = repair_text(damage_text(clean, codepage))
    flagged_at = _uncertain_offsets(report)
    expected_lines, _ = split_lines(clean)
    repaired_lines, _ = split_lines(report.text)
    damaged = correct = flagged = flagged_wrong = other_errors = 0
    confusions: Counter[tuple[str, str]] = Counter()
    for number, (expected, got) in enumerate(zip(expected_lines, repaired_lines, strict=True), start=1):
        aligned = len(expected) == len(got)
        for offset, char in enumerate(expected):
            repaired = got[offset] if aligned else LINE_LEFT_BROKEN
            if not lost_a_byte(char, codepage):
                other_errors += repaired != char
                continue
            damaged += 1
            is_flagged = (number, offset) in flagged_at
            flagged += is_flagged
            if repaired == char:
                correct += 1
            else:
                flagged_wrong += is_flagged
                confusions[char, repaired] += 1
    return RoundTrip(
        codepage=codepage,
        detected=report.codepage,
        damaged=damaged,
        correct=correct,
        flagged=flagged,
        flagged_wrong=flagged_wrong,
        other_errors=other_errors,
        confusions=confusions,
    )


def _uncertain_offsets(report: RepairReport) -> set[tuple[int, int]]:
    return {(line.number, mark.offset) for line in report.lines for mark in line.uncertain}


@dataclass(frozen=True)
class LabelledScore:
    holes: int  # characters of the damaged text that had lost bytes, with a reference to compare
    correct: int
    # (line number, expected, got, the reference around the hole) for each wrong fill
    misses: tuple[tuple[int, str, str, str], ...]

    @property
    def accuracy(self) -> float:
        return self.correct / self.holes if self.holes else 1.0


def score_against_reference(
    damaged: str, reference: str, excluded: frozenset[str] = frozenset()
) -> LabelledScore:
    """How many holes of `damaged` the repair fills as `reference` (the same text repaired by hand) has them.

    `excluded` holds snippets of the reference, ending at a hole, whose hole no evidence can decide: skipped.
    """
    bodies, _ = split_lines(damaged)
    assessment = assess(bodies)
    repaired_lines, _ = split_lines(repair_text(damaged).text)
    reference_lines, _ = split_lines(reference)
    holes = correct = 0
    misses: list[tuple[int, str, str, str]] = []
    for number, scan in enumerate(assessment.scans, start=1):
        if not is_repairable(scan):
            continue
        expected_line, got_line = reference_lines[number - 1], repaired_lines[number - 1]
        offset = 0
        for piece in scan.pieces:
            width = len(piece.char) if piece.kind is not PieceKind.DAMAGED else 1
            if piece.kind is PieceKind.DAMAGED:
                expected, got = expected_line[offset], got_line[offset]
                if not any(expected_line[: offset + 1].endswith(snippet) for snippet in excluded):
                    holes += 1
                    correct += expected == got
                    if expected != got:
                        misses.append((number, expected, got, expected_line[max(0, offset - 6) : offset + 5]))
            offset += width
    return LabelledScore(holes, correct, tuple(misses))
