"""Reads one entry's markdown (a list item or a table's title cell) into title, links, authors, venue, date.

The title comes first; what follows is read token by token as metadata (links, `venue`, *authors*,
years) until the first piece of free text, which starts the note.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from app.catalog.identifiers import split_authors

from .inline import (
    BARE_URL_RE,
    DATE_PATTERN,
    LINK_PATTERN,
    LINK_RE,
    VENUE_WITH_YEAR_PATTERN,
    YEAR_PATTERN,
    clean_title,
    collapse_spaces,
    count_stars,
    fold_compatibility,
    is_generic_label,
    is_venue,
    looks_like_authors,
    parse_date,
    remove_badges,
    remove_stars,
    split_venue,
    strip_html,
    strip_markup,
)


@dataclass(slots=True)
class EntryFields:
    """What one entry's text says, before links are sorted into url / pdf / code / extra."""

    title: str = ""
    short_name: str | None = None
    title_url: str | None = None
    links: list[tuple[str, str]] = field(default_factory=list)
    note_links: list[tuple[str, str]] = field(default_factory=list)
    badge_links: list[tuple[str, str]] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    venue: str | None = None
    year: int | None = None
    published: str | None = None
    note: str | None = None
    stars: int | None = None
    title_kind: str = "plain"  # how the title was written: "link", "bold", "quoted" or "plain"

    @property
    def bibliographic(self) -> bool:
        return bool(self.authors or self.venue)

    def take_date(self, text: str) -> None:
        year, published = parse_date(text)
        if year and self.year is None:
            self.year = year
        if published and self.published is None:
            self.published = published

    def take_venue(self, text: str) -> None:
        venue, year = split_venue(text)
        if venue and self.venue is None:
            self.venue = venue
        if year and self.year is None:
            self.year = year


_PREFIX_RE = re.compile(
    r"\s*(?:\[(?P<bracket>[^\[\]]{1,40})\](?!\()|\((?P<paren>[^()]{1,40})\)|`(?P<code>[^`]{1,60})`)"
    r"\s*[:：\-–—]?\s*"
)
_SHORT_NAME_RE = re.compile(r"(?:\*\*|__)(?P<short>[^*_\n]{1,40}?)(?:\*\*|__)\s*[:：]\s*")
_BOLD_LINK_RE = re.compile(rf"(?:\*\*|__)\s*{LINK_PATTERN}\s*(?:\*\*|__)")
_LEADING_LINK_RE = re.compile(LINK_PATTERN)
_BOLD_TITLE_RE = re.compile(r"(?:\*\*|__)(?P<title>[^\n]+?)(?:\*\*|__)(?!\*)")
_QUOTED_TITLE_RE = re.compile(r"[\"“](?P<title>[^\"“”\n]{2,}?)[\"”]")
_PLAIN_TITLE_RE = re.compile(r"\s*(?P<title>[^\[\n]+?)\s*(?=\[|\s[-–—]\s|$)")
_SENTENCE_BREAK_RE = re.compile(r"(?<=[a-z0-9)\u3400-\u9fff])\.\s+(?=[A-Z*_`\[(])")

_SEPARATOR_RE = re.compile(r"[\s,.;|·•]*(?:[-–—:：]+(?=\s|$)[\s,.;|]*)?")
# Metadata tokens, tried according to the character they start with.
_BRACKETED_LINK_RE = re.compile(rf"\[\s*{LINK_PATTERN}\s*\]")
_CODE_SPAN_RE = re.compile(r"`(?P<code>[^`\n]{1,80})`")
_ITALIC_RE = re.compile(r"\*(?!\*)(?P<star>[^*\n]+?)(?<!\s)\*(?!\*)|_(?P<under>[^_\n]+?)_(?!\w)")
_ENCLOSED_RE = re.compile(r"[(\[]\s*(?P<inner>[^()\[\]\n]{2,40}?)\s*[)\]]")
_DATE_ONLY_RE = re.compile(rf"\s*(?:{DATE_PATTERN})\s*", re.I)
_VENUE_YEAR_RE = re.compile(rf"{VENUE_WITH_YEAR_PATTERN}(?![\w/])", re.I)
_DATE_TOKEN_RE = re.compile(rf"(?:{DATE_PATTERN})(?![\w/])", re.I)
# After the authors, "Science China Technological Sciences 2020." names the venue even when unknown to us.
_NAMED_VENUE_YEAR_RE = re.compile(
    rf"(?P<venue>[A-Z][\w&.\-]*(?:\s+[A-Za-z&][\w&.\-]*){{0,7}}?)\s*,?\s+(?P<year>{YEAR_PATTERN})(?=[.,;)\]]|\s|$)"
)
_ET_AL_RE = re.compile(r"[A-Z][^,.;()\[\]\n]{0,60}?\s+et\s+al\.?")
_TRAILING_META_RE = re.compile(rf"(?:\s*[,;]?\s*\[?\s*{LINK_PATTERN}\s*\]?)\s*[.,;]?\s*$")
_TRAILING_PAREN_DATE_RE = re.compile(r"\s*[(\[]\s*(?P<date>[^()\[\]]{4,20})\s*[)\]]\s*\.?$")
_EMPTY_BRACKETS_RE = re.compile(r"\[\s*\]|\(\s*\)")
_NOTE_EDGE_RE = re.compile(r"^[\s\-–—:：|,.;]+|[\s|,;]+$")


