"""Recognises headings (ATX, setext, HTML, list-item headings, <summary>) and cleans their text.

"## <img src=…/>2.2CoT：" becomes "CoT": icons, HTML, emoji and numbering go; compatibility characters
such as the CJK radical "⾔" are folded (NFKC) and trailing colons dropped.
"""

from __future__ import annotations

import re
import unicodedata

from .inline import collapse_spaces, remove_badges, strip_html, strip_markup

# A heading may be written as a list item ("1. # Title", "- ## ICL"), as markdown lists often are.
_ATX_RE = re.compile(
    r"^[ \t]{0,3}(?:(?:[-*+]|\d{1,3}[.)])[ \t]+)?(?P<hashes>#{1,6})(?:[ \t]+(?P<text>.*?))?[ \t]*$"
)
_CLOSING_HASHES_RE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_HTML_HEADING_RE = re.compile(r"^\s*<h(?P<level>[1-6])[^>]*>(?P<text>.*?)</h(?P=level)>\s*$", re.I)
_SETEXT_RE = re.compile(r"^[ \t]{0,3}(?P<marks>=+|-+)[ \t]*$")
SUMMARY_RE = re.compile(r"<summary[^>]*>(?P<text>.*?)</summary>", re.I | re.S)
_GENERIC_SUMMARY_RE = re.compile(r"^(?:click|show|expand|more|details|toggle|展开|点击|查看|更多)", re.I)

_NUMBERING_RE = re.compile(
    r"^(?:"
    r"\d{1,2}(?:\.\d{1,2})+\.?"  # 2.3 / 2.2CoT / 1.2.3.
    r"|\d{1,2}[.)、]"  # 1. / 1) / 1、
    r"|\(\d{1,2}\)"  # (1)
    r"|[一二三四五六七八九十]+[、.]"  # 一、
    r"|\([一二三四五六七八九十]+\)"  # (一)
    r"|第[一二三四五六七八九十百\d]+[章节部分篇]"  # 第一章
    r")\s*"
)
_TRAILING_PUNCT_RE = re.compile(r"[\s:：;；,，]+$")
_DROPPED_CATEGORIES = frozenset({"So", "Sk", "Cf", "Co", "Cs"})


def atx_heading(line: str) -> tuple[int, str] | None:
    """(level, raw text) of an ATX or HTML heading line, else None."""
    stripped = line.lstrip()
    if stripped.startswith("<"):
        html = _HTML_HEADING_RE.match(line)
        return (int(html["level"]), html["text"]) if html else None
    if "#" not in line[:12]:
        return None
    match = _ATX_RE.match(line)
    if not match:
        return None
    text = _CLOSING_HASHES_RE.sub("", match["text"] or "")
    return len(match["hashes"]), text


def setext_level(line: str) -> int | None:
    """1 for a "===" underline, 2 for "---", else None (the caller checks a paragraph sits above)."""
    match = _SETEXT_RE.match(line)
    if not match:
        return None
    return 1 if match["marks"].startswith("=") else 2


def summary_heading(text: str) -> str | None:
    """The cleaned text of a <summary> that names a section, not one that says "click to expand"."""
    cleaned = clean_heading(text)
    if not cleaned or _GENERIC_SUMMARY_RE.match(cleaned):
        return None
    return cleaned


def _drop_symbols(text: str) -> str:
    if text.isascii():
        return text
    return "".join(
        ch
        for ch in text
        if unicodedata.category(ch) not in _DROPPED_CATEGORIES and not 0xFE00 <= ord(ch) <= 0xFE0F
    )


def clean_heading(text: str) -> str:
    """Heading text fit for a section path: no HTML, icons, emoji, numbering or trailing colon."""
    text, _ = remove_badges(strip_html(text))
    text = strip_markup(text)
    text = _drop_symbols(unicodedata.normalize("NFKC", text))
    text = collapse_spaces(text)
    text = _NUMBERING_RE.sub("", text, count=1)
    return _TRAILING_PUNCT_RE.sub("", text).strip()
