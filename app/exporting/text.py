"""Text helpers the formats share: one-line text, ASCII folding, XML-safe characters, buffered output."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def without_control_characters(text: str) -> str:
    """TEXT without the control characters XML 1.0 forbids and other formats choke on."""
    return _CONTROL_RE.sub("", text)


def one_line(text: str | None) -> str:
    """TEXT with every run of whitespace (newlines too) collapsed to one space."""
    return " ".join(without_control_characters(text or "").split())


def ascii_letters(text: str) -> str:
    """The ASCII letters and digits of TEXT after folding accents ("Pérez" → "perez"), lower-cased."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum()).lower()


def buffered(chunks: Iterable[str], size: int = 64 * 1024) -> Iterator[bytes]:
    """CHUNKS joined into pieces of about SIZE bytes of UTF-8.

    A streamed response fetches each piece in a worker thread; one piece per paper made a 5,000-paper
    export spend seconds handing pieces between threads.
    """
    pending: list[str] = []
    length = 0
    for chunk in chunks:
        pending.append(chunk)
        length += len(chunk)
        if length >= size:
            yield "".join(pending).encode()
            pending, length = [], 0
    if pending:
        yield "".join(pending).encode()
