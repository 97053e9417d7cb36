"""Inline markdown pieces of list entries: links, badges, HTML, dates, venues, stars and authors.

Every pattern is compiled once; the parser runs them over every entry of lists with 100k papers.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

# A link label may hold one level of brackets ("[[2023] Title](url)"); a URL may hold one level of
# parentheses (Wikipedia-style) and an optional "title".
LINK_PATTERN = (
    r"\[(?P<label>[^\[\]]*+(?:\[[^\[\]]*+\][^\[\]]*+)*+)\]"
    r"\(\s*<?(?P<url>[^\s()<>]*+(?:\([^\s()<>]*+\)[^\s()<>]*+)*+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)"
)
LINK_RE = re.compile(LINK_PATTERN)
_BADGE_LINK_RE = re.compile(r"\[\s*!\[(?P<alt>[^\]]*)\]\([^)]*\)\s*\]\(\s*<?(?P<url>[^)\s>]+)>?[^)]*\)")
_IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_BR_RE = re.compile(r"<br\s*/?>", re.I)
_HTML_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_HTML_LINK_RE = re.compile(r"<a\s[^>]*?href\s*=\s*[\"']([^\"']+)[\"'][^>]*>(.*?)</a>", re.I | re.S)
# An address ends where its own characters end: Chinese text glued to it is not part of it.
BARE_URL_RE = re.compile(r"(?<![(<\w])https?://[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+")
_STAR_RE = re.compile(r"[✡★⭐🌟]\ufe0f?")
_RATING_RE = re.compile(r"(?<![\d/.])(?P<score>\d+(?:\.\d+)?)\s*/\s*(?P<scale>5|10)(?![\d/])")
_EMPHASIS_RE = re.compile(r"(\*\*|__|`)")
_TRAILING_TITLE_PUNCT_RE = re.compile(r"(?<!\.)[.。,，;；:：]+$")
_RADICAL_RE = re.compile("[\u2e80-\u2fdf]")
_KANGXI_TABLE = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)}
_KANGXI_TABLE.update({0x2E9F: "\u6bcd", 0x2EF3: "\u9f9f"})

# What lists write where something is still missing.
PLACEHOLDERS = frozenset(
    {
        "n/a",
        "na",
        "none",
        "null",
        "todo",
        "tbd",
        "tba",
        "coming soon",
        "无",
        "暂无",
        "待补充",
        "待更新",
        "-",
        "—",
        "/",
    }
)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
YEAR_PATTERN = r"(?:19[5-9]\d|20\d{2})"
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
DATE_PATTERN = (
    rf"(?<!\d)(?P<year>{YEAR_PATTERN})"
    r"(?:\s*[./\-年]\s*(?P<month>1[0-2]|0?[1-9])(?!\d)(?:\s*[./\-]\s*\d{1,2}(?!\d)|月)?)?"
    rf"|(?<![A-Za-z])(?P<month_name>{_MONTH_NAMES})\.?,?\s+(?P<year2>{YEAR_PATTERN})"
)
_DATE_RE = re.compile(DATE_PATTERN, re.I)

VENUE_NAMES = (
    "arXiv|NeurIPS|NIPS|ICML|ICLR|ACL|EMNLP|NAACL|COLING|EACL|AACL|AAAI|IJCAI|CVPR|ICCV|ECCV|WACV|"
    "TACL|JMLR|TMLR|TPAMI|TNNLS|TKDE|KDD|WWW|SIGIR|WSDM|CIKM|CoNLL|COLM|Interspeech|ICASSP|"
    "Nature|Science|OpenReview|MLSys|OSDI|SOSP|NSDI|ISCA|ASPLOS|LREC|UAI|AISTATS|CoRL|ICRA|IROS|"
    "MICCAI|CHI|UIST|ECIR|PMLR|SC|Blog|Tech(?:nical)?\\s+Report"
)
_VENUE_CORE = (
    rf"(?:Findings\s+of\s+(?:the\s+)?)?(?:{VENUE_NAMES})(?![A-Za-z])"
    r"(?:\s+(?:Workshops?|Findings|Oral|Spotlight))?"
)
VENUE_WITH_YEAR_PATTERN = (
    rf"(?:In\s+)?(?P<venue>{_VENUE_CORE})\s*(?:['’](?P<yy>\d{{2}})|(?P<vyear>{YEAR_PATTERN}))"
)
VENUE_PATTERN = rf"(?:In\s+)?(?P<venue>{_VENUE_CORE})\s*(?:['’](?P<yy>\d{{2}})|(?P<vyear>{YEAR_PATTERN}))?"
_VENUE_FULL_RE = re.compile(rf"\s*{VENUE_PATTERN}\s*[.,]?\s*", re.I)
_IN_PREFIX_RE = re.compile(r"^in\s+", re.I)
_TRAILING_YEAR_RE = re.compile(rf"[\s,'’(]*(?:(?P<year>{YEAR_PATTERN})|['’](?P<yy>\d{{2}}))\)?\s*\.?$")

_GENERIC_LABELS = frozenset(
    (
        "pdf", "paper", "arxiv", "abs", "abstract", "html", "code", "github", "gitlab", "repo",
        "repository", "project", "page", "homepage", "website", "site", "blog", "post", "video", "talk",
        "slides", "poster", "demo", "data", "dataset", "datasets", "model", "models", "checkpoint",
        "weights", "huggingface", "hf", "openreview", "acl", "anthology", "link", "url", "doi", "official",
        "implementation", "tweet", "twitter", "colab", "docs", "doc", "bib", "bibtex", "supp",
        "supplementary", "leaderboard", "benchmark", "论文", "代码", "源码", "项目", "主页", "博客",
        "视频", "数据", "数据集", "解读", "链接", "地址", "模型", "官网",
    )
)  # fmt: skip
_LONGEST_GENERIC_LABEL = 40
_PAPER_LABELS = frozenset(
    ("pdf", "paper", "arxiv", "abs", "abstract", "html", "openreview", "acl", "anthology", "doi", "link",
     "url", "论文")
)  # fmt: skip
_CODE_LABELS = frozenset(("code", "github", "gitlab", "repo", "repository", "implementation", "代码", "源码"))
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org")
_LABEL_PUNCT_RE = re.compile(r"[\W_]+")
_ARXIV_LABEL_RE = re.compile(r"^arxiv\s*[:：]?\s*\d{4}\.\d{4,5}", re.I)

_NAME_PARTICLES = frozenset(
    ("de", "la", "le", "van", "von", "der", "den", "da", "di", "del", "du", "dos", "des", "ter", "bin", "al",
     "el")
)  # fmt: skip
_AUTHOR_SPLIT_RE = re.compile(r"\s*(?:[,;，；、]|\band\b|&)\s*", re.I)
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_INITIAL_RE = re.compile(r"^(?:[A-Z]\.)+(?:-[A-Z]\.)?$")


def fold_compatibility(text: str) -> str:
    """Fold the CJK radical look-alikes some editors produce ("⾔" → "言") without touching the rest."""
    if text.isascii() or not _RADICAL_RE.search(text):
        return text
    return text.translate(_KANGXI_TABLE)


def collapse_spaces(text: str) -> str:
    """Single spaces between words; line breaks count as spaces too."""
    return " ".join(text.split())


def strip_html(text: str, line_break: str = " ") -> str:
    """Drop HTML tags and comments (keeping their text and <a> links as markdown); unescape entities."""
    if "<" in text:
        text = _HTML_COMMENT_RE.sub("", text)
        text = _BR_RE.sub(line_break, text)
        text = _HTML_LINK_RE.sub(lambda m: f"[{m.group(2)}]({m.group(1)})", text)
        text = _HTML_TAG_RE.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def remove_badges(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Remove images and image-wrapped links (shields.io badges), returning the links they wrapped."""
    badge_links: list[tuple[str, str]] = []
    if "![" not in text:
        return text, badge_links

    def keep_link(match: re.Match[str]) -> str:
        badge_links.append((match["alt"].strip(), match["url"]))
        return " "

    text = _BADGE_LINK_RE.sub(keep_link, text)
    return _IMAGE_RE.sub(" ", text), badge_links


