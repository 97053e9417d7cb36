"""Measuring repair on clean text damaged on purpose: how many lost characters come back right."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from app.importing.repair.codepages import damage_text, lost_bytes
from app.importing.repair.detection import split_lines
from app.importing.repair.repairing import RepairReport, repair_text

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
