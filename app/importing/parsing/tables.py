"""Markdown tables of papers: column roles from English or Chinese headers, one entry per row."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from app.catalog.identifiers import normalise_arxiv_id, split_authors

from .assemble import Placement
from .entry_text import EntryFields, collect_note_links, parse_entry_text, prepare
from .inline import (
    BARE_URL_RE,
    LINK_RE,
    collapse_spaces,
    is_placeholder,
    rating_from_text,
    strip_markup,
)
from .model import ParseWarning

_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_CELL_SPLIT_RE = re.compile(r"(?<!\\)\|")
_ID_RE = re.compile(r"^\s*(?P<number>[#№]?\s*\d+(?:[.\-]\d+)*[a-z]?)(?![\d/])", re.I)
_CONTENT_RE = re.compile(r"[^\W_]|[✡★⭐🌟]")
_HEADER_PUNCT_RE = re.compile(r"[^\w#]+")

# Checked in this order: "发表时间" is a date although "发表" alone suggests a venue, and "Paper Link"
# is a link column although "paper" alone names the title column.
_ROLE_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("stars", ("star", "rating", "推荐", "星级", "importance", "重要", "评分", "priority")),
    ("date", ("date", "year", "time", "时间", "年份", "日期", "month", "published", "发布")),
    ("code", ("code", "github", "代码", "repo", "源码", "implementation")),
    ("authors", ("author", "作者")),
    ("link", ("link", "url", "pdf", "链接", "地址", "arxiv")),
    ("venue", ("venue", "conference", "conf", "会议", "期刊", "journal", "publication", "出处", "发表")),
    (
        "note",
        (
            "introduction", "description", "summary", "note", "comment", "remark", "简介", "说明",
            "介绍", "摘要", "备注", "概述", "abstract", "tldr", "contribution", "highlight", "评论",
            "内容", "解读",
        ),
    ),
)  # fmt: skip
_ID_HEADERS = frozenset(
    {"id", "no", "#", "序号", "编号", "number", "index", "idx", "num", "n", "排名", "rank"}
)
_STRONG_TITLE = ("paper", "title", "论文", "标题", "题目", "文章", "文献")
_WEAK_TITLE = ("name", "名称", "model", "模型", "method", "方法", "work")


def is_separator(line: str) -> bool:
    return "-" in line and "|" in line and _SEPARATOR_RE.match(line) is not None


def is_table_start(lines: list[str], index: int) -> bool:
    return "|" in lines[index] and index + 1 < len(lines) and is_separator(lines[index + 1])


def split_cells(line: str) -> list[str]:
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|") and not stripped.endswith("\\|"):
        stripped = stripped[:-1]
    return [cell.replace("\\|", "|").strip() for cell in _CELL_SPLIT_RE.split(stripped)]


def _header_key(header: str) -> str:
    text = unicodedata.normalize("NFKC", strip_markup(prepare(header)[0])).casefold()
    return _HEADER_PUNCT_RE.sub(" ", text).strip()


def column_roles(headers: list[str]) -> list[str]:
    """A role per column: id, stars, date, code, authors, link, venue, note, title or extra."""
    keys = [_header_key(header) for header in headers]
    roles = []
    for key in keys:
        role = "extra"
        if key in _ID_HEADERS or key.startswith(("no ", "id ")):
            role = "id"
        else:
            role = next((name for name, words in _ROLE_KEYWORDS if any(w in key for w in words)), "extra")
        roles.append(role)
    for vocabulary in (_STRONG_TITLE, _WEAK_TITLE):
        title = next(
            (i for i, key in enumerate(keys) if roles[i] == "extra" and any(w in key for w in vocabulary)),
            None,
        )
        if title is not None:
            roles[title] = "title"
            break
    return roles


@dataclass
class TableRow:
    """A parsed row, or the warning it produced."""

    fields: EntryFields | None
    placement: Placement | None
    warning: ParseWarning | None = None


@dataclass
class Table:
    """A table's headers, the role of each column and its body rows as (line index, text)."""

    headers: list[str]
    roles: list[str]
    rows: list[tuple[int, str]]


def read_table(lines: list[str], start: int, resolve: Callable[[str], str]) -> tuple[Table, int]:
    """The table starting at ``start`` and the index of the first line after it."""
    headers = split_cells(resolve(lines[start]))
    index = start + 2
    rows: list[tuple[int, str]] = []
    while index < len(lines) and "|" in lines[index] and lines[index].strip():
        rows.append((index, resolve(lines[index])))
        index += 1
    roles = column_roles(headers)
    if "title" not in roles:
        roles = _guess_title_column(roles, rows)
    return Table(headers, roles, rows), index


def _guess_title_column(roles: list[str], rows: list[tuple[int, str]]) -> list[str]:
    """Without a recognisable header, the title is the first column holding links, else the first free one."""
    sample = [split_cells(text) for _, text in rows[:20]]
    free = [i for i, role in enumerate(roles) if role in {"extra", "note"}]
    linked = [i for i in free if any(i < len(cells) and LINK_RE.search(cells[i]) for cells in sample)]
    choice = linked[0] if linked else (free[0] if free else None)
    if choice is None:
        return roles
    return [*roles[:choice], "title", *roles[choice + 1 :]]


def _has_content(cell: str) -> bool:
    if "<" in cell or "&" in cell:
        cell = prepare(cell)[0]
    return _CONTENT_RE.search(cell) is not None and not is_placeholder(cell)


def _apply_cell(role: str, header: str, cell: str, fields: EntryFields, extras: list[str]) -> str | None:
    """Fold one non-title cell into ``fields``; return the list number when the cell is an ID."""
    prepared, badges, stars = prepare(cell, "\n")
    fields.badge_links.extend(badges)
    if role in {"code", "link"}:
        _take_cell_links(role, prepared, fields)
        return None
    if role == "note":
        note = prepared.strip()
        if strip_markup(note).strip():
            fields.note = f"{fields.note}\n{note}" if fields.note else note
            collect_note_links(note, fields.note_links)
        return None
    plain = collapse_spaces(strip_markup(prepared))
    if role in {"id", "stars"}:
        match = _ID_RE.match(plain) if role == "id" else None
        rest = plain[match.end() :] if match else plain
        rating = min(stars, 5) if stars else rating_from_text(rest) if rest else None
        if rating is not None:
            fields.stars = rating
        return match["number"].replace(" ", "") if match else None
    if role == "date":
        fields.take_date(plain)
    elif role == "authors":
        fields.authors = fields.authors or split_authors(plain)
    elif role == "venue":
        fields.take_venue(plain)
    else:
        _take_extra_cell(collapse_spaces(strip_markup(header)), prepared, fields, extras)
    return None


def _take_extra_cell(header: str, prepared: str, fields: EntryFields, extras: list[str]) -> None:
    """Any other column: its links become extra links, its text a "Header: value" line of the note."""
    for match in LINK_RE.finditer(prepared):
        fields.note_links.append((strip_markup(match["label"]).strip() or header, match["url"]))
    text = collapse_spaces(strip_markup(LINK_RE.sub(" ", prepared)))
    if not is_placeholder(text):
        extras.append(f"{header}: {text}")


def _take_cell_links(role: str, prepared: str, fields: EntryFields) -> None:
    default_label = "code" if role == "code" else "paper"
    found = [
        (strip_markup(match["label"]).strip() or default_label, match["url"])
        for match in LINK_RE.finditer(prepared)
    ]
    found += [(default_label, url) for url in BARE_URL_RE.findall(LINK_RE.sub(" ", prepared))]
    if not found and role == "link":
        arxiv_id = normalise_arxiv_id(strip_markup(prepared))
        if arxiv_id:
            found.append(("arXiv", f"https://arxiv.org/abs/{arxiv_id}"))
    fields.links.extend((default_label if role == "code" else label, url) for label, url in found)


def parse_row(table: Table, index: int, text: str, raw: str, section_path: tuple[str, ...]) -> TableRow:
    line = index + 1
    cells = split_cells(text)
    if is_separator(text):
        return TableRow(None, None)
    if not any(_has_content(cell) for cell in cells):
        return TableRow(None, None, ParseWarning(line, "empty-row", "empty table row skipped"))
    title_column = table.roles.index("title") if "title" in table.roles else None
    if title_column is None or title_column >= len(cells):
        message = f"table row without its title cell ({len(cells)} cells): {text.strip()[:80]}"
        return TableRow(None, None, ParseWarning(line, "unparsed", message))
    fields = parse_entry_text(cells[title_column], plain_allowed=True)
    if fields is None:
        message = f"table row without a title: {text.strip()[:80]}"
        return TableRow(None, None, ParseWarning(line, "no-title", message))
    extras: list[str] = []
    list_number = None
    for column, cell in enumerate(cells):
        if column == title_column or column >= len(table.roles) or not cell:
            continue
        number = _apply_cell(table.roles[column], table.headers[column], cell, fields, extras)
        list_number = list_number or number
    if extras:
        joined = "\n".join(extras)
        fields.note = f"{fields.note}\n{joined}" if fields.note else joined
    header = collapse_spaces(strip_markup(prepare(table.headers[title_column])[0])) or None
    placement = Placement(line, line, raw, section_path, list_number, header)
    return TableRow(fields, placement)


def rates_in_id_column(table: Table) -> bool:
    """Whether importance marks, if any, sit next to the row number ("3✡✡"), not in a column of their own."""
    return "id" in table.roles and "stars" not in table.roles
