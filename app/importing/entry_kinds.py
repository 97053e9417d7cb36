"""Paper or not: each entry's kind from evidence a person can check (its links, its headings, its shape).

Pure: a record in, a decision out, with every reason that counted and its weight. Entries that are not
papers become the list's resources (software, models, datasets, courses, ...), never catalogue papers.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.importing.records import EntryRecord

PAPER = "paper"
RESOURCE_KINDS = ("software", "model", "dataset", "course", "leaderboard", "article", "book", "list", "other")
ENTRY_KINDS = (PAPER, *RESOURCE_KINDS)
# Evidence that says "not a paper" without saying what else: it counts against the paper, kind "other".
_NOT_PAPER = "not-paper"
# Below this margin between the paper's evidence and the rest, the decision is reported as uncertain.
CERTAIN_MARGIN = 1.5
# Lists are lists of papers first: with nothing to go on, an entry is a paper (and reported as uncertain).
_PRIOR = 0.5

_PAPER_HOSTS = (
    "arxiv.org", "doi.org", "aclanthology.org", "aclweb.org", "openreview.net", "neurips.cc", "nips.cc",
    "mlr.press", "jmlr.org", "ieeexplore.ieee.org", "dl.acm.org", "springer.com", "sciencedirect.com",
    "nature.com", "science.org", "semanticscholar.org", "aaai.org", "ijcai.org", "thecvf.com",
    "biorxiv.org", "medrxiv.org", "ssrn.com", "pnas.org", "cell.com", "researchgate.net", "iclr.cc",
    "icml.cc", "isca-speech.org", "usenix.org", "vldb.org", "mdpi.com", "frontiersin.org", "plos.org",
    "jstor.org", "ncbi.nlm.nih.gov", "academic.oup.com", "onlinelibrary.wiley.com", "tandfonline.com",
    "ecva.net", "bmva.org", "alphaxiv.org", "scholar.google.com", "citeseerx.ist.psu.edu", "acm.org",
)  # fmt: skip
_CODE_HOSTS = (
    "github.com", "gitlab.com", "gitee.com", "bitbucket.org", "codeberg.org", "sourceforge.net",
    "pypi.org", "npmjs.com", "marketplace.visualstudio.com", "chrome.google.com", "apps.apple.com",
)  # fmt: skip
_VIDEO_HOSTS = ("youtube.com", "youtu.be", "bilibili.com", "vimeo.com", "b23.tv")
_COURSE_HOSTS = (
    "coursera.org", "edx.org", "udemy.com", "udacity.com", "deeplearning.ai", "fast.ai", "mooc.cn",
)  # fmt: skip
_BLOG_HOSTS = (
    "medium.com", "substack.com", "notion.site", "notion.so", "wordpress.com", "blogspot.com",
    "zhihu.com", "mp.weixin.qq.com", "csdn.net", "juejin.cn", "cnblogs.com", "jianshu.com",
    "towardsdatascience.com", "thegradient.pub", "lesswrong.com", "alignmentforum.org", "twitter.com",
    "x.com", "reddit.com", "news.ycombinator.com", "lilianweng.github.io", "jalammar.github.io",
    "karpathy.github.io", "huyenchip.com", "hackernoon.com", "dev.to", "wandb.ai/site/articles",
)  # fmt: skip
_BOOK_HOSTS = (
    "amazon.", "amzn.to", "manning.com", "oreilly.com", "packtpub.com", "nostarch.com", "leanpub.com",
    "d2l.ai",
)  # fmt: skip
_DATASET_HOSTS = ("kaggle.com/datasets", "commoncrawl.org", "data.world", "zenodo.org")
_LEADERBOARD_URL = re.compile(r"leaderboard|lmarena|chat\.lmsys\.org|paperswithcode\.com/sota|/arena\b", re.I)
_BLOG_PATH = re.compile(r"(^|/)(blog|blogs|posts?|news|articles?|index)(/|$)|/20\d\d/\d\d/", re.I)
_COURSE_PATH = re.compile(r"/courses?(/|$)|/(cs|cos|cse|ee)-?\d{2,3}|/lectures?(/|$)|/learn(/|$)", re.I)
_BOOK_PATH = re.compile(r"/books?(/|$)", re.I)
_COLLECTION = re.compile(
    r"awesome|papers\b|paper[-_ ]?list|reading[-_ ]?list|(^|[-_ /])(lists?|collections?)([-_ ]|$)", re.I
)
_PAPER_LABELS = re.compile(r"^\W*(paper|pdf|arxiv|论文|openreview|acl|doi|publication)\W*$", re.I)


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(alternatives), re.I)


_HEADING_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (PAPER, _words(r"\bpapers?\b", "论文", "文献", "milestone", r"\bsurveys?\b", "综述", "reading list",
                   "必读", r"\bpublications?\b")),
    ("leaderboard", _words("leaderboards?", "排行榜", "榜单", r"\barenas?\b")),
    ("model", _words(r"open[- ]?(source[- ]?)?(llms?|models?|weights)", "开源模型", "开源大模型", "model zoo",
                     "checkpoints?", "模型下载", "model cards?", r"\bmodel hub")),
    ("dataset", _words(r"\bdatasets?\b", r"\bdata\b", "数据集", "语料", r"\bcorpus\b", r"\bcorpora\b")),
    ("course", _words(r"\bcourses?\b", "课程", "tutorials?", "教程", r"\blectures?\b", "讲座", r"\bvideos?\b",
                      "视频", r"\bclasses\b", "学习资源", r"\btalks?\b")),
    ("book", _words(r"\bbooks?\b", "书籍", "图书", "书单", "教材", r"\btextbooks?\b")),
    ("article", _words(r"\bblogs?\b", "博客", r"\barticles?\b", r"\bposts?\b", "great thoughts",
                       r"\bopinions?\b", r"\bessays?\b", "newsletters?", "podcasts?", r"\bnews\b", "资讯",
                       r"\bthoughts\b", r"\binterviews?\b")),
    ("list", _words(r"\bawesome\b", "other lists", "related (lists|repos|projects|collections)", "相关列表",
                    "其他列表", "合集")),
    ("software", _words(r"\btools?\b(?![- ]?(use|using|learning|augment|call))", "toolkits?",
                        "工具(?!学习|调用|使用)", r"\bframeworks?\b", "框架", r"\blibrar(y|ies)\b",
                        r"\bsdks?\b", r"\bdeploy", "部署", r"\bserving\b", r"\bapps?\b", r"\bapplications?\b",
                        r"\bproducts?\b", "产品", r"\bplatforms?\b", "平台", "开源项目", r"\bprojects?\b",
                        r"\brepos(itories)?\b", "代码库", r"\bplugins?\b", "插件", r"\bllmops\b",
                        r"\binterfaces?\b")),
    (_NOT_PAPER, _words(r"\bmisc(ellaneous)?\b", r"\bresources?\b", "资源", r"\bothers?\b", "其他", "其它",
                        r"\blinks\b")),
)  # fmt: skip
_TITLE_KINDS: tuple[tuple[str, float, re.Pattern[str]], ...] = (
    ("list", 3.0, _words(r"\bawesome\b")),
    ("course", 2.0, _words(r"\b(cs|cos|cse|ee)\s?-?\d{2,3}\b", r"\bcourses?\b", r"\blectures?\b", "课程",
                           "教程", r"\btutorials?\b", r"\bbootcamp\b", r"\bseries\b")),
    ("leaderboard", 2.0, _words("leaderboard", r"\barena\b", "排行榜", "榜单")),
    ("model", 2.0, _words(r"(?<![\w.])\d+(\.\d+)?[bm]\b", r"\|\s*\d+(\.\d+)?b\b")),
)  # fmt: skip
_WORD_RE = re.compile(r"[A-Za-z0-9][\w'’.-]*")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_LONG_TITLE_WORDS = 6


@dataclass(frozen=True)
class Evidence:
    kind: str
    weight: float
    reason: str


@dataclass(frozen=True)
class KindDecision:
    """What an entry is, how sure the importer is, and why."""

    kind: str
    is_certain: bool
    evidence: tuple[str, ...]

    @property
    def is_paper(self) -> bool:
        return self.kind == PAPER


def _host_and_path(url: str) -> tuple[str, str]:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "", ""
    host = (parts.hostname or "").lower()
    return host.removeprefix("www."), parts.path or ""


def _on(host: str, path: str, domains: Iterable[str]) -> bool:
    """Whether HOST (or HOST/PATH, for entries such as "kaggle.com/datasets") is one of DOMAINS."""
    address = f"{host}{path}".lower()
    for domain in domains:
        if "/" in domain:
            if address.startswith(domain):
                return True
        elif domain.endswith("."):
            if host.startswith(domain) or f".{domain}" in f".{host}":
                return True
        elif host == domain or host.endswith(f".{domain}"):
            return True
    return False


def _hugging_face(path: str, title: str) -> Evidence:  # noqa: PLR0911 - one answer per part of the site
    first = path.strip("/").split("/", 1)[0].lower()
    if first == "papers":
        return Evidence(PAPER, 3, "links a Hugging Face paper page")
    if first == "datasets":
        return Evidence("dataset", 3, "links a Hugging Face dataset")
    if first == "spaces":
        if _LEADERBOARD_URL.search(path) or re.search(r"leaderboard|arena", title, re.I):
            return Evidence("leaderboard", 3, "links a leaderboard on Hugging Face")
        return Evidence("software", 2, "links a Hugging Face Space (a demo)")
    if first == "blog":
        return Evidence("article", 3, "links a Hugging Face blog post")
    if first in {"learn", "course"}:
        return Evidence("course", 3, "links a Hugging Face course")
    if first == "docs":
        return Evidence("software", 2, "links software documentation")
    return Evidence("model", 3, "links models on Hugging Face")


def link_evidence(url: str, title: str = "") -> Evidence | None:  # noqa: PLR0911, PLR0912 - one answer per kind of site
    """What one link says about the entry it belongs to, or None when it says nothing."""
    host, path = _host_and_path(url)
    if not host:
        return None
    lowered = path.lower()
    if _on(host, path, ("huggingface.co", "hf.co")):
        return _hugging_face(path, title)
    if _on(host, path, ("paperswithcode.com",)):
        if lowered.startswith("/paper/"):
            return Evidence(PAPER, 3, "links a Papers with Code paper page")
        if lowered.startswith(("/dataset", "/datasets")):
            return Evidence("dataset", 3, "links a dataset page")
        return Evidence("leaderboard", 2, "links a Papers with Code leaderboard")
    if _on(host, path, _PAPER_HOSTS):
        return Evidence(PAPER, 3, f"links a paper on {host}")
    if _LEADERBOARD_URL.search(f"{host}{path}"):
        return Evidence("leaderboard", 3, "links a leaderboard")
    if _on(host, path, _CODE_HOSTS):
        repository = "/".join(lowered.strip("/").split("/")[:2])
        if _COLLECTION.search(repository) or _COLLECTION.search(title):
            return Evidence("list", 3, "links another awesome list")
        return Evidence("software", 3, f"links a code repository on {host}")
    if lowered.endswith(".pdf") or "/pdf/" in lowered:
        return Evidence(PAPER, 2, "links a PDF")
    if _on(host, path, _VIDEO_HOSTS):
        return Evidence("course", 2, f"links videos on {host}")
    if _on(host, path, _COURSE_HOSTS) or _COURSE_PATH.search(path):
        return Evidence("course", 3, "links a course")
    if _on(host, path, _BOOK_HOSTS) or _BOOK_PATH.search(path):
        return Evidence("book", 3, "links a book")
    if _on(host, path, _DATASET_HOSTS) or re.search(r"/datasets?(/|$)", lowered):
        return Evidence("dataset", 2, "links a dataset")
    if _on(host, path, _BLOG_HOSTS) or host.startswith("blog.") or _BLOG_PATH.search(path):
        return Evidence("article", 2, "links a blog post or article")
    if _on(host, path, ("modelscope.cn",)):
        return Evidence("model", 3, "links models on ModelScope")
    if lowered.strip("/") == "" and not host.endswith("github.io"):
        return Evidence("software", 1, f"links the home page of {host} (a product or project site)")
    return None


def _heading_evidence(section_path: tuple[str, ...]) -> list[Evidence]:
    """The deepest heading that names a kind counts most; the ones above it a little."""
    found: list[Evidence] = []
    for depth, heading in enumerate(reversed(section_path)):
        text = unicodedata.normalize("NFKC", heading)
        kinds = [kind for kind, pattern in _HEADING_KINDS if pattern.search(text)]
        weight = 2.5 if not found else 1.0
        found.extend(
            Evidence(kind, weight if kind != _NOT_PAPER else 1.0, f"under the heading “{heading}”")
            for kind in kinds
        )
        if found and depth >= 1:
            break
    return found


def _title_length(title: str) -> int:
    """Words in a title, counting two Chinese characters as a word."""
    return len(_WORD_RE.findall(title)) + len(_CJK_RE.findall(title)) // 2


def _shape_evidence(record: EntryRecord) -> list[Evidence]:
    entry = record.entry
    found: list[Evidence] = []
    if entry.authors:
        found.append(Evidence(PAPER, 2, "names its authors"))
    if entry.venue:
        found.append(Evidence(PAPER, 2, f"names a venue ({entry.venue})"))
    if (
        entry.shape == "table"
        and entry.title_header
        and re.search(r"paper|title|论文|标题|题目|文献", entry.title_header, re.I)
    ):
        found.append(Evidence(PAPER, 1, f"in a table column headed “{entry.title_header}”"))
    words = _title_length(record.title)
    head, colon, tail = record.title.partition(":")
    if colon and _title_length(tail) >= 3 and _title_length(head) <= 6:
        found.append(Evidence(PAPER, 1.5, "a title in the “Name: what it does” form of papers"))
        if words >= _LONG_TITLE_WORDS + 2:
            found.append(Evidence(PAPER, 1, f"a title of {words} words"))
    elif words >= _LONG_TITLE_WORDS:
        found.append(Evidence(PAPER, 1, f"a title of {words} words"))
    elif words <= 2 and not colon:
        found.append(Evidence(_NOT_PAPER, 0.5, "a bare name rather than a title"))
    for kind, weight, pattern in _TITLE_KINDS:
        if pattern.search(record.title):
            found.append(Evidence(kind, weight, f"its name says {kind}"))
    return found


def _squashed(text: str) -> str:
    return "".join(char for char in text.casefold() if char.isalnum())


def _code_link_evidence(url: str, title: str, evidence: Evidence) -> Evidence:
    """A repository named like the entry is software; a paper's long title linked to its code is not."""
    if _title_length(title) >= _LONG_TITLE_WORDS:
        return Evidence("software", 1.5, f"{evidence.reason}, but under a paper's title, not a name")
    repository = _host_and_path(url)[1].strip("/").split("/")
    name = _squashed(repository[1] if len(repository) > 1 else repository[0])
    squashed = _squashed(title)
    if name and squashed and (name in squashed or squashed in name):
        return Evidence("software", evidence.weight + 1, f"{evidence.reason}, named like the entry")
    return evidence


