"""The Jinja2 environment every page renders with (autoescape on, links through url_for)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app import __version__
from app.config import PROJECT_ROOT
from app.web.i18n import (
    DEFAULT_LOCALE,
    N_,
    _,
    current_locale,
    format_ago,
    format_day,
    format_decimal1,
    format_moment,
    format_number,
    language_tag,
    translations_for,
)
from app.web.language import is_mostly_chinese
from app.web.links import link_to
from app.web.markup import render_note

templates = Jinja2Templates(directory=str(PROJECT_ROOT / "templates"))
templates.env.globals["app_version"] = __version__
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    gettext=lambda message: translations_for(current_locale.get()).gettext(message),
    ngettext=lambda singular, plural, n: translations_for(current_locale.get()).ngettext(singular, plural, n),
    newstyle=True,
)


def _topic_key(text: str) -> str:
    """How a category and a tag are recognised as one topic: case, spacing, hyphens, a plural -s ignored."""
    key = "".join(char for char in text.casefold() if char.isalnum())
    return key[:-1] if key.endswith("s") else key


def tags_besides(tags: Iterable[Any], categories: Iterable[Any]) -> list[Any]:
    """TAGS without those naming the same topic as one of CATEGORIES, so a paper card shows it once."""
    shown = set()
    for category in categories:
        for name in (category.slug, category.name_en, getattr(category, "name_zh", None)):
            if name:
                shown.add(_topic_key(name))
    return [tag for tag in tags if _topic_key(tag.slug) not in shown and _topic_key(tag.name) not in shown]


templates.env.filters["besides"] = tags_besides


def category_names(category: Any) -> tuple[str, str | None]:
    """(the name in the reader's language, the other name or None) of anything with name_en and name_zh."""
    english: str = category["name_en"] if isinstance(category, dict) else category.name_en
    chinese: str | None = category["name_zh"] if isinstance(category, dict) else category.name_zh
    if chinese and current_locale.get() != DEFAULT_LOCALE:
        return chinese, english
    return english, chinese


templates.env.globals["category_names"] = category_names


def tag_name(tag: Any) -> str:
    """A tag's name in the reader's language: its Chinese name on Chinese pages when it has one."""
    chinese: str | None = getattr(tag, "name_zh", None)
    if chinese and current_locale.get() != DEFAULT_LOCALE:
        return chinese
    name: str = tag.name
    return name


templates.env.globals["tag_name"] = tag_name

_REASON_KINDS = {"tag": N_("tag"), "category": N_("category"), "author": N_("author")}


def related_reason(reason: str, categories: Iterable[Any] = (), tags: Iterable[Any] = ()) -> str:
    """'tag: rlhf' with the kind in the reader's language (the related-papers query names it in English).

    A shared category or tag is one of the paper's own CATEGORIES or TAGS, so it is named in the reader's
    language too (a tag is named by its slug in the query, and shown by its name).
    """
    kind, separator, label = reason.partition(": ")
    if not separator or kind not in _REASON_KINDS:
        return reason
    if kind == "category":
        label = next((category_names(c)[0] for c in categories if c.name_en == label), label)
    elif kind == "tag":
        label = next((tag_name(t) for t in tags if t.slug == label), label)
    return _("%(kind)s: %(label)s", kind=_(_REASON_KINDS[kind]), label=label)


templates.env.filters["related_reason"] = related_reason
templates.env.globals["html_lang"] = lambda: language_tag(current_locale.get())
templates.env.globals["current_locale"] = current_locale.get
templates.env.filters["number"] = format_number
templates.env.filters["decimal1"] = lambda value: format_decimal1(value or 0)
templates.env.filters["day"] = format_day
templates.env.filters["moment"] = format_moment
templates.env.filters["ago"] = format_ago
templates.env.filters["note"] = render_note
templates.env.tests["chinese"] = is_mostly_chinese
templates.env.globals["link_to"] = link_to

ContextProcessor = Callable[[Request], dict[str, Any]]
_context_processors: list[ContextProcessor] = []


def add_context_processor(processor: ContextProcessor) -> None:
    """Let a feature (accounts, flash messages) put what every page needs into the context."""
    if processor not in _context_processors:
        _context_processors.append(processor)


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    full: dict[str, Any] = {}
    for processor in _context_processors:
        full.update(processor(request))
    full.update(context or {})
    return templates.TemplateResponse(request, name, full, status_code=status_code, headers=headers)
