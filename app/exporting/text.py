"""Small text helpers the formats share: one-line text, ASCII folding, characters XML cannot carry."""

from __future__ import annotations

import re
import unicodedata

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