def _link_evidence(record: EntryRecord) -> list[Evidence]:
    entry = record.entry
    found: list[Evidence] = []
    main = entry.url or entry.pdf_url
    if main:
        evidence = link_evidence(main, record.title)
        if evidence is not None and evidence.kind == "software" and _on(*_host_and_path(main), _CODE_HOSTS):
            evidence = _code_link_evidence(main, record.title, evidence)
        if evidence is not None:
            found.append(evidence)
    else:
        # No title link: the entry's other links ("[HF]", "[ModelScope]") speak for it, a little less loudly.
        for _label, url in entry.extra_links[:2]:
            evidence = link_evidence(url, record.title)
            if evidence is not None:
                found.append(Evidence(evidence.kind, evidence.weight - 1, evidence.reason))
                break
    paper_links = [url for label, url in entry.extra_links if _PAPER_LABELS.match(label or "")]
    if entry.pdf_url and entry.pdf_url != main:
        paper_links.append(entry.pdf_url)
    for url in paper_links[:1]:
        evidence = link_evidence(url)
        if evidence is None or evidence.kind == PAPER:
            found.append(Evidence(PAPER, 2, "links its paper"))
    return found


def decide(evidence: list[Evidence]) -> KindDecision:
    """The kind the evidence points to: a paper unless the rest outweighs it."""
    scores: defaultdict[str, float] = defaultdict(float)
    for item in evidence:
        scores[item.kind] += item.weight
    paper = scores.pop(PAPER, 0.0) + _PRIOR
    others = sum(scores.values())
    reasons = tuple(f"{item.reason} ({item.kind}, {item.weight:+g})" for item in evidence)
    if paper >= others:
        return KindDecision(PAPER, paper - others >= CERTAIN_MARGIN, reasons)
    specific = {kind: score for kind, score in scores.items() if kind != _NOT_PAPER}
    kind = (
        max(specific, key=lambda name: (specific[name], -RESOURCE_KINDS.index(name))) if specific else "other"
    )
    return KindDecision(kind, others - paper >= CERTAIN_MARGIN, reasons)


def classify_entry(record: EntryRecord, *, known_paper: bool = False) -> KindDecision:
    """Paper or resource, from the entry's links, headings and shape (and the catalogue's knowledge)."""
    evidence = _link_evidence(record) + _heading_evidence(record.entry.section_path) + _shape_evidence(record)
    if known_paper:
        evidence.append(Evidence(PAPER, 3, "already a paper in the catalogue"))
    return decide(evidence)


def chosen(kind: str) -> KindDecision:
    """An editor's choice, which no evidence overrides."""
    return KindDecision(kind, True, ("an editor's choice",))
