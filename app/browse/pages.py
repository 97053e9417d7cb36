"""/papers (browse with facets, search and keyset pages) and /papers/{slug} (one paper with its panels).

Adding, editing and deleting are the catalogue's edit pages; the rating form posts to rating_forms.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from app.accounts.dependencies import OptionalUser
from app.accounts.models import User
from app.accounts.permissions import can_edit_owned
from app.browse import queries
from app.browse.paper_bibtex import paper_bibtex
from app.browse.paper_panels import paper_panels
from app.catalog import edit_pages, service
from app.catalog.schemas import (
    DEFAULT_PAGE_SIZE,
    UNKNOWN_YEAR,
    CategoryFacet,
    Facets,
    PaperFilters,
    PaperListParams,
    PaperPage,
    PaperSort,
)
from app.db import DbSession
from app.errors import DomainError
from app.rating_dependencies import describe_ratings
from app.web.forms import domain_field_errors
from app.web.i18n import N_, _
from app.web.list_view import list_view
from app.web.templating import category_names, render

router = APIRouter(include_in_schema=False)
# First, so that /papers/new is not taken for the page of a paper whose slug is "new".
router.include_router(edit_pages.router)

SORT_LABELS = {
    PaperSort.RELEVANCE: N_("Best match"),
    PaperSort.NEWEST: N_("Newest first"),
    PaperSort.OLDEST: N_("Oldest first"),
    PaperSort.RATING: N_("Top rated (Bayesian average)"),
    PaperSort.IMPORTANCE: N_("Most important"),
    PaperSort.TITLE: N_("Title A–Z"),
    PaperSort.ADDED: N_("Recently added"),
}
LINK_LABELS = {
    "arxiv": N_("arXiv abstract"),
    "paper": N_("Paper"),
    "pdf": N_("PDF"),
    "code": N_("Code"),
    "doi": N_("DOI"),
}
_LIST_FIELDS = frozenset(PaperListParams.model_fields)
_MULTI_FIELDS = frozenset(
    name for name, field in PaperListParams.model_fields.items() if field.default_factory is list
)


@dataclass(frozen=True)
class ActiveFilter:
    """A filter in force, as a chip that removes it."""

    kind: str
    """The English name of the filter; the page shows it translated."""
    label: str
    remove_query: str


def list_params(request: Request) -> tuple[PaperListParams, dict[str, str]]:
    """The browse state from the URL, and messages for what could not be understood (then ignored).

    Unknown parameters (tracking tags, say) are ignored rather than refused: a shared link should open.
    """
    raw: dict[str, Any] = {}
    for name, value in request.query_params.multi_items():
        if name not in _LIST_FIELDS or not value.strip():
            continue
        if name in _MULTI_FIELDS:
            raw.setdefault(name, []).append(value)
        else:
            raw[name] = value
    try:
        return PaperListParams.model_validate(raw), {}
    except ValidationError as exc:
        problems: dict[str, str] = {}
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "__all__"
            problems[name] = _(str(error["msg"]).removeprefix("Value error, "))
            raw.pop(name, None)
    try:
        return PaperListParams.model_validate(raw), problems
    except ValidationError:
        return PaperListParams(), problems


def _find_category(nodes: list[CategoryFacet], slug: str) -> CategoryFacet | None:
    for node in nodes:
        if node.value == slug:
            return node
        found = _find_category(node.children, slug)
        if found is not None:
            return found
    return None


def _without(values: list[str], value: str) -> list[str]:
    return [item for item in values if item != value]


def active_filters(filters: PaperFilters, facets: Facets) -> list[ActiveFilter]:
    """One chip per value in force (the values of one filter are alternatives), each removing just that."""
    chips: list[ActiveFilter] = []
    if filters.q:
        chips.append(ActiveFilter(N_("Search"), f"“{filters.q}”", filters.query_string(q=None)))
    for slug in filters.category:
        node = _find_category(facets.categories, slug)
        remaining = _without(filters.category, slug)
        chips.append(
            ActiveFilter(
                N_("Category"),
                category_names({"name_en": node.label, "name_zh": node.name_zh})[0] if node else slug,
                filters.query_string(category=remaining),
            )
        )
    tag_names = {value.value: value.label for value in facets.tags}
    for slug in filters.tag:
        chips.append(
            ActiveFilter(
                N_("Tag"),
                f"#{tag_names.get(slug, slug)}",
                filters.query_string(tag=_without(filters.tag, slug)),
            )
        )
    for year in filters.year:
        label = _("year unknown") if year == UNKNOWN_YEAR else year
        chips.append(ActiveFilter(N_("Year"), label, filters.query_string(year=_without(filters.year, year))))
    if filters.year_from is not None or filters.year_to is not None:
        if filters.year_from == filters.year_to:
            years = str(filters.year_from)
        else:
            years = f"{filters.year_from or '…'}–{filters.year_to or '…'}"
        chips.append(ActiveFilter(N_("Year"), years, filters.query_string(year_from=None, year_to=None)))
    for venue in filters.venue:
        chips.append(
            ActiveFilter(N_("Venue"), venue, filters.query_string(venue=_without(filters.venue, venue)))
        )
    source_titles = {value.value: value.label for value in facets.sources}
    for name in filters.source:
        remaining = _without(filters.source, name)
        chips.append(
            ActiveFilter(N_("List"), source_titles.get(name, name), filters.query_string(source=remaining))
        )
    simple = (
        ("author", N_("Author"), filters.author),
        ("min_rating", N_("Rated at least"), f"{filters.min_rating:g}★" if filters.min_rating else None),
    )
    chips.extend(
        ActiveFilter(kind, str(label), filters.query_string(**{name: None}))
        for name, kind, label in simple
        if label
    )
    if filters.has_code is not None:
        chips.append(
            ActiveFilter(
                N_("Code"),
                _("with code") if filters.has_code else _("without code"),
                filters.query_string(has_code=None),
            )
        )
    return chips


def _with_sort(query: str, params: PaperListParams) -> str:
    """QUERY with the chosen order (and page size) kept, so toggling a filter or paging does not lose them."""
    kept: dict[str, str | int] = {}
    if params.sort is not None:
        kept["sort"] = params.sort.value
    if params.limit != DEFAULT_PAGE_SIZE:
        kept["limit"] = params.limit
    return "&".join(part for part in (query, urlencode(kept)) if part)


@router.get("/papers", response_class=HTMLResponse, name="paper_list")
def paper_list(request: Request, session: DbSession) -> Response:
    describe_ratings()
    params, problems = list_params(request)
    filters = params.filters()
    page: PaperPage | None
    try:
        page = queries.list_papers(session, params)
    except DomainError as exc:
        # A cursor from other filters, or a query with nothing to search for: show the first page and say so.
        problems.update(domain_field_errors(exc))
        params = params.model_copy(update={"cursor": None})
        try:
            page = queries.list_papers(session, params)
        except DomainError:
            page = None
    if page is not None and page.identifier is not None and page.items and not problems:
        # The query named one paper by its arXiv id, DOI or link: go to it.
        return RedirectResponse(request.url_for("paper_detail", slug=page.items[0].slug), status_code=303)
    if page is not None and page.showing_results_for:
        filters = filters.model_copy(update={"q": page.showing_results_for})
    facets = queries.facet_counts(session, filters)
    sort_suffix = f"&{urlencode({'sort': params.sort.value})}" if params.sort else ""
    next_url = previous_url = None
    here = "?" + _with_sort(filters.query_string(), params)
    if page is not None and page.next_cursor:
        next_url = f"{here}&{urlencode({'cursor': page.next_cursor})}"
    if page is not None and page.previous_cursor:
        previous_url = f"{here}&{urlencode({'cursor': page.previous_cursor})}"
    view = list_view(request)
    context = {
        "view": view,
        "notes": queries.note_lines(session, [item.id for item in page.items])
        if page and view.is_compact
        else {},
        "previous_url": previous_url,
        "params": params,
        "filters": filters,
        "page": page,
        "facets": facets,
        "problems": problems,
        "active": active_filters(filters, facets),
        "sort_options": [
            (sort.value, _(label))
            for sort, label in SORT_LABELS.items()
            if sort is not PaperSort.RELEVANCE or filters.q
        ],
        "current_sort": (page.sort if page else params.effective_sort).value,
        "sort_suffix": sort_suffix,
        "range_hidden": [
            *(item for item in filters.query_params() if item[0] not in ("year", "year_from", "year_to")),
            *([("sort", params.sort.value)] if params.sort else []),
        ],
        "first_url": "?" + _with_sort(filters.query_string(), params),
        "next_url": next_url,
        "is_later_page": params.cursor is not None,
        "search_query": filters.q,
        "typed_query": params.q,
    }
    status_code = 422 if problems else 200
    return render(request, "catalog/list.html", context, status_code=status_code)


def render_paper_page(
    request: Request,
    session: DbSession,
    user: User | None,
    slug: str,
    *,
    state: Mapping[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The paper page; features that post to it (rating) re-render it with their form's STATE on errors."""
    paper_id = queries.paper_id_for_slug(session, slug)
    paper = queries.get_paper_detail(session, paper_id)
    owner_id = service.paper_owner_id(session, paper_id)
    main_panels, aside_panels = paper_panels(session, paper, user, state or {})
    links: dict[str, tuple[str, str]] = {}
    for link in sorted(paper.links, key=lambda link: list(LINK_LABELS).index(link.kind)):
        links.setdefault(link.url, (_(LINK_LABELS[link.kind]), link.kind))
    citation_key, bibtex = paper_bibtex(paper)
    context = {
        "paper": paper,
        "bibtex": bibtex,
        "citation_key": citation_key,
        "links": [(url, label, kind) for url, (label, kind) in links.items()],
        "can_edit": can_edit_owned(user, owner_id),
        "main_panels": main_panels,
        "aside_panels": aside_panels,
    }
    return render(request, "catalog/detail.html", context, status_code=status_code)


@router.get("/papers/{slug}", response_class=HTMLResponse, name="paper_detail")
def paper_detail(request: Request, session: DbSession, user: OptionalUser, slug: str) -> HTMLResponse:
    describe_ratings()
    return render_paper_page(request, session, user, slug)


@router.get("/papers/{slug}/bibtex", name="paper_bibtex")
def paper_bibtex_download(session: DbSession, slug: str) -> Response:
    """The paper's BibTeX entry as a .bib file, named by its citation key."""
    key, entry = paper_bibtex(queries.get_paper_detail(session, queries.paper_id_for_slug(session, slug)))
    return Response(
        entry,
        media_type="application/x-bibtex; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{key}.bib"'},
    )
