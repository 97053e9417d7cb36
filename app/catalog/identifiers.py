"""Pure identifier normalisation shared by the importer and catalogue lookups.

arXiv ids, DOIs, title and author matching keys, author lists and canonical URLs.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

__all__ = [
    "arxiv_id_from_url",
    "author_name_key",
    "canonical_url",
    "clean_author_name",
    "doi_from_text",
    "normalise_arxiv_id",
    "normalise_title",
    "split_authors",
    "title_key",
    "year_from_arxiv_id",
]

# --- arXiv -----------------------------------------------------------------

_NEW_ID_RE = re.compile(r"(?P<yymm>\d{4})\.(?P<seq>\d{4,5})(?:v\d+)?")
# Old-style ids: archive[.SUBJECT]/YYMMNNN, e.g. hep-th/9901001, cs.CL/0101001, cond-mat.str-el/0301001.
_OLD_ID_RE = re.compile(
    r"(?P<archive>[a-z]+(?:-[a-z]+)?)(?:\.[a-z]+(?:-[a-z]+)?)?/(?P<digits>\d{7})(?:v\d+)?", re.I
)
_ARXIV_PREFIX_RE = re.compile(r"^arxiv\s*[:：]?\s*", re.I)
_URL_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
_ARXIV_PATH_RE = re.compile(r"^/(?:abs|pdf|html|format|ps|papers|overview)/(?P<id>.+?)(?:\.pdf)?/?$", re.I)
# The common case, checked before any URL parsing: lists link thousands of plain abs/pdf URLs.
_PLAIN_ARXIV_URL_RE = re.compile(
    r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/(?P<yymm>\d{4})\.(?P<seq>\d{4,5})"
    r"(?:v\d+)?(?:\.pdf)?/?$",
    re.I,
)
_CANONICAL_NEW_ID_RE = re.compile(r"^\d{4}\.\d{4,5}$")
_ARXIV_HOSTS = ("arxiv.org", "ar5iv.org", "alphaxiv.org")
# Sites that put a bare arXiv id in their path: /papers/<id> or /abs/<id>.
_ARXIV_MIRROR_HOSTS = {"huggingface.co", "www.huggingface.co"}
_ARXIV_DOI_PREFIX = "10.48550/arxiv."
_FIRST_FOUR_DIGIT_SEQUENCE_YYMM = 704
_LAST_FOUR_DIGIT_SEQUENCE_YYMM = 1412


def _valid_month(yymm: str) -> bool:
    return 1 <= int(yymm[2:]) <= 12


def _checked_new_id(yymm: str, seq: str) -> str | None:
    if not _valid_month(yymm) or int(yymm) < _FIRST_FOUR_DIGIT_SEQUENCE_YYMM:
        return None
    expected_digits = 4 if int(yymm) <= _LAST_FOUR_DIGIT_SEQUENCE_YYMM else 5
    return f"{yymm}.{seq}" if len(seq) == expected_digits else None


def normalise_arxiv_id(text: str) -> str | None:
    """The canonical arXiv id in ``text`` ("arXiv:2005.14165v2" → "2005.14165"), or None.

    Versions are dropped so every version of a paper shares one id. For old-style ids the subject
    class is dropped too ("cs.CL/0101001" → "cs/0101001"): arXiv itself treats archive/YYMMNNN as the
    canonical form and the class was only ever an optional hint.
    """
    candidate = text.strip().strip("<>").strip()
    if not candidate:
        return None
    if _URL_SCHEME_RE.match(candidate) or "arxiv.org/" in candidate.lower():
        return arxiv_id_from_url(candidate)
    candidate = _ARXIV_PREFIX_RE.sub("", candidate)
    if candidate.lower().endswith(".pdf"):
        candidate = candidate[:-4]
    new = _NEW_ID_RE.fullmatch(candidate)
    if new:
        return _checked_new_id(new["yymm"], new["seq"])
    old = _OLD_ID_RE.fullmatch(candidate)
    if old and _valid_month(old["digits"][:4]):
        return f"{old['archive'].lower()}/{old['digits']}"
    return None


def _arxiv_id_from_doi(text: str) -> str | None:
    doi = doi_from_text(text)
    if doi and doi.startswith(_ARXIV_DOI_PREFIX):
        return normalise_arxiv_id(doi[len(_ARXIV_DOI_PREFIX) :])
    return None


def arxiv_id_from_url(url: str) -> str | None:
    """The arXiv id behind an abs/pdf/html URL (any mirror or version), a DOI, or a bare id; else None."""
    candidate = url.strip().strip("<>").strip()
    plain = _PLAIN_ARXIV_URL_RE.match(candidate)
    if plain:
        return _checked_new_id(plain["yymm"], plain["seq"])
    lowered = candidate.lower()
    if not _URL_SCHEME_RE.match(candidate):
        if not lowered.startswith(("arxiv.org/", "www.arxiv.org/", "export.arxiv.org/")):
            if lowered.startswith(("doi", "10.")):
                return _arxiv_id_from_doi(candidate)
            return normalise_arxiv_id(candidate) if candidate else None
        candidate = "https://" + candidate
    parts = urlsplit(candidate)
    host = (parts.hostname or "").lower()
    if host.endswith(_ARXIV_HOSTS) or host in _ARXIV_MIRROR_HOSTS:
        match = _ARXIV_PATH_RE.match(unquote(parts.path))
        return normalise_arxiv_id(match["id"]) if match else None
    return _arxiv_id_from_doi(candidate) if host.endswith("doi.org") else None


def year_from_arxiv_id(arxiv_id: str) -> int | None:
    """The submission year encoded in an arXiv id: 2005.14165 → 2020, hep-th/9901001 → 1999."""
    if _CANONICAL_NEW_ID_RE.match(arxiv_id):
        return 2000 + int(arxiv_id[:2])
    canonical = normalise_arxiv_id(arxiv_id)
    if canonical is None:
        return None
    if "/" not in canonical:
        return 2000 + int(canonical[:2])
    yy = int(canonical.split("/")[1][:2])
    # Old-style ids ran from 1991 to March 2007.
    return 1900 + yy if yy >= 91 else 2000 + yy


# --- DOI ---------------------------------------------------------------------

_DOI_RE = re.compile(r"10\.\d{4,9}/[^\s\"<>#?]+")
_DOI_PREFIX_RE = re.compile(r"^doi\s*[:：]\s*", re.I)
_DOI_TRAILING_RE = re.compile(r"[.,;:)\]}>'\"]+$")
_NATURE_ARTICLE_RE = re.compile(r"^/articles/(s\d{5}-\d{3}-\d{5}-\w)", re.I)


def doi_from_text(url_or_doi: str) -> str | None:
    """The DOI in a doi.org / dx.doi.org URL, a "doi:" string, a bare DOI or a publisher /doi/ URL.

    Returned lower-cased: DOIs are case-insensitive, and one spelling makes them usable as keys.
    """
    text = unquote(url_or_doi.strip().strip("<>").strip())
    if not text:
        return None
    found: str | None = None
    if _URL_SCHEME_RE.match(text) or text.lower().startswith(("doi.org/", "dx.doi.org/")):
        parts = urlsplit(text if _URL_SCHEME_RE.match(text) else "https://" + text)
        host = (parts.hostname or "").lower()
        path = parts.path
        nature = _NATURE_ARTICLE_RE.match(path) if host.endswith("nature.com") else None
        if nature:
            found = "10.1038/" + nature.group(1)
        elif host.endswith("doi.org") or "/doi/" in path or host.endswith("springer.com"):
            match = _DOI_RE.search(path)
            found = match.group(0) if match else None
    else:
        match = _DOI_RE.match(_DOI_PREFIX_RE.sub("", text))
        found = match.group(0) if match else None
    if found is None:
        return None
    found = _DOI_TRAILING_RE.sub("", found)
    return found.lower() or None


# --- titles and slugs ----------------------------------------------------------

_MARKDOWN_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_INTRA_WORD_JOINER_RE = re.compile(r"(?<=\w)['’\-‐‑–](?=\w)")
_NON_WORD_RE = re.compile(r"[\W_]+")


def normalise_title(title: str) -> str:
    """A matching key for titles: "Attention is all you need." and "Attention Is All You Need" agree.

    NFKC, case-folded, markdown and punctuation removed, spaces collapsed. Hyphens and apostrophes
    inside a word are deleted rather than spaced so "Pre-training" and "Pretraining" agree.
    """
    text = unicodedata.normalize("NFKC", title)
    text = _MARKDOWN_LINK_RE.sub(r"\1", text).casefold()
    text = _INTRA_WORD_JOINER_RE.sub("", text)
    return _NON_WORD_RE.sub(" ", text).strip()


def title_key(title: str) -> str:
    """The stored matching key of a title (papers.title_key)."""
    return normalise_title(title)[:500]


# --- authors -----------------------------------------------------------------

AUTHOR_NAME_LENGTH = 200


def clean_author_name(name: str) -> str:
    """An author's name as stored: single spaces, bounded."""
    return " ".join(name.split())[:AUTHOR_NAME_LENGTH]


