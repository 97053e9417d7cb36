"""The add/edit paper form: posted text turned into what PaperCreate/PaperUpdate expect, and back for editing.

Authors come one per line, tags separated by commas (Latin or Chinese), categories as checked boxes; the
write schemas do the validating, so the form and the JSON API refuse exactly the same things.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData

from app.catalog.models import Paper
from app.catalog.reading import PaperLinks
from app.taxonomy.schemas import CategoryNode
from app.web.i18n import N_, _
from app.web.language import is_mostly_chinese
from app.web.templating import category_names

TEXT_FIELDS = (
    "title",
    "short_name",
    "arxiv_id",
    "doi",
    "url",
    "pdf_url",
    "code_url",
    "year",
    "venue",
    "summary",
)
MAX_FIELD_CHARS = 25_000
_TAG_SEPARATORS = re.compile(r"[,，、;；\n]")


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value[:MAX_FIELD_CHARS] if isinstance(value, str) else ""


def read_paper_form(form: FormData) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """(data for the write schemas, the values as typed to show again, errors found before validating).

    An emptied optional field is sent as None, so editing can clear it.
    """
    values: dict[str, Any] = {name: _text(form, name) for name in TEXT_FIELDS}
    values["authors"] = _text(form, "authors")
    values["tags"] = _text(form, "tags")
    values["categories"] = [item for item in form.getlist("categories") if isinstance(item, str)][:50]
    data: dict[str, Any] = {name: values[name].strip() or None for name in TEXT_FIELDS}
    data["title"] = values["title"]
    data["authors"] = [line.strip() for line in values["authors"].splitlines() if line.strip()]
    data["tags"] = [part.strip() for part in _TAG_SEPARATORS.split(values["tags"]) if part.strip()]
    data["categories"] = values["categories"]
    errors = {} if values["title"].strip() else {"title": _("Enter the paper’s title.")}
    return data, values, errors


def values_from_paper(paper: Paper, links: PaperLinks) -> dict[str, Any]:
    """The form's values for editing PAPER."""
    values: dict[str, Any] = {name: getattr(paper, name) or "" for name in TEXT_FIELDS}
    values["year"] = str(paper.year) if paper.year else ""
    values["authors"] = "\n".join(links.authors)
    values["tags"] = ", ".join(links.tags)
    values["categories"] = list(links.categories)
    return values


def category_choices(nodes: list[CategoryNode], depth: int = 0) -> list[tuple[str, str, int]]:
    """The category tree flattened for checkboxes: (slug, label, depth) in tree order."""
    choices: list[tuple[str, str, int]] = []
    for node in nodes:
        primary, other = category_names(node)
        label = f"{primary} · {other}" if other else primary
        choices.append((node.slug, label, depth))
        choices.extend(category_choices(node.children, depth + 1))
    return choices


FIELD_LABELS = {
    "title": N_("Title"),
    "short_name": N_("Short name"),
    "arxiv_id": N_("arXiv id"),
    "doi": N_("DOI"),
    "url": N_("Link to the paper"),
    "pdf_url": N_("PDF"),
    "code_url": N_("Code"),
    "year": N_("Year"),
    "venue": N_("Venue"),
    "summary": N_("Summary"),
    "authors": N_("Authors"),
    "tags": N_("Tags"),
    "categories": N_("Categories"),
}


def _sentence(message: str) -> str:
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    if message.endswith((".", "?", "!", ")", "。", "？", "！", "）")):
        return message
    return message + ("。" if is_mostly_chinese(message) else ".")


def field_errors_in_form_terms(errors: Mapping[str, str]) -> dict[str, str]:
    """Schema errors keyed by form field, as sentences; what is on no field speaks for the whole form."""
    return {
        (name if name in FIELD_LABELS else "__all__"): _sentence(message) for name, message in errors.items()
    }


def error_summary(errors: Mapping[str, str]) -> dict[str, str]:
    """The same errors for the list at the top of the form, each saying which field it is about."""
    return {
        name: _("%(field)s: %(message)s", field=_(FIELD_LABELS[name]), message=message)
        if name in FIELD_LABELS
        else message
        for name, message in errors.items()
    }
