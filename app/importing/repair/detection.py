"""Deciding from evidence whether a text is mojibake, and which code page made it."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from app.importing.repair.codepages import CANDIDATE_CODEPAGES, lost_bytes
from app.importing.repair.scanning import REPLACEMENT, LineScan, scan_line

# Continuation bytes that must come back inside exactly restored characters before a text is called
# mojibake: three CJK characters' worth, so a lone "â€”" quoted in clean prose is never enough.
MIN_EVIDENCE = 6

_LINE_BREAK = re.compile(r"(\r\n|\n|\r)")


@dataclass(frozen=True)
class Assessment:
    codepage: str | None
    scans: tuple[LineScan, ...] = ()  # one per line, read with `codepage`


@dataclass(frozen=True)
class _Tally:
    codepage: str
    scans: tuple[LineScan, ...]
    evidence: int
    restored: int
    damaged: int
    broken: int
    log_likelihood: float

    @property
    def convincing(self) -> bool:
        # Clean Latin text turns each accented letter before ASCII into a "damaged" sequence; real
        # mojibake restores more characters than it damages, and breaks almost none.
        return self.evidence >= MIN_EVIDENCE and 2 * self.restored >= self.damaged + 4 * self.broken


def is_repairable(scan: LineScan) -> bool:
    """A line is read back only when all of it reads as that code page's mojibake, and some character in it
    kept a continuation byte (an accented letter before ASCII, as in "José", keeps none)."""
    return scan.broken == 0 and scan.foreign == 0 and (scan.restored > 0 or scan.partial > 0)


def assess(lines: Sequence[str]) -> Assessment:
    tallies = [_tally(lines, codepage) for codepage in _possible_codepages(lines)]
    convincing = [tally for tally in tallies if tally.convincing]
    if not convincing:
        return Assessment(None)
    # More restored bytes wins; on a tie, the page that loses more bytes better explains bytes never seen.
    best = max(convincing, key=lambda tally: (tally.evidence, tally.log_likelihood))
    return Assessment(best.codepage, best.scans)


def split_lines(text: str) -> tuple[list[str], list[str]]:
    """Line bodies and the breaks after them (one break fewer than bodies)."""
    parts = _LINE_BREAK.split(text)
    return parts[0::2], parts[1::2]


def detect_mojibake(text: str) -> str | None:
    """The code page whose mojibake `text` is, or None when the text is not mojibake."""
    return assess(split_lines(text)[0]).codepage


def _possible_codepages(lines: Sequence[str]) -> list[str]:
    """The code pages that can write some non-ASCII character of the text: under any other every line is
    ASCII or foreign, evidence is nil, and the page's scan can be skipped (most clean lists skip them all)."""
    distinct: set[str] = set().union(*(line for line in lines if not line.isascii()))
    non_ascii = [char for char in distinct if not char.isascii() and char != REPLACEMENT]
    return [page for page in CANDIDATE_CODEPAGES if any(_encodes(char, page) for char in non_ascii)]


def _encodes(char: str, codepage: str) -> bool:
    try:
        char.encode(codepage)
    except UnicodeEncodeError:
        return False
    return True


def _tally(lines: Sequence[str], codepage: str) -> _Tally:
    scans = tuple(scan_line(line, codepage) for line in lines)
    repairable = [scan for scan in scans if is_repairable(scan)]
    survivors = 64 - sum(1 for value in lost_bytes(codepage) if 0x80 <= value <= 0xBF)
    observed = sum(scan.evidence for scan in repairable)
    return _Tally(
        codepage=codepage,
        scans=scans,
        evidence=observed,
        restored=sum(scan.restored for scan in repairable),
        damaged=sum(scan.damaged for scan in scans),
        broken=sum(scan.broken for scan in scans),
        log_likelihood=-observed * math.log(survivors),
    )
