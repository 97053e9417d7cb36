"""Reading a mojibake line back into UTF-8 byte sequences, and listing what could fill each hole."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from itertools import combinations, product

from app.importing.repair.characters import plausibility
from app.importing.repair.codepages import lost_bytes

_CONTINUATION_FIRST, _CONTINUATION_LAST = 0x80, 0xBF
# ASCII runs, a byte that may lead a sequence with the continuation bytes after it, stray continuation bytes
_SEQUENCES = re.compile(rb"[\x00-\x7f]+|[\xc0-\xff][\x80-\xbf]*|[\x80-\xbf]+")
REPLACEMENT = "\ufffd"  # what a decoder leaves for bytes it could not read; kept where it stands


class PieceKind(Enum):
    KEPT = "kept"  # a run of ASCII, or what the code page cannot produce: stays as it is
    RESTORED = "restored"  # a multi-byte character whose bytes all survived
    DAMAGED = "damaged"  # a multi-byte character that lost bytes
    BROKEN = "broken"  # bytes no UTF-8 text produces: the line is not this code page's mojibake


@dataclass(frozen=True)
class Piece:
    kind: PieceKind
    source: str  # the characters of the damaged line this piece covers
    char: str = ""  # the text for KEPT (may be several characters) and the character for RESTORED
    candidates: tuple[str, ...] = ()  # plausible fillings for DAMAGED, in code-point order
    missing: int = 0  # bytes lost from a DAMAGED character


@dataclass(frozen=True)
class LineScan:
    pieces: tuple[Piece, ...]
    restored: int = 0
    damaged: int = 0
    broken: int = 0
    foreign: int = 0  # 1 when some character other than REPLACEMENT is outside the code page
    evidence: int = 0  # continuation bytes of restored characters: how strongly this looks like mojibake
    partial: int = 0  # damaged characters that kept a continuation byte (a lone accented letter keeps none)


def sequence_length(lead: int) -> int:
    """Bytes in the UTF-8 sequence this lead byte opens; 0 for bytes that open none."""
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def scan_line(line: str, codepage: str) -> LineScan:
    """The line as bytes of `codepage`, cut into UTF-8 sequences; REPLACEMENT characters stay as they are."""
    parts = line.split(REPLACEMENT)
    try:
        encoded = [part.encode(codepage) for part in parts]
    except UnicodeEncodeError:
        return LineScan(pieces=(Piece(PieceKind.KEPT, line, line),), foreign=1)
    pieces: list[Piece] = []
    counts = {"restored": 0, "damaged": 0, "broken": 0, "evidence": 0, "partial": 0}
    for number, data in enumerate(encoded):
        if number:
            pieces.append(Piece(PieceKind.KEPT, REPLACEMENT, REPLACEMENT))
        for match in _SEQUENCES.finditer(data):
            chunk = match.group()
            if chunk[0] < _CONTINUATION_FIRST:
                text = chunk.decode("ascii")
                pieces.append(Piece(PieceKind.KEPT, text, text))
                continue
            piece = read_sequence(chunk, codepage)
            pieces.append(piece)
            if piece.kind is PieceKind.RESTORED:
                counts["restored"] += 1
                counts["evidence"] += len(chunk) - 1
            else:
                counts[piece.kind.value] += 1
                counts["partial"] += piece.kind is PieceKind.DAMAGED and len(chunk) > 1
    return LineScan(pieces=tuple(pieces), **counts)


def _is_continuation(value: int) -> bool:
    return _CONTINUATION_FIRST <= value <= _CONTINUATION_LAST


@lru_cache(maxsize=65536)
def read_sequence(chunk: bytes, codepage: str) -> Piece:
    """A lead byte and the continuation bytes after it, or a run of continuation bytes with no lead."""
    source = chunk.decode(codepage)
    lead, continuation = chunk[0], chunk[1:]
    length = sequence_length(lead)
    if length == 0 or len(continuation) >= length - 1:
        if len(continuation) == length - 1:
            char = _decode_plausible(chunk)
            if char is not None:
                return Piece(PieceKind.RESTORED, source, char)
        return Piece(PieceKind.BROKEN, source)
    missing = length - 1 - len(continuation)
    return Piece(
        PieceKind.DAMAGED,
        source,
        candidates=fillings(lead, continuation, missing, codepage),
        missing=missing,
    )


def _decode_plausible(sequence: bytes) -> str | None:
    try:
        char = sequence.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return char if len(char) == 1 and plausibility(char) is not None else None


@lru_cache(maxsize=8192)
def fillings(lead: int, continuation: bytes, missing: int, codepage: str) -> tuple[str, ...]:
    """Every plausible character the lead and surviving bytes can come from, with `missing` lost bytes
    put back anywhere after the lead."""
    lost = [value for value in lost_bytes(codepage) if _is_continuation(value)]
    slots = len(continuation) + missing
    found: set[str] = set()
    for holes in combinations(range(slots), missing):
        for values in product(lost, repeat=missing):
            surviving = iter(continuation)
            filled = iter(values)
            tail = bytes(next(filled) if slot in holes else next(surviving) for slot in range(slots))
            char = _decode_plausible(bytes([lead]) + tail)
            if char is not None:
                found.add(char)
    return tuple(sorted(found))
