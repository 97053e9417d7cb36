"""Walks a markdown list once, top to bottom: headings make the section path, tables and list items
become entries, and everything skipped or not understood is reported with its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .assemble import Placement, build_entry
from .entry_text import EntryFields, collect_note_links, prepare
from .headings import SUMMARY_RE, atx_heading, clean_heading, setext_level, summary_heading
from .lists import (
    FENCE_RE,
    LIST_ITEM_RE,
    collect_item,
    has_only_resource_links,
    is_empty,
    is_navigation,
    is_rule,
    parse_item,
)
from .model import ParsedEntry, ParsedList, ParseWarning
from .tables import is_table_start, parse_row, rates_in_id_column, read_table

FORMATS = ("table", "bibliographic", "link-list")
_REFERENCE_DEFINITION_RE = re.compile(
    r"^[ \t]{0,3}\[(?P<label>[^\]\n]+)\]:[ \t]*<?(?P<url>[^\s>]+)>?[^\n]*$", re.M
)
_REFERENCE_LINK_RE = re.compile(r"\[(?P<text>[^\[\]\n]+)\]\[(?P<ref>[^\[\]\n]*)\]")
_LAZY_NUMBERING_MIN_ITEMS = 3


class _Collector:
    """Numbers entries within their section and gathers warnings, including repeated list numbers."""

    def __init__(self) -> None:
        self.entries: list[ParsedEntry] = []
        self.warnings: list[ParseWarning] = []
        self.formats: set[str] = set()
        self._counts: dict[tuple[str, ...], int] = {}
        self._numbers: dict[tuple[str, ...], list[tuple[str, int]]] = {}

    def add(self, fields: EntryFields, placement: Placement, shape: str) -> ParsedEntry:
        path = placement.section_path
        position = self._counts.get(path, 0) + 1
        self._counts[path] = position
        entry = build_entry(fields, placement, position, shape)
        if placement.list_number:
            self._numbers.setdefault(path, []).append((placement.list_number, placement.line))
        self.entries.append(entry)
        self.formats.add(shape)
        return entry

    def warn(self, line: int, code: str, message: str) -> None:
        self.warnings.append(ParseWarning(line, code, message))

    def finish(self) -> list[ParseWarning]:
        for numbered in self._numbers.values():
            distinct = {number for number, _ in numbered}
            if len(distinct) == 1 and len(numbered) >= _LAZY_NUMBERING_MIN_ITEMS:
                continue  # "1." on every item: markdown renumbers such lists itself
            first_seen: dict[str, int] = {}
            for number, line in numbered:
                if number in first_seen:
                    message = f"number {number} was already used on line {first_seen[number]}"
                    self.warn(line, "duplicate-number", message)
                else:
                    first_seen[number] = line
        return sorted(self.warnings, key=lambda warning: warning.line)


def _reference_resolver(text: str) -> Callable[[str], str]:
    """Rewrites reference links ("[Title][1]" with "[1]: url" elsewhere) as inline links."""
    if "]:" not in text:
        return lambda line: line
    references = {m["label"].strip().casefold(): m["url"] for m in _REFERENCE_DEFINITION_RE.finditer(text)}
    if not references:
        return lambda line: line

    def inline(match: re.Match[str]) -> str:
        key = (match["ref"] or match["text"]).strip().casefold()
        url = references.get(key)
        return f"[{match['text']}]({url})" if url else match.group(0)

    return lambda line: _REFERENCE_LINK_RE.sub(inline, line) if "][" in line else line


class _Walker:
    """The state of one pass over the lines: open sections, the last list entry, entries so far."""

    def __init__(self, lines: list[str], resolve: Callable[[str], str]) -> None:
        self.lines = lines
        self.resolve = resolve
        self.stack: list[tuple[int, str]] = []
        # For each open <details>: the section depth when it began, and the depth headings inside it
        # may not go below (its <summary>, when that names a section).
        self.details: list[tuple[int, int]] = []
        self.title: str | None = None
        self.seen_heading = False
        self.collector = _Collector()
        self.last_item: tuple[ParsedEntry, int] | None = None
        self.paragraph: int | None = None

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(text for _, text in self.stack)

    def run(self) -> ParsedList:
        index = 0
        while index < len(self.lines):
            index = self.step(index)
        formats = tuple(shape for shape in FORMATS if shape in self.collector.formats)
        warnings = self.collector.finish()
        return ParsedList(self.title, formats, self.collector.entries, warnings)

    def step(self, index: int) -> int:  # noqa: PLR0911 - one return per kind of block
        """Handle the block starting at ``index``; return the index of the line after it."""
        line = self.lines[index]
        stripped = line.strip()
        paragraph, self.paragraph = self.paragraph, None
        if not stripped:
            return index + 1
        fence = FENCE_RE.match(line)
        if fence:
            return self.skip_until(index, fence.group(1))
        if stripped.startswith("<!--"):
            return self.skip_until(index, "-->", same_line=True)
        heading = atx_heading(line)
        if heading:
            self.enter_heading(*heading)
            return index + 1
        if stripped.startswith("<"):
            return self.html(index)
        level = setext_level(line) if paragraph is not None else None
        if level is not None and paragraph is not None:
            self.enter_heading(level, self.lines[paragraph])
            return index + 1
        if is_table_start(self.lines, index):
            return self.table(index)
        if LIST_ITEM_RE.match(line) and not is_rule(line):
            return self.list_item(index)
        self.paragraph = index
        self.last_item = None
        return index + 1

    def skip_until(self, index: int, closing: str, *, same_line: bool = False) -> int:
        """Skip a code block or comment; one left open hides the rest of the list, which is reported."""
        if same_line and closing in self.lines[index]:
            return index + 1
        end = index + 1
        while end < len(self.lines) and closing not in self.lines[end]:
            end += 1
        if end >= len(self.lines) and end - index > 1:
            message = f"{closing!r} never closes: the {end - index} lines after it were not read"
            self.collector.warn(index + 1, "unclosed-block", message)
        return end + 1

    def enter_heading(self, level: int, raw: str) -> None:
        text = clean_heading(raw)
        self.last_item = None
        if self.title is None and not self.seen_heading and level == 1 and not self.collector.entries:
            self.seen_heading = True
            self.title = text or None
            return
        self.seen_heading = True
        # Inside <details>, headings nest under its <summary> rather than replacing it.
        floor = self.details[-1][1] if self.details else 0
        while len(self.stack) > floor and self.stack[-1][0] >= level:
            self.stack.pop()
        if text:
            self.stack.append((level, text))

    def html(self, index: int) -> int:
        """<details>/<summary> nest a section; other HTML blocks (badges, centred logos) are skipped."""
        line = self.lines[index]
        lowered = line.lower()
        end = index
        if "<details" in lowered:
            self.details.append((len(self.stack), len(self.stack)))
        if "<summary" in lowered:
            while "</summary>" not in lowered and end + 1 < len(self.lines) and end - index < 5:
                end += 1
                line += " " + self.lines[end]
                lowered = line.lower()
            summary = SUMMARY_RE.search(line)
            text = summary_heading(summary["text"]) if summary else None
            if text:
                level = (self.stack[-1][0] if self.stack else 0) + 1
                self.stack.append((level, text))
                self.seen_heading = True
                if self.details:
                    self.details[-1] = (self.details[-1][0], len(self.stack))
        if "</details>" in lowered and self.details:
            del self.stack[self.details.pop()[0] :]
        self.last_item = None
        return end + 1

    def table(self, index: int) -> int:
        table, end = read_table(self.lines, index, self.resolve)
        path = self.path
        added: list[ParsedEntry] = []
        for row_index, text in table.rows:
            row = parse_row(table, row_index, text, self.lines[row_index], path)
            if row.warning:
                self.collector.warnings.append(row.warning)
            if row.fields and row.placement:
                added.append(self.collector.add(row.fields, row.placement, "table"))
        if rates_in_id_column(table) and any(entry.stars is not None for entry in added):
            # The curator marks importance next to the number: a numbered row without marks scores 0,
            # a row without a number was never rated.
            for entry in added:
                if entry.stars is None and entry.list_number is not None:
                    entry.stars = 0
        self.last_item = None
        return end

    def list_item(self, index: int) -> int:
        item = collect_item(self.lines, index)
        content = self.resolve(item.content)
        after = item.end + 1
        if is_empty(content):
            self.collector.warn(item.start + 1, "empty-item", "empty list item skipped")
            return after
        if is_navigation(content):
            return after
        fields, placement = parse_item(item, content, self.path)
        parent = self.last_item
        if parent and item.indent > parent[1] and (fields is None or fields.title_kind == "plain"):
            _attach(parent[0], content, item.raw, item.end + 1)
            return after
        if fields is None:
            code = "no-title" if has_only_resource_links(content) else "unparsed"
            snippet = " ".join(content.split())[:80]
            self.collector.warn(item.start + 1, code, f"list item not understood as a paper: {snippet}")
            return after
        shape = "bibliographic" if fields.bibliographic else "link-list"
        entry = self.collector.add(fields, placement, shape)
        self.last_item = (entry, item.indent)
        return after


def _attach(entry: ParsedEntry, content: str, raw: str, end_line: int) -> None:
    """A nested item that is not a paper itself adds to its parent's note (and links)."""
    text = prepare(content, "\n")[0].strip()
    entry.note = f"{entry.note}\n{text}" if entry.note else text
    links: list[tuple[str, str]] = []
    collect_note_links(text, links)
    known = {entry.url, entry.pdf_url, entry.code_url, *(url for _, url in entry.extra_links)}
    entry.extra_links.extend((label, url) for label, url in links if url not in known)
    entry.raw = f"{entry.raw}\n{raw}"
    entry.end_line = end_line


def parse_markdown(text: str) -> ParsedList:
    """Parse a markdown list of papers: pure, text in, entries and warnings out."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return _Walker(lines, _reference_resolver(text)).run()
