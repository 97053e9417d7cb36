"""Pure markdown parsing of awesome lists of papers: text in, entries and warnings out."""

from .document import parse_markdown
from .model import ParsedEntry, ParsedList, ParseWarning

__all__ = ["ParseWarning", "ParsedEntry", "ParsedList", "parse_markdown"]
