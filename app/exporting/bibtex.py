"""BibTeX: one entry per paper, LaTeX-escaped, with arXiv eprint fields and keys unique within the file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from app.exporting.records import ExportPaper, venue_kind
from app.exporting.text import ascii_letters, one_line
from app.note_text import note_plain_text

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_TITLE_STOPWORDS = frozenset(
    {"a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "is", "are", "via"}
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


_LATEX_TABLE = str.maketrans(_LATEX_SPECIALS)


def escape_latex(text: str) -> str:
    return one_line(text).translate(_LATEX_TABLE)


def _verbatim(text: str) -> str:
    # url and doi are read verbatim by biblatex/hyperref: no LaTeX escapes, but braces must not unbalance.
    return one_line(text).replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


def _author(name: str) -> str:
    escaped = escape_latex(name)
    # A comma or a lone "and" would split or reorder the name; braces keep it one literal name.
    if "," in name or " and " in f" {name.casefold()} ":
        return "{" + escaped + "}"
    return escaped


def citation_key(paper: ExportPaper) -> str:
    """Google Scholar style: first author's surname, year, first significant title word.

    "Attention Is All You Need" by Ashish Vaswani, 2017 → vaswani2017attention.
    """
    surname = (
        ascii_letters(paper.authors[0].split()[-1]) if paper.authors and paper.authors[0].split() else ""
    )
    words = [ascii_letters(word) for word in paper.title.split()]
    word = next((w for w in words if w and w not in _TITLE_STOPWORDS), "") or next(
        (w for w in words if w), ""
    )
    key = f"{surname or 'anon'}{paper.year or 'nd'}{word[:20]}"
    return key or f"paper{paper.id}"


def _entry_type(venue: str | None) -> tuple[str, str | None]:
    kind = venue_kind(venue)
    if kind == "journal":
        return "article", "journal"
    if kind == "conference":
        return "inproceedings", "booktitle"
    return "misc", None


def format_entry(paper: ExportPaper, key: str) -> str:
    kind, venue_field = _entry_type(paper.venue)
    fields: list[tuple[str, str]] = [("title", "{" + escape_latex(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(_author(name) for name in paper.authors)))
    if venue_field and paper.venue:
        fields.append((venue_field, escape_latex(paper.venue)))
    if paper.year:
        fields.append(("year", str(paper.year)))
    if paper.published and paper.published[5:7].isdigit() and 1 <= int(paper.published[5:7]) <= 12:
        fields.append(("month", _MONTHS[int(paper.published[5:7]) - 1]))
    if paper.arxiv_id:
        fields += [("eprint", _verbatim(paper.arxiv_id)), ("archivePrefix", "arXiv")]
    if paper.doi:
        fields.append(("doi", _verbatim(paper.doi)))
    if paper.best_url:
        fields.append(("url", _verbatim(paper.best_url)))
    if paper.tags:
        fields.append(("keywords", escape_latex(", ".join(paper.tags))))
    if paper.summary:
        fields.append(("abstract", escape_latex(note_plain_text(paper.summary))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def to_bibtex(papers: Iterable[ExportPaper]) -> Iterator[str]:
    """Entries one at a time; a key already used in this file gets a letter (vaswani2017attentionb)."""
    used: set[str] = set()
    for paper in papers:
        base = citation_key(paper)
        key, suffix = base, 0
        while key in used:
            suffix += 1
            key = f"{base}{_suffix(suffix)}"
        used.add(key)
        yield format_entry(paper, key) + "\n"


def _suffix(number: int) -> str:
    """1 → "b", 2 → "c", ... 25 → "z", 26 → "aa": the unsuffixed key plays the part of "a"."""
    position, letters = number + 1, ""
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters
