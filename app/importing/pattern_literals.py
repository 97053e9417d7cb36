"""The literal text every match of a rule pattern must contain: a substring test rules most patterns out."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any

# The parser behind re.compile (private, so typeshed may or may not describe it); a pattern it cannot take
# apart simply gets no shortcut.
_parser: Any = importlib.import_module("re._parser")


@dataclass(frozen=True, slots=True)
class Needle:
    """A run of characters a match must contain: ASCII runs compare case-folded, others exactly."""

    text: str
    is_ascii: bool

    def may_occur_in(self, text: str, lowered: str) -> bool:
        return self.text in (lowered if self.is_ascii else text)


def needle_for(pattern: re.Pattern[str]) -> Needle | None:
    """The longest run of literal characters at the pattern's top level, or None when it has none.

    Only for patterns compiled with re.ASCII: then case-insensitive matching folds ASCII letters alone, so an
    ASCII run is found in the lower-cased text and any other run in the text as it is.
    """
    if not pattern.flags & re.ASCII:
        return None
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except (re.error, TypeError, ValueError):
        return None
    runs: list[str] = []
    run: list[str] = []
    for op, argument in parsed:
        # Consecutive top-level literals are consecutive in every match; anything else ends the run.
        if op is _parser.LITERAL:
            run.append(chr(argument))
        else:
            runs.append("".join(run))
            run = []
    runs.append("".join(run))
    pieces = [piece for text in runs for piece in _split_by_ascii(text)]
    best = max(pieces, key=len, default="")
    if not best:
        return None
    ascii_run = best.isascii()
    return Needle(best.lower() if ascii_run else best, ascii_run)


def _split_by_ascii(text: str) -> list[str]:
    return [match.group() for match in re.finditer(r"[\x00-\x7f]+|[^\x00-\x7f]+", text)]
