"""Single-byte code pages that mojibake comes from, the bytes each one loses, and the damage itself."""

from __future__ import annotations

from functools import cache

# The Windows pages first: they are what editors and spreadsheets guess; ordered by how often they are met.
CANDIDATE_CODEPAGES: tuple[str, ...] = (
    "cp1252",
    "cp1254",
    "cp1250",
    "cp1251",
    "cp1257",
    "cp1253",
    "cp1258",
    "latin-1",
)

SOFT_HYPHEN = 0xAD


@cache
def lost_bytes(codepage: str) -> tuple[int, ...]:
    """Bytes that cannot survive a trip through `codepage`: those it leaves undefined, and the soft hyphen.

    The soft hyphen decodes fine but is invisible, so editors and copy-paste drop it.
    """
    undefined = {value for value in range(0x80, 0x100) if _decode_byte(value, codepage) is None}
    return tuple(sorted(undefined | {SOFT_HYPHEN}))


@cache
def byte_of_character(codepage: str) -> dict[str, int]:
    """Every character the code page can produce, mapped back to its byte."""
    table: dict[str, int] = {}
    for value in range(0x100):
        char = _decode_byte(value, codepage)
        if char is not None:
            table[char] = value
    return table


def _decode_byte(value: int, codepage: str) -> str | None:
    try:
        return bytes([value]).decode(codepage)
    except UnicodeDecodeError:
        return None


def damage_text(text: str, codepage: str) -> str:
    """Mojibake exactly as the seed list suffered it.

    UTF-8 bytes read with `codepage`, the bytes it leaves undefined and soft hyphens dropped, saved again
    as text.
    """
    lost = set(lost_bytes(codepage))
    surviving = bytes(value for value in text.encode("utf-8") if value not in lost)
    return surviving.decode(codepage)
