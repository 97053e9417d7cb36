"""/stats: the catalogue in pictures (server-rendered SVG), each chart with its figures as a table too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlalchemy.orm import Session

from app.browse import stats
from app.catalog.schemas import UNKNOWN_YEAR
from app.db import DbSession, utcnow
from app.generation import read_generation
from app.taxonomy.queries import category_tree
from app.taxonomy.schemas import CategoryNode
from app.web.charts import Bar, bar_chart, column_chart, fill_years
from app.web.i18n import _, format_number, ngettext
from app.web.links import build_link
from app.web.templating import category_names, render

router = APIRouter(include_in_schema=False)
# The figures count over every paper and rating (a quarter of a second at 100,000 papers, two at a
# million), so each app keeps them until the catalogue generation moves: exact, computed once per change.
_FIGURES = "catalogue_figures"


@dataclass(frozen=True)
class Figures:
    years: dict[int, int]
    years_unknown: int
    categories: list[CategoryNode]
    scores: dict[int, int]
    tags: list[stats.TagCount]
    venues: list[stats.VenueCount]
    computed_at: datetime


def catalogue_figures(request: Request, session: Session) -> Figures:
    """The figures the charts draw, from this app's copy when the catalogue has not changed since."""
    generation = read_generation(session)
    cached: tuple[int, Figures] | None = getattr(request.app.state, _FIGURES, None)
    if cached is not None and cached[0] == generation:
        return cached[1]
    figures = Figures(
        years=stats.papers_per_year(session),
        years_unknown=stats.papers_without_year(session),
        categories=sorted(category_tree(session).categories, key=lambda node: -node.total),
        scores=stats.rating_distribution(session),
        tags=stats.top_tags(session),
        venues=stats.top_venues(session),
        computed_at=utcnow(),
    )
    setattr(request.app.state, _FIGURES, (generation, figures))
    return figures


@dataclass(frozen=True)
class ChartPanel:
    key: str
    title: str
    caption: str
    chart: Markup
    label_heading: str
    value_heading: str
    rows: list[tuple[str, int]]


def _papers_url(request: Request, **filters: str) -> str:
    return f"{build_link(request, 'paper_list')}?{urlencode(filters)}"


@router.get("/stats", response_class=HTMLResponse, name="stats")
def stats_page(request: Request, session: DbSession) -> HTMLResponse:
    figures = catalogue_figures(request, session)
    years = [
        Bar(bar.label, bar.value, _papers_url(request, year_from=bar.label, year_to=bar.label))
        for bar in fill_years(figures.years)
    ]
    if figures.years_unknown:
        # Papers without a year are a bar of their own, not silently missing from the chart.
        years.append(Bar(_("unknown"), figures.years_unknown, _papers_url(request, year=UNKNOWN_YEAR)))
    categories = [
        Bar(
            category_names(category)[0],
            category.total,
            build_link(request, "category_detail", slug=category.slug),
        )
        for category in figures.categories
        if category.total
    ]
    scores = figures.scores
    tags = [Bar(f"#{t.name}", t.papers, build_link(request, "tag_detail", slug=t.slug)) for t in figures.tags]
    venues = [Bar(v.venue, v.papers, _papers_url(request, venue=v.venue)) for v in figures.venues]
    rating_total = sum(scores.values())
    panels = [
        ChartPanel(
            "years",
            _("Papers per year"),
            _("By year of publication (“unknown”: papers without a year); a bar leads to its papers."),
            column_chart(
                years,
                chart_id="chart-years",
                title=_("Papers per year"),
                description=ngettext(
                    "How many catalogued papers were published in each of %(num)d year.",
                    "How many catalogued papers were published in each of %(num)d years.",
                    len(years),
                ),
            ),
            _("Year"),
            _("Papers"),
            [(bar.label, bar.value) for bar in years if bar.value],
        ),
        ChartPanel(
            "categories",
            _("Papers per category"),
            _("Top-level categories with their subcategories (a paper filed in two counts in both)."),
            bar_chart(
                categories,
                chart_id="chart-categories",
                title=_("Papers per category"),
                description=_("Papers filed in each top-level category or below it."),
            ),
            _("Category"),
            _("Papers"),
            [(bar.label, bar.value) for bar in categories],
        ),
        ChartPanel(
            "ratings",
            _("Ratings given"),
            ngettext(
                "%(count)s rating from readers, by number of stars.",
                "%(count)s ratings from readers, by number of stars.",
                rating_total,
                count=format_number(rating_total),
            ),
            column_chart(
                [Bar(f"{score} ★", count) for score, count in scores.items()] if rating_total else [],
                chart_id="chart-ratings",
                title=_("Ratings given"),
                description=_("How many ratings gave each score from one to five stars."),
                unit="ratings",
            ),
            _("Stars"),
            _("Ratings"),
            [(_("%(score)s of 5", score=score), count) for score, count in scores.items()],
        ),
        ChartPanel(
            "tags",
            _("Top tags"),
            _("The tags on the most papers."),
            bar_chart(
                tags,
                chart_id="chart-tags",
                title=_("Top tags"),
                description=ngettext("The %(num)d most used tag.", "The %(num)d most used tags.", len(tags)),
            ),
            _("Tag"),
            _("Papers"),
            [(bar.label, bar.value) for bar in tags],
        ),
        ChartPanel(
            "venues",
            _("Top venues"),
            _("Conferences and journals, where the lists name them."),
            bar_chart(
                venues,
                chart_id="chart-venues",
                title=_("Top venues"),
                description=_("Where the catalogued papers were published."),
            ),
            _("Venue"),
            _("Papers"),
            [(bar.label, bar.value) for bar in venues],
        ),
    ]
    return render(request, "catalog/stats.html", {"panels": panels, "computed_at": figures.computed_at})
