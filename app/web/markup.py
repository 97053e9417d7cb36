"""A safe renderer for notes and comments: all text escaped; only the markup made here comes out.

`render_note(text)` returns markupsafe.Markup and is the `|note` filter in templates: paragraphs and breaks,
http(s) links, **bold**, *italics* and `code`; a note that is a run of citations becomes a collapsed list.
Links get rel="nofollow noopener noreferrer ugc"; `javascript:`, `data:` and any other scheme stay text.
A bare address ends where its own characters end: Chinese text or full-width punctuation after it is text.
"""

from __future__ import annotations

import itertools
import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from app.note_text import URL_CHARACTERS
from app.web.i18n import ngettext

# A link target may hold one level of balanced parentheses, as Wikipedia addresses do.
_MARKDOWN_LINK = re.compile(
    r"\[([^\[\]\n]{1,300})\]\(\s*(https?://(?:[^\s()<>\"']|\([^\s()<>\"']*\)){1,2000})\s*\)", re.IGNORECASE
)
_BARE_URL = re.compile(rf"(?<![A-Za-z0-9])https?://{URL_CHARACTERS}{{1,2000}}", re.IGNORECASE)
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")
_CODE = re.compile(r"`([^`\n]{1,200})`")
# A citation: a link whose text is a title of three words or more.
_CITATION = re.compile(
    r"\[([^\[\]\n]{1,300})\]\(\s*https?://[^\s()]+(?:\([^\s()]*\)[^\s()]*)*\s*\)", re.IGNORECASE
)
_MIN_CITATIONS = 5
_MAX_GAP = 80
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
    """Inline markup on escaped text: `code`, **bold** and *italics* (escape() leaves `, * alone)."""
    escaped = _CODE.sub(r"<code>\1</code>", escaped)
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    return _ITALIC.sub(r"<em>\1</em>", escaped)


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


def split_references(text: str) -> tuple[str, list[str], str] | None:
    """A note that runs five or more citations together: (text before, the citations, text after), else None.

    A citation is a titled link with what follows it up to the next one ("(Knox and Stone 2008)"); short
    text between two links that does not close a parenthesis ("GopherCite: ") introduces the next one.
    """
    links = [m for m in _CITATION.finditer(text) if len(m.group(1).split()) >= 3]
    if len(links) < _MIN_CITATIONS:
        return None
    runs: list[list[re.Match[str]]] = [[links[0]]]
    for link in links[1:]:
        gap = text[runs[-1][-1].end() : link.start()]
        if len(gap) <= _MAX_GAP and "\n\n" not in gap:
            runs[-1].append(link)
        else:
            runs.append([link])
    run = max(runs, key=len)
    if len(run) < _MIN_CITATIONS:
        return None
    starts = [run[0].start()]
    for previous, link in itertools.pairwise(run):
        gap = text[previous.end() : link.start()]
        closing = gap.rfind(")")
        starts.append(previous.end() + closing + 1 if closing >= 0 else link.start())
    tail_gap = text[run[-1].end() :]
    closing = tail_gap.find(")")
    end = (
        run[-1].end() + closing + 1
        if 0 <= closing <= _MAX_GAP and "(" in tail_gap[:closing]
        else run[-1].end()
    )
    items = [
        text[start:stop].strip(" 、,;，；") for start, stop in zip(starts, [*starts[1:], end], strict=True)
    ]
    return text[: starts[0]].strip(), [item for item in items if item], text[end:].strip()


def _paragraphs(text: str) -> str:
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "".join(
        "<p>" + "<br>\n".join(_line(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs
        if paragraph.strip()
    )


def render_note(text: str | None) -> Markup:
    """TEXT as HTML made only of <p>, <br>, <strong>, <em>, <code>, http(s) <a>, and a <details> list of
    references when the note runs many citations together."""
    if not text:
        return Markup("")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    references = split_references(text)
    if references is None:
        return Markup(_paragraphs(text))  # noqa: S704 - every piece of user text went through escape()
    before, items, after = references
    label = ngettext("%(num)d reference", "%(num)d references", len(items))
    listed = "".join(f"<li>{_line(' '.join(item.split()))}</li>" for item in items)
    html = (
        _paragraphs(before)
        + f'<details class="references"><summary>{escape(label)}</summary><ol>{listed}</ol></details>'
        + _paragraphs(after)
    )
    return Markup(html)  # noqa: S704 - every piece of user text went through escape()