def is_placeholder(text: str) -> bool:
    """Text that stands for nothing yet: "TBD", "-", "…", "待补充"."""
    stripped = text.strip().strip(".…").strip()
    return not stripped or stripped.casefold() in PLACEHOLDERS


def count_stars(text: str) -> int:
    return 0 if text.isascii() else len(_STAR_RE.findall(text))


def remove_stars(text: str) -> str:
    return _STAR_RE.sub("", text)


def rating_from_text(text: str) -> int | None:
    """Curator importance 0–5 from star marks ("✡✡✡"), a ratio ("4/5", "8/10") or a bare digit."""
    stars = count_stars(text)
    if stars:
        return min(stars, 5)
    ratio = _RATING_RE.search(text)
    if ratio:
        score = float(ratio["score"]) * 5 / int(ratio["scale"])
        return max(0, min(5, round(score)))
    stripped = text.strip()
    if stripped.isdigit() and len(stripped) == 1:
        return min(int(stripped), 5)
    return None


def parse_date(text: str) -> tuple[int | None, str | None]:
    """(year, "YYYY-MM" or None) from "2023.05", "2023-05-12", "2023/5", "2023年5月", "May 2023", "2020"."""
    match = _DATE_RE.search(text)
    if not match:
        return None, None
    if match["year2"]:
        year = int(match["year2"])
        month = _MONTHS[match["month_name"].lower()]
    else:
        year = int(match["year"])
        month = int(match["month"]) if match["month"] else 0
    return year, (f"{year:04d}-{month:02d}" if month else None)