def prepare(text: str, line_break: str = " ") -> tuple[str, list[tuple[str, str]], int]:
    """Text without HTML, badges and star marks, plus the links badges wrapped and the stars counted."""
    text = strip_html(text, line_break)
    text, badge_links = remove_badges(text)
    stars = count_stars(text)
    if stars:
        text = remove_stars(text)
    return fold_compatibility(text), badge_links, stars


def _take_prefixes(text: str, fields: EntryFields) -> str:
    """Strip leading tags such as "[2023/05]", "(ACL 2023)" or "`NeurIPS`" and keep what they say."""
    for _ in range(3):
        match = _PREFIX_RE.match(text)
        if not match or not text[match.end() :].strip():
            break
        tag = match["bracket"] or match["paren"] or match["code"] or ""
        if is_venue(tag):
            fields.take_venue(tag)
        elif _DATE_ONLY_RE.fullmatch(tag):
            fields.take_date(tag)
        else:
            break  # "(Un)likelihood Training" starts with its title, not with a tag
        text = text[match.end() :]
    return text


def _take_title(text: str, fields: EntryFields, *, plain_allowed: bool) -> str | None:
    """Set the title (and its link / short name); return the rest of the text, or None if no title."""
    short = _SHORT_NAME_RE.match(text)
    if short and text[short.end() :].strip():
        rest = _take_titled_text(text[short.end() :], fields, plain_allowed=plain_allowed)
        if rest is not None:
            fields.short_name = collapse_spaces(short["short"])
            return rest
    return _take_titled_text(text, fields, plain_allowed=plain_allowed)


def _take_titled_text(text: str, fields: EntryFields, *, plain_allowed: bool) -> str | None:
    first = text[:1]
    if first in {"*", "_", "["}:
        link = (_LEADING_LINK_RE if first == "[" else _BOLD_LINK_RE).match(text)
        if link and not is_generic_label(link["label"]):
            fields.title = clean_title(link["label"])
            fields.title_url = link["url"].strip() or None
            fields.title_kind = "link"
            return text[link.end() :]
    if first in {"*", "_", '"', "“"}:
        kind, pattern = ("quoted", _QUOTED_TITLE_RE) if first in {'"', "“"} else ("bold", _BOLD_TITLE_RE)
        match = pattern.match(text)
        if match and clean_title(match["title"]):
            fields.title = clean_title(match["title"])
            fields.title_kind = kind
            return text[match.end() :]
    if not plain_allowed and not LINK_RE.search(text):
        return None
    match = _PLAIN_TITLE_RE.match(text)
    if not match:
        return None
    candidate = match["title"]
    rest = text[match.end() :]
    sentence = _SENTENCE_BREAK_RE.search(candidate)
    if sentence and not plain_allowed:
        rest = candidate[sentence.start() :] + rest
        candidate = candidate[: sentence.start()]
    fields.title = clean_title(candidate)
    return rest if fields.title else None


def _read_metadata(rest: str, fields: EntryFields) -> int | None:
    """Consume metadata tokens from ``rest``; return where the note starts, or None if there is none."""
    position = 0
    length = len(rest)
    while True:
        separator = _SEPARATOR_RE.match(rest, position)
        position = separator.end() if separator else position
        if position >= length:
            return None
        end = _read_token(rest, position, fields)
        if end is None:
            return position
        position = end


def _read_token(rest: str, position: int, fields: EntryFields) -> int | None:
    """The end of the metadata token at ``position`` once recorded in ``fields``; None for free text."""
    first = rest[position]
    reader = _READERS_BY_FIRST_CHARACTER.get(first)
    if reader is not None:
        return reader(rest, position, fields)
    if first.isdigit():
        return _read_date(rest, position, fields)
    if first.isalpha():
        return _read_words(rest, position, fields)
    return None


def _read_bracket(rest: str, position: int, fields: EntryFields) -> int | None:
    return _read_link(rest, position, fields) or _read_enclosed(rest, position, fields)


def _read_code_span(rest: str, position: int, fields: EntryFields) -> int | None:
    code = _CODE_SPAN_RE.match(rest, position)
    if code is None or fields.venue is not None:
        return None
    fields.take_venue(code["code"])
    return code.end()