def author_name_key(name: str) -> str:
    """Case-, accent- and spacing-insensitive identity of an author's name."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name))
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(folded.split())[:AUTHOR_NAME_LENGTH]


_ET_AL_RE = re.compile(r"(?:,?\s*(?:et\.?\s*al\.?|and\s+others|等人?)\s*)$", re.I)
_BIBTEX_AND_RE = re.compile(r"\s+and\s+", re.I)
_AUTHOR_SEPARATOR_RE = re.compile(r"\s*(?:[,;，；、]|\band\b|&)\s*", re.I)
_NAME_DECORATIONS = "*_†‡§¶#0123456789"
_NAME_DECORATION_RE = re.compile(r"[*_†‡§¶#\d]+$")
_SPACES_RE = re.compile(r"\s+")


def _clean_name(name: str) -> str:
    name = " ".join(name.strip("*_ ").split())
    if name and name[-1] in _NAME_DECORATIONS:
        name = _NAME_DECORATION_RE.sub("", name).strip()
    last = name.rsplit(" ", 1)[-1]
    # A trailing period ends the list ("Google."), unless it belongs to an initial ("Quoc V.").
    if name.endswith(".") and len(last.rstrip(".")) > 1:
        name = name[:-1].rstrip()
    return name


def split_authors(text: str) -> list[str]:
    """Author names from "A, B, and C", "A and B" or BibTeX "Vaswani, Ashish and Shazeer, Noam".

    "et al." and "and others" are dropped. Without " and ", a comma always separates authors: a lone
    "Last, First" cannot be told apart from two one-word names such as "Google, DeepMind".
    """
    cleaned = " ".join(text.strip("*_ ").split())
    previous = None
    while previous != cleaned and (" al" in cleaned or "other" in cleaned or "等" in cleaned):
        previous = cleaned
        cleaned = _ET_AL_RE.sub("", cleaned).strip().rstrip(",").strip()
    if not cleaned:
        return []
    bibtex_parts = _BIBTEX_AND_RE.split(cleaned)
    if len(bibtex_parts) > 1 and all(part.count(",") == 1 for part in bibtex_parts):
        names = []
        for part in bibtex_parts:
            last, first = (piece.strip() for piece in part.split(","))
            names.append(f"{_clean_name(first)} {last}".strip())
        return [name for name in names if name]
    plain_names = (_clean_name(part) for part in _AUTHOR_SEPARATOR_RE.split(cleaned))
    return [name for name in plain_names if name and name.casefold() not in {"et al", "others"}]


# --- URLs --------------------------------------------------------------------

_TRACKING_PARAMS = {
    "fbclid",
    "gclid",
    "ref_src",
    "share_medium",
    "share_source",
    "sharer_shareid",
    "sharer_sharetime",
    "spm_id_from",
    "vd_source",
}
_DEFAULT_PORTS = {("http", 80), ("https", 443)}


def canonical_url(url: str) -> str:
    """One spelling per resource, for comparing links: arXiv → https://arxiv.org/abs/<id>, DOI → doi.org.

    Otherwise https, lower-case host without "www.", no default port, fragment or tracking parameters,
    sorted query, no trailing slash; GitHub paths are case-insensitive so they are lower-cased.
    """
    candidate = url.strip().strip("<>").strip()
    if not candidate:
        return ""
    if not _URL_SCHEME_RE.match(candidate):
        candidate = "https://" + candidate.lstrip("/")
    parts = urlsplit(candidate)
    host = (parts.hostname or "").lower()
    if host.endswith(_ARXIV_HOSTS) or host in _ARXIV_MIRROR_HOSTS or host.endswith("doi.org"):
        arxiv_id = arxiv_id_from_url(candidate)
        if arxiv_id:
            return f"https://arxiv.org/abs/{arxiv_id}"
    if host.endswith("doi.org"):
        doi = doi_from_text(candidate)
        if doi:
            return f"https://doi.org/{doi}"
    scheme = parts.scheme.lower()
    if scheme in {"http", "https"}:
        scheme = "https"
    host = host.removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None or (parts.scheme.lower(), port) in _DEFAULT_PORTS else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    if host == "github.com":
        path = path.lower().removesuffix(".git")
    query_pairs = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key not in _TRACKING_PARAMS and not key.startswith("utm_")
    ]
    query = urlencode(sorted(query_pairs))
    return urlunsplit((scheme, netloc, path, query, ""))
