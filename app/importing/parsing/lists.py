"""List items as entries: bibliographic items spread over a few lines, and plain link lists.

An item runs from its marker to the next marker, heading, table or HTML block; indented lines after a
blank line still belong to it. Items whose links only point inside the document are a table of contents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .assemble import Placement
from .entry_text import EntryFields, parse_entry_text, prepare
from .inline import LINK_RE, is_generic_label, is_navigation_url, is_placeholder, strip_markup

LIST_ITEM_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|(?P<number>\d{1,6})[.)])(?P<space>[ \t]+|$)")
_LONGEST_PLACEHOLDER = 20
_RULE_RE = re.compile(r"^[ \t]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
FENCE_RE = re.compile(r"^[ \t]*(```|~~~)")
_BLOCK_HTML_TAGS = (
    r"</?(?:details|summary|div|p|table|tr|td|th|img|h[1-6]|ul|ol|li|center|br|hr|a|picture|section)\b"
)
# Whatever starts a new block ends the item: a list marker, heading, table row, fence, HTML block or rule.
_ITEM_END_RE = re.compile(
    r"^[ \t]*(?:[-*+](?:[ \t]|$)|\d{1,6}[.)](?:[ \t]|$)|#|\||```|~~~|"
    rf"{_BLOCK_HTML_TAGS}|([-*_])(?:[ \t]*\1){{2,}}[ \t]*$)",
    re.I,
)


def is_rule(line: str) -> bool:
    return _RULE_RE.match(line) is not None


def _indent_of(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


@dataclass
class ListItem:
    """The lines of one list item, its list number and how deep it is nested."""

    start: int
    end: int
    indent: int
    number: str | None
    content: str
    raw: str


def collect_item(lines: list[str], start: int) -> ListItem:
    """The item whose marker is on ``lines[start]``; ``end`` is its last line (0-based, inclusive)."""
    first = lines[start]
    match = LIST_ITEM_RE.match(first)
    assert match is not None
    indent = _indent_of(first)
    space = len(match["space"].expandtabs(4))
    content_indent = indent + len(match["marker"]) + (space if 1 <= space <= 4 else 1)
    parts = [first[match.end() :].strip()]
    last = start
    index = start + 1
    total = len(lines)
    while index < total:
        line = lines[index]
        if not line.strip():
            following = index + 1
            while following < total and not lines[following].strip():
                following += 1
            if following < total and _continues_after_blank(lines[following], content_indent):
                index = following
                continue
            break
        if _ends_item(line):
            break
        parts.append(line.strip())
        last = index
        index += 1
    raw = "\n".join(lines[start : last + 1])
    content = "\n".join(part for part in parts if part)
    return ListItem(start, last, indent, match["number"], content, raw)


def _continues_after_blank(line: str, content_indent: int) -> bool:
    return _indent_of(line) >= content_indent and not _ends_item(line)


def _ends_item(line: str) -> bool:
    return _ITEM_END_RE.match(line) is not None


def is_navigation(content: str) -> bool:
    """A table-of-contents item: it links, but only to anchors or sibling markdown files."""
    if "](http" in content or "](" not in content:
        return False
    links = [match["url"] for match in LINK_RE.finditer(content)]
    return bool(links) and all(is_navigation_url(url) for url in links)


def has_only_resource_links(content: str) -> bool:
    labels = [match["label"] for match in LINK_RE.finditer(content)]
    return bool(labels) and all(is_generic_label(label) for label in labels)


def is_empty(content: str) -> bool:
    """A placeholder item: nothing, or only "TBD", "…" or "-" once markup is gone."""
    if len(content) > _LONGEST_PLACEHOLDER and "<" not in content and "![" not in content:
        return False
    text, _, stars = prepare(content)
    return is_placeholder(strip_markup(text)) and not LINK_RE.search(text) and not stars


def parse_item(
    item: ListItem, content: str, section_path: tuple[str, ...]
) -> tuple[EntryFields | None, Placement]:
    placement = Placement(item.start + 1, item.end + 1, item.raw, section_path, item.number)
    return parse_entry_text(content), placement
