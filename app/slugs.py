"""Slugs: the ASCII, hyphenated names of papers, tags and categories in URLs."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SLUG_WORD_RE = re.compile(r"[a-z0-9]+")
_SLUG_HASH_LENGTH = 8


def slugify(text: str, max_length: int = 80) -> str:
    """An ASCII, lower-case, hyphenated slug of at most ``max_length`` characters.

    Accents are folded ("Ré" → "re"). Text we cannot spell in ASCII (Chinese, mostly) gets a short
    stable hash of the original appended, or becomes "u-<hash>" when nothing ASCII is left: pinyin
    needs a dictionary we do not ship, and CJK slugs would be percent-encoded in every URL, while the
    hash keeps slugs ASCII, stable across runs and distinct for distinct titles.
    """
    normalised = unicodedata.normalize("NFKC", text).strip()
    if normalised.isascii():
        decomposed = normalised  # nothing to decompose: the common case, skipped character by character
    else:
        decomposed = "".join(
            ch for ch in unicodedata.normalize("NFKD", normalised) if not unicodedata.combining(ch)
        )
    words = _SLUG_WORD_RE.findall(decomposed.lower())
    lost_letters = not decomposed.isascii() and any(ch.isalnum() and not ch.isascii() for ch in decomposed)
    suffix = ""
    if lost_letters:
        digest = hashlib.sha1(normalised.casefold().encode("utf-8"), usedforsecurity=False).hexdigest()
        suffix = digest[:_SLUG_HASH_LENGTH]
        if not words:
            return f"u-{suffix}"
    budget = max_length - (len(suffix) + 1 if suffix else 0)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > budget:
            if not slug:
                slug = word[:budget]
            break
        slug = candidate
    return f"{slug}-{suffix}" if suffix else slug
