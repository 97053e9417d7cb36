"""The kinds of query the benchmark sends (app and Datasette URLs), how answers are checked, the table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import httpx
from sqlalchemy import Engine, text

ENGLISH_QUERY = "alignment"
CHINESE_QUERY = "微调"  # two characters: fine-tuning


@dataclass(frozen=True)
class Probe:
    """What the benchmark needs to know about the data: sizes, tags, a paper, the right answers."""

    papers: int
    popular_tag: str
    popular_tag_id: int
    popular_tag_papers: int
    rare_tag: str
    rare_tag_id: int
    rare_tag_papers: int
    detail_id: int
    chinese_matches: int
    datasette_db: str = ""


def probe(engine: Engine) -> Probe:
    with engine.connect() as connection:
        papers = int(connection.scalar(text("SELECT count(*) FROM papers")) or 0)
        popular = connection.execute(
            text("SELECT slug, id, paper_count FROM tags ORDER BY paper_count DESC, slug LIMIT 1")
        ).one()
        rare = connection.execute(
            text(
                "SELECT slug, id, paper_count FROM tags WHERE paper_count > 0 "
                "ORDER BY paper_count, slug LIMIT 1"
            )
        ).one()
        # A paper in the middle with ratings and tags: a detail page with every panel filled.
        detail_id = connection.scalar(
            text(
                "SELECT p.id FROM papers p WHERE p.id >= :middle AND p.rating_count > 1 "
                "AND EXISTS (SELECT 1 FROM paper_tags t WHERE t.paper_id = p.id) ORDER BY p.id LIMIT 1"
            ),
            {"middle": papers // 2},
        )
        # The obviously correct answer: every paper whose summary or a list note holds the two characters.
        pattern = f"%{CHINESE_QUERY}%"
        chinese = connection.scalar(
            text(
                "SELECT count(*) FROM papers p WHERE p.summary LIKE :pattern OR EXISTS "
                "(SELECT 1 FROM source_entries e WHERE e.paper_id = p.id AND e.note LIKE :pattern)"
            ),
            {"pattern": pattern},
        )
    return Probe(
        papers=papers,
        popular_tag=popular.slug,
        popular_tag_id=popular.id,
        popular_tag_papers=popular.paper_count,
        rare_tag=rare.slug,
        rare_tag_id=rare.id,
        rare_tag_papers=rare.paper_count,
        detail_id=int(detail_id or 1),
        chinese_matches=int(chinese or 0),
    )


@dataclass(frozen=True)
class Row:
    kind: str
    app_path: str
    datasette_path: str | None
    check_app: Callable[[httpx.Response, Probe], str]
    check_datasette: Callable[[httpx.Response, Probe], str] | None = None


def _page(expect_total: Callable[[Probe], int] | None = None) -> Callable[[httpx.Response, Probe], str]:
    def check(response: httpx.Response, probe: Probe) -> str:
        page = response.json()
        if not page["items"]:
            return "wrong: no papers"
        if expect_total is not None:
            wanted = expect_total(probe)
            # A bounded total is a lower bound, flagged as such; an exact one must be the right number.
            exact = page["total"] == wanted and not page["total_is_approximate"]
            bounded = page["total_is_approximate"] and page["total"] < wanted
            if not (exact or bounded):
                return f"wrong: total {page['total']}, expected {wanted}"
        return f"ok ({page['total']}{'+' if page['total_is_approximate'] else ''} matches)"

    return check


def _facets(*, unfiltered: bool) -> Callable[[httpx.Response, Probe], str]:
    def check(response: httpx.Response, probe: Probe) -> str:
        facets = response.json()
        if not facets["tags"] or not facets["years"]:
            return "wrong: empty facets"
        top = facets["tags"][0]
        # Unfiltered, the counts are exact: the top tag must be the most used one, with its count.
        if unfiltered and (top["value"], top["count"]) != (probe.popular_tag, probe.popular_tag_papers):
            return f"wrong: top tag {top['value']} counted {top['count']}"
        return f"ok ({facets['matched']}{'+' if facets['matched_is_approximate'] else ''} matched)"

    return check


def _detail(response: httpx.Response, probe: Probe) -> str:
    return "ok" if response.json()["id"] == probe.detail_id else "wrong: another paper"


def _html(response: httpx.Response, _probe: Probe) -> str:
    return "ok" if "</html>" in response.text and "<article" in response.text else "wrong: no papers shown"


def _datasette_rows(
    expect: Callable[[Probe], int] | None = None, *, filtered: bool = True
) -> Callable[[httpx.Response, Probe], str]:
    def check(response: httpx.Response, probe: Probe) -> str:
        body = response.json()
        count = body.get("filtered_table_rows_count")
        if filtered and count == probe.papers:
            return "wrong: the filter or search was ignored"
        if not body["rows"]:
            wanted = expect(probe) if expect else "some"
            return f"wrong: finds nothing (expected {wanted})"
        if expect is not None and count is not None and count != expect(probe):
            return f"wrong: {count} rows, expected {expect(probe)}"
        return f"ok ({count} rows)"

    return check


def _datasette_facets(response: httpx.Response, _probe: Probe) -> str:
    body = response.json()
    if body.get("facets_timed_out"):
        return f"wrong: facets timed out {body['facets_timed_out']}"
    results = body.get("facet_results", {})
    if isinstance(results, dict) and "results" in results:  # newer layouts nest the facets one level down
        results = results["results"]
    if not results or not all(facet["results"] for facet in results.values()):
        return "wrong: empty facets"
    return f"ok ({body.get('filtered_table_rows_count')} rows)"


def _datasette_ok(response: httpx.Response, _probe: Probe) -> str:
    return "ok" if response.text else "wrong: empty"


def _in_tag(tag_id: int) -> str:
    return urlencode(
        {"_where": f"id IN (SELECT paper_id FROM paper_tags WHERE tag_id = {tag_id})", "_sort_desc": "year"}
    )


def rows(probe: Probe) -> list[Row]:
    db = "/" + probe.datasette_db
    english, chinese = quote(ENGLISH_QUERY), quote(CHINESE_QUERY)
    return [
        Row(
            "list_newest",
            "/api/v1/papers",
            f"{db}/papers.json?_sort_desc=year",
            _page(),
            _datasette_rows(filtered=False),
        ),
        Row(
            "tag_popular",
            f"/api/v1/papers?tag={probe.popular_tag}",
            f"{db}/papers.json?{_in_tag(probe.popular_tag_id)}",
            _page(lambda p: p.popular_tag_papers),
            _datasette_rows(lambda p: p.popular_tag_papers),
        ),
        Row(
            "tag_rare",
            f"/api/v1/papers?tag={probe.rare_tag}",
            f"{db}/papers.json?{_in_tag(probe.rare_tag_id)}",
            _page(lambda p: p.rare_tag_papers),
            _datasette_rows(lambda p: p.rare_tag_papers),
        ),
        Row(
            "search_en",
            f"/api/v1/papers?q={english}",
            f"{db}/papers.json?_search={english}",
            _page(),
            _datasette_rows(),
        ),
        Row(
            "search_zh",
            f"/api/v1/papers?q={chinese}",
            f"{db}/papers.json?_search={chinese}",
            _page(lambda p: p.chinese_matches),
            _datasette_rows(lambda p: p.chinese_matches),
        ),
        Row(
            "facets",
            "/api/v1/papers/facets",
            f"{db}/papers.json?_facet=year&_facet=venue&_size=0",
            _facets(unfiltered=True),
            _datasette_facets,
        ),
        Row(
            "facets_search",
            f"/api/v1/papers/facets?q={english}",
            f"{db}/papers.json?_search={english}&_facet=year&_facet=venue&_size=0",
            _facets(unfiltered=False),
            _datasette_facets,
        ),
        Row(
            "detail",
            f"/api/v1/papers/{probe.detail_id}",
            f"{db}/papers/{probe.detail_id}.json",
            _detail,
            _datasette_ok,
        ),
        Row("html_list", "/papers", f"{db}/papers?_sort_desc=year", _html, _datasette_ok),
    ]


def unanswerable(verdict: str) -> bool:
    """Whether a check found no answer at all (an error status or a timeout): its load is not measured."""
    return verdict.startswith(("wrong: status", "wrong: no answer"))


def check(server: str, base_url: str, path: str, row: Row, probe: Probe) -> dict[str, Any]:
    """One request: its status, size and whether its answer is right."""
    try:
        response = httpx.get(base_url + path, timeout=60)
    except httpx.TimeoutException:
        return {"path": path, "status": None, "bytes": 0, "verdict": "wrong: no answer within 60 s"}
    verdict = f"wrong: status {response.status_code}"
    if response.status_code == 200 and response.content:
        checker = row.check_datasette if server == "datasette" else row.check_app
        verdict = checker(response, probe) if checker else "ok"
    return {"path": path, "status": response.status_code, "bytes": len(response.content), "verdict": verdict}


def _cell(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def markdown_table(result: dict[str, Any], baseline: dict[str, Any] | None = None) -> str:
    """One line per kind and concurrency: the app, Datasette beside it, their ratio; or a baseline's ratio."""
    by_key = {(m["server"], m["kind"], m["concurrency"]): m for m in result["measurements"]}
    base = {
        (m["kind"], m["concurrency"]): m
        for m in (baseline or {}).get("measurements", [])
        if m["server"] == "app"
    }
    has_ds = any(server == "datasette" for server, _kind, _c in by_key)
    header = ["query", "c", "app req/s", "p50 ms", "p99 ms", "CPU ms/req"]
    if has_ds:
        header += ["Datasette req/s", "p50 ms", "p99 ms", "CPU ms/req", "app ÷ DS req/s", "answers app / DS"]
    else:
        header += ["answer"]
    if base:
        header += ["p50 ÷ baseline", "req/s ÷ baseline"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    checks = result["checks"]
    slow = f"> {result['settings']['duration']} s"

    def latency(measured: dict[str, Any] | None, key: str) -> str:
        # No request finished within a run: the latency is longer than the run itself.
        if measured is not None and measured["requests_per_second"] == 0:
            return slow
        return _cell(measured[key] if measured is not None else None)

    for (server, kind, concurrency), app in by_key.items():
        if server != "app":
            continue
        cells = [
            kind,
            str(concurrency),
            _cell(app["requests_per_second"]),
            latency(app, "p50_ms"),
            latency(app, "p99_ms"),
            _cell(app["cpu_ms_per_request"], 2),
        ]
        answer = checks["app"][kind]["verdict"]
        if has_ds:
            ds = by_key.get(("datasette", kind, concurrency))
            ratio = (
                app["requests_per_second"] / ds["requests_per_second"]
                if ds and ds["requests_per_second"]
                else None
            )
            ds_answer = checks.get("datasette", {}).get(kind, {}).get("verdict", "cannot ask")
            cells += [
                _cell(ds and ds["requests_per_second"]),
                latency(ds, "p50_ms"),
                latency(ds, "p99_ms"),
                _cell(ds and ds["cpu_ms_per_request"], 2),
                f"{_cell(ratio)}×" if ratio else ("∞" if ds else "–"),
                f"{answer} / {ds_answer}",
            ]
        else:
            cells.append(answer)
        if base:
            other = base.get((kind, concurrency))
            cells += [
                f"{app['p50_ms'] / other['p50_ms']:.2f}×" if other else "–",
                f"{app['requests_per_second'] / other['requests_per_second']:.2f}×" if other else "–",
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
