"""Curators' notes as plain text: the one function snippets, exports and the search index read notes through.

Notes are markdown as curators wrote them (bold, links, bare addresses, a little HTML). Their plain text
keeps every word a reader sees, link text included, and drops the markup; a bare address stays, set apart
from the Chinese text that followed it without a space.
"""

from __future__ import annotations

import html
import re

# The characters an address is made of (RFC 3986); CJK text and full-width punctuation end it.
URL_CHARACTERS = r"[A-Za-z0-9\-._~:/?#@!$&()*+,;=%]"
BARE_URL_RE = re.compile(rf"https?://{URL_CHARACTERS}+", re.IGNORECASE)

_IMAGE_RE = re.compile(r"!\[([^\[\]\n]*)\]\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)")
_LINK_RE = re.compile(
    r"\[([^\[\]\n]+)\]\(\s*<?[^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*>?(?:\s+\"[^\"\n]*\")?\s*\)"
)
_REFERENCE_LINK_RE = re.compile(r"\[([^\[\]\n]+)\]\[[^\[\]\n]*\]")
_AUTOLINK_RE = re.compile(r"<(https?://[^<>\s]+)>", re.IGNORECASE)
_BREAK_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG_RE = re.compile(r"</?[A-Za-z][^<>\n]*>")
_BOLD_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_STAR_ITALIC_RE = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")
_UNDERSCORE_ITALIC_RE = re.compile(r"(?<!\w)_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)")
_STRIKE_RE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_CODE_RE = re.compile(r"`([^`\n]+)`")
_RUN_TOGETHER_RE = re.compile(r"([)\]])(?=\[)")
_LINE_MARKUP_RE = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?)", re.MULTILINE)
_SPACES_RE = re.compile(r"[ \t\u00a0]+")
# A bare address glued to the text after it (…/lm-human-preferences相关论文…): set apart by a space.
_GLUED_URL_RE = re.compile(
    rf"(https?://{URL_CHARACTERS}+)(?=[^\sA-Za-z0-9\-._~:/?#@!$&()*+,;=%])", re.IGNORECASE
)


def _link_text(match: re.Match[str]) -> str:
    following = match.string[match.end() : match.end() + 1]
    return match.group(1) + (
        " " if following and (following == "[" or (following.isascii() and following.isalnum())) else ""
    )


def note_plain_text(note: str | None) -> str:
    """NOTE without its markdown and HTML: link and image text kept, addresses of links dropped."""
    if not note:
        return ""
    text = note.replace("\r\n", "\n").replace("\r", "\n")
    text = _BREAK_RE.sub("\n", text)
    text = _IMAGE_RE.sub(r"\1", text)
    # Links run together ("…(Knox 2008)[Next title](…)") keep a space between their texts.
    text = _LINK_RE.sub(_link_text, _RUN_TOGETHER_RE.sub(r"\1 ", text))
    text = _REFERENCE_LINK_RE.sub(r"\1", text)
    text = _AUTOLINK_RE.sub(r"\1", text)
    text = _TAG_RE.sub("", text)
    text = _CODE_RE.sub(r"\1", text)
    text = _BOLD_RE.sub(r"\2", text)
    text = _STRIKE_RE.sub(r"\1", text)
    text = _STAR_ITALIC_RE.sub(r"\1", text)
    text = _UNDERSCORE_ITALIC_RE.sub(r"\1", text)
    text = _LINE_MARKUP_RE.sub("", text)
    text = html.unescape(text)
    text = _GLUED_URL_RE.sub(r"\1 ", text)
    lines = [_SPACES_RE.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)