def split_venue(text: str) -> tuple[str | None, int | None]:
    """("NeurIPS", 2017) from "NeurIPS 2017", "NeurIPS'17" or "NeurIPS"; other text is kept as the venue."""
    venue = _IN_PREFIX_RE.sub("", collapse_spaces(strip_markup(text))).strip(" .,;")
    if not venue:
        return None, None
    trailing = _TRAILING_YEAR_RE.search(venue)
    year: int | None = None
    if trailing and trailing.start() > 0:
        year = int(trailing["year"]) if trailing["year"] else 2000 + int(trailing["yy"])
        venue = venue[: trailing.start()].strip(" .,;(")
    elif trailing:
        return None, int(trailing["year"]) if trailing["year"] else None
    return (venue or None), year


def is_venue(text: str) -> bool:
    match = _VENUE_FULL_RE.fullmatch(text)
    return match is not None


def strip_markup(text: str) -> str:
    """Text without emphasis markers and with links reduced to their labels."""
    if "](" in text:
        text = LINK_RE.sub(lambda m: m["label"], text)
    if "*" in text or "_" in text or "`" in text:
        text = _EMPHASIS_RE.sub("", text)
    return text


def clean_title(text: str) -> str:
    """A title as displayed: no markup, quotes or trailing period, single spaces."""
    title = collapse_spaces(fold_compatibility(strip_markup(text)))
    title = title.strip(" \"“”'‘’*_")
    title = _TRAILING_TITLE_PUNCT_RE.sub("", title).rstrip()
    return title.strip(' "“”')


@lru_cache(maxsize=4096)
def label_key(label: str) -> str:
    return _LABEL_PUNCT_RE.sub(" ", strip_markup(label).casefold()).strip()


@lru_cache(maxsize=4096)
def is_generic_label(label: str) -> bool:
    """True for labels naming a resource ("PDF", "[code]", "arXiv:2301.00234") rather than a paper."""
    if len(label) > _LONGEST_GENERIC_LABEL:
        return False
    key = label_key(label)
    if not key:
        return True
    if key in _GENERIC_LABELS or _ARXIV_LABEL_RE.match(key):
        return True
    words = key.split()
    return len(words) <= 2 and all(word in _GENERIC_LABELS for word in words)


def is_paper_label(label: str) -> bool:
    key = label_key(label)
    return key in _PAPER_LABELS or bool(_ARXIV_LABEL_RE.match(key))


def is_code_link(label: str, url: str) -> bool:
    key = label_key(label)
    if key in _CODE_LABELS or any(word in _CODE_LABELS for word in key.split()):
        return True
    host = url.split("://", 1)[-1].split("/", 1)[0].lower()
    return host.endswith(_CODE_HOSTS) and not is_paper_label(label)


def is_pdf_link(label: str, url: str) -> bool:
    lowered = url.lower().split("?", 1)[0].split("#", 1)[0]
    return (
        label_key(label) == "pdf"
        or lowered.endswith(".pdf")
        or "arxiv.org/pdf/" in lowered
        or "openreview.net/pdf" in url.lower()
    )


def is_navigation_url(url: str) -> bool:
    """In-page anchors and links to sibling markdown files: tables of contents, not papers."""
    lowered = url.strip().lower()
    return (
        not lowered
        or lowered.startswith("#")
        or (
            "://" not in lowered
            and lowered.split("#", 1)[0].endswith((".md", ".markdown", "/", ".html"))
            and not lowered.startswith("www.")
        )
    )


def looks_like_authors(text: str) -> bool:
    """Whether an italic run reads as a list of people or an organisation rather than a comment."""
    candidate = strip_markup(text).strip().rstrip(".")
    if not candidate:
        return False
    if "et al" in candidate.casefold():
        return True
    parts = [part for part in _AUTHOR_SPLIT_RE.split(candidate) if part]
    for part in parts:
        if _CJK_RE.search(part):
            if len(part) > 6:
                return False
            continue
        tokens = part.split()
        if not 1 <= len(tokens) <= 5:
            return False
        for token in tokens:
            head = token.lstrip("(\"'")[:1]
            if not (head.isupper() or token.lower() in _NAME_PARTICLES or _INITIAL_RE.match(token)):
                return False
    return True
