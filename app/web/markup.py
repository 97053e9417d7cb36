"""A safe renderer for notes and comments: all text escaped; only http(s) links, **bold** and breaks made.

`render_note(text)` returns markupsafe.Markup and is the `|note` filter in templates. Links get
rel="nofollow noopener noreferrer ugc"; `javascript:`, `data:` and any other scheme stay plain text.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from app.web.templating import templates

# A link target may hold one level of balanced parentheses, as Wikipedia addresses do.
_MARKDOWN_LINK = re.compile(
    r"\[([^\[\]\n]{1,300})\]\(\s*(https?://(?:[^\s()<>\"']|\([^\s()<>\"']*\)){1,2000})\s*\)", re.IGNORECASE
)
_BARE_URL = re.compile(r"\bhttps?://[^\s<>\"'\[\]]{1,2000}", re.IGNORECASE)
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_TRAILING_PUNCTUATION = ".,;:!?*'\""
_REL = "nofollow noopener noreferrer ugc"


def safe_http_url(url: str) -> str | None:
    """URL when it is an absolute http(s) address with a host, else None."""
    if any(ord(char) < 0x21 or ord(char) == 0x7F for char in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def _link(url: str, text: str) -> str:
    return f'<a href="{escape(url)}" rel="{_REL}">{escape(text)}</a>'


def _trim_url(url: str) -> tuple[str, str]:
    """Split sentence punctuation, or a closing parenthesis the URL did not open, off a bare URL."""
    tail = ""
    while url:
        last = url[-1]
        if last in _TRAILING_PUNCTUATION or (last == ")" and url.count("(") < url.count(")")):
            tail = last + tail
            url = url[:-1]
            continue
        break
    return url, tail


def _text(segment: str) -> str:
    """Escape plain text, then turn **bold** and bare http(s) URLs into markup."""
    pieces: list[str] = []
    position = 0
    for match in _BARE_URL.finditer(segment):
        url, tail = _trim_url(match.group(0))
        pieces.append(_bold(str(escape(segment[position : match.start()]))))
        pieces.append(_link(url, url) if safe_http_url(url) else str(escape(url)))
        pieces.append(str(escape(tail)))
        position = match.end()
    pieces.append(_bold(str(escape(segment[position:]))))
    return "".join(pieces)


def _bold(escaped: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", escaped)


def _line(line: str) -> str:
    pieces: list[str] = []
    position = 0
    for match in _MARKDOWN_LINK.finditer(line):
        text, url = match.group(1), match.group(2)
        pieces.append(_text(line[position : match.start()]))
        pieces.append(_link(url, text) if safe_http_url(url) else str(escape(match.group(0))))
        position = match.end()
    pieces.append(_text(line[position:]))
    return "".join(pieces)


def render_note(text: str | None) -> Markup:
    """TEXT as HTML that can only contain <p>, <br>, <strong> and http(s) <a> elements made here."""
    if not text:
        return Markup("")
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    html = "".join(
        "<p>" + "<br>\n".join(_line(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs
        if paragraph.strip()
    )
    return Markup(html)  # noqa: S704 - every piece of user text above went through escape()


templates.env.filters["note"] = render_note