def _read_words(rest: str, position: int, fields: EntryFields) -> int | None:
    """A venue and year ("NeurIPS 2017"), authors ("Vaswani et al.") or a date ("May 2023")."""
    venue = _VENUE_YEAR_RE.match(rest, position)
    if venue and (fields.venue is None or fields.year is None):
        fields.take_venue(venue.group(0))
        return venue.end()
    et_al = _ET_AL_RE.match(rest, position) if not fields.authors else None
    if et_al:
        fields.authors = split_authors(et_al.group(0))
        return et_al.end()
    named = _NAMED_VENUE_YEAR_RE.match(rest, position) if fields.authors and fields.venue is None else None
    if named:
        fields.venue = named["venue"]
        fields.year = fields.year or int(named["year"])
        return named.end()
    return _read_date(rest, position, fields)


def _read_link(rest: str, position: int, fields: EntryFields) -> int | None:
    bracketed = _BRACKETED_LINK_RE.match(rest, position)
    if bracketed:
        fields.links.append((bracketed["label"].strip(), bracketed["url"]))
        return bracketed.end()
    link = LINK_RE.match(rest, position)
    if link and is_generic_label(link["label"]):
        fields.links.append((link["label"].strip(), link["url"]))
        return link.end()
    return None


def _read_enclosed(rest: str, position: int, fields: EntryFields) -> int | None:
    """A date or venue in parentheses or brackets: "(2023)", "[2023.05]", "(ACL 2023)"."""
    enclosed = _ENCLOSED_RE.match(rest, position)
    if enclosed is None:
        return None
    inner = enclosed["inner"]
    if _DATE_ONLY_RE.fullmatch(inner):
        fields.take_date(inner)
        return enclosed.end()
    if is_venue(inner) and (fields.venue is None or fields.year is None):
        fields.take_venue(inner)
        return enclosed.end()
    return None


def _read_italic(rest: str, position: int, fields: EntryFields) -> int | None:
    italic = _ITALIC_RE.match(rest, position)
    if italic is None:
        return None
    text = italic["star"] if italic["star"] is not None else italic["under"]
    if fields.venue is None and is_venue(text):
        fields.take_venue(text)
        return italic.end()
    if not fields.authors and looks_like_authors(text):
        fields.authors = split_authors(text)
        return italic.end()
    return None


def _read_date(rest: str, position: int, fields: EntryFields) -> int | None:
    if fields.year is not None:
        return None
    date = _DATE_TOKEN_RE.match(rest, position)
    if date is None:
        return None
    fields.take_date(date.group(0))
    return date.end()


_READERS_BY_FIRST_CHARACTER: dict[str, Callable[[str, int, EntryFields], int | None]] = {
    "[": _read_bracket,
    "(": _read_enclosed,
    "`": _read_code_span,
    "*": _read_italic,
    "_": _read_italic,
}


def _finish_note(note: str, fields: EntryFields) -> str | None:
    """Move trailing resource links and a trailing date out of the note; collect the links it keeps."""
    while note.rstrip(" .,;").endswith((")", "]")):
        trailing = _TRAILING_META_RE.search(note)
        if not trailing or not is_generic_label(trailing["label"]):
            break
        fields.links.append((trailing["label"].strip(), trailing["url"]))
        note = note[: trailing.start()]
    if fields.year is None and note.rstrip(" .").endswith((")", "]")):
        paren = _TRAILING_PAREN_DATE_RE.search(note)
        if paren and parse_date(paren["date"])[0] and len(paren["date"].split()) <= 3:
            fields.take_date(paren["date"])
            note = note[: paren.start()]
    note = _EMPTY_BRACKETS_RE.sub("", note)
    note = _NOTE_EDGE_RE.sub("", note.strip())
    if not strip_markup(note).strip(" .,;:-*_"):
        return None
    collect_note_links(note, fields.note_links)
    return note


def collect_note_links(note: str, links: list[tuple[str, str]]) -> None:
    """Add the markdown links and bare URLs written inside a note."""
    for match in LINK_RE.finditer(note):
        links.append((strip_markup(match["label"]).strip(), match["url"]))
    if "://" in note:
        without_links = LINK_RE.sub(" ", note)
        links.extend(("", url.rstrip(".,;:")) for url in BARE_URL_RE.findall(without_links))


def parse_entry_text(text: str, *, plain_allowed: bool = False) -> EntryFields | None:
    """Read one entry; None when no title can be found.

    ``plain_allowed`` accepts a title that is neither linked, bold nor quoted, as in a table's title
    column; list items need at least a link somewhere to count as a paper.
    """
    prepared, badge_links, stars = prepare(text)
    prepared = collapse_spaces(prepared)
    fields = EntryFields(badge_links=badge_links, stars=stars or None)
    prepared = _take_prefixes(prepared, fields)
    rest = _take_title(prepared, fields, plain_allowed=plain_allowed)
    if rest is None or not fields.title:
        return None
    note_start = _read_metadata(rest, fields)
    if note_start is not None:
        fields.note = _finish_note(rest[note_start:], fields)
    return fields
