"""How the answers of each pooled kind are checked, and the markdown tables of a result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import Engine, text

from bench.pools import Pools

Check = Callable[[httpx.Response, str], str]
# How many queries of each pool are checked before it is measured.
CHECKED_PER_KIND = 3


def _query_value(path: str, name: str) -> str:
    return parse_qs(urlsplit(path).query)[name][0]


def app_checks(pools: Pools, engine: Engine) -> dict[str, Check]:
    """A checker per kind: the right paper, the right total, papers found where the data holds them."""

    def page(response: httpx.Response, _path: str) -> str:
        body = response.json()
        if not body["items"]:
            return "wrong: no papers"
        return f"ok ({body['total']}{'+' if body['total_is_approximate'] else ''})"

    def tag(response: httpx.Response, path: str) -> str:
        body, wanted = response.json(), pools.tag_totals[_query_value(path, "tag")]
        exact = body["total"] == wanted and not body["total_is_approximate"]
        bounded = body["total_is_approximate"] and body["total"] < wanted
        return page(response, path) if exact or bounded else f"wrong: total {body['total']}, not {wanted}"

    def chinese(response: httpx.Response, path: str) -> str:
        # The obviously correct answer: every paper whose summary or a list note holds the two characters.
        word = _query_value(path, "q")
        with engine.connect() as connection:
            wanted = connection.scalar(
                text(
                    "SELECT count(*) FROM papers p WHERE p.summary LIKE :pattern OR EXISTS "
                    "(SELECT 1 FROM source_entries e WHERE e.paper_id = p.id AND e.note LIKE :pattern)"
                ),
                {"pattern": f"%{word}%"},
            )
        body = response.json()
        exact = body["total"] == wanted and not body["total_is_approximate"]
        bounded = body["total_is_approximate"] and body["total"] < (wanted or 0)
        return page(response, path) if exact or bounded else f"wrong: total {body['total']}, not {wanted}"

    def facets(response: httpx.Response, _path: str) -> str:
        body = response.json()
        return "ok" if body["tags"] and body["years"] else "wrong: empty facets"

    def detail(response: httpx.Response, path: str) -> str:
        return "ok" if str(response.json()["id"]) == path.rsplit("/", 1)[1] else "wrong: another paper"

    def html(response: httpx.Response, _path: str) -> str:
        return "ok" if "</html>" in response.text else "wrong: not a page"

    return {
        "detail": detail,
        "paper_page": html,
        "tag": tag,
        "search_en": page,
        "search_zh": chinese,
        "facets_search": facets,
        "search_page": html,
        "by_rating": page,
        "list_cursor": page,
    }


def datasette_check(response: httpx.Response, path: str) -> str:
    if not path.split("?", maxsplit=1)[0].endswith(".json"):
        return "ok" if "</html>" in response.text else "wrong: not a page"
    body = response.json()
    if body.get("facets_timed_out"):
        return "wrong: facets timed out"
    if "_facet=" in path:
        results = body.get("facet_results", {})
        if isinstance(results, dict) and "results" in results:
            results = results["results"]
        return "ok" if results and all(f["results"] for f in results.values()) else "wrong: finds nothing"
    return "ok" if body.get("rows") else "wrong: finds nothing"


def check(base_url: str, paths: list[str], checker: Check, headers: dict[str, str]) -> str:
    """The first few paths of a pool, each answered 200 and right; the first wrong verdict, or ok."""
    verdict = "ok"
    for path in paths[:CHECKED_PER_KIND]:
        try:
            response = httpx.get(base_url + path, timeout=60, headers=headers)
        except httpx.TimeoutException:
            return "wrong: no answer within 60 s"
        if response.status_code != 200:
            return f"wrong: status {response.status_code}"
        verdict = checker(response, path)
        if verdict.startswith("wrong"):
            return verdict
    return verdict


def unanswerable(verdict: str) -> bool:
    """Whether a check found no answer at all (an error status or a timeout): its load is not measured."""
    return verdict.startswith(("wrong: status", "wrong: no answer"))


def _cell(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def markdown_table(result: dict[str, Any], baseline: dict[str, Any] | None = None) -> str:
    """One line per kind, workers and concurrency: the app, Datasette beside it, and a baseline's ratios."""
    measured = result["measurements"]
    datasette = {(m["kind"], m["concurrency"]): m for m in measured if m["server"] == "datasette"}
    base = {
        (m["kind"], m["workers"], m["concurrency"]): m
        for m in (baseline or {}).get("measurements", [])
        if m["server"] == "app"
    }
    header = ["kind", "workers", "c", "req/s", "p50 ms", "p99 ms", "CPU ms/req", "distinct"]
    if datasette:
        header += ["Datasette req/s", "DS p50 ms", "app ÷ DS req/s", "answers app / DS"]
    if base:
        header += ["p50 ÷ baseline", "req/s ÷ baseline"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    checks = result["checks"]
    for app in (m for m in measured if m["server"] == "app"):
        cells = [
            app["kind"],
            str(app["workers"]),
            str(app["concurrency"]),
            _cell(app["requests_per_second"]),
            _cell(app["p50_ms"]),
            _cell(app["p99_ms"]),
            _cell(app["cpu_ms_per_request"], 2),
            "yes" if not app["repeated"] else f"{app['repeated']} repeats",
        ]
        if datasette:
            ds = datasette.get((app["kind"], app["concurrency"]))
            ratio = (
                app["requests_per_second"] / ds["requests_per_second"]
                if ds and ds["requests_per_second"]
                else None
            )
            verdicts = (
                checks["app"].get(app["kind"], "–"),
                checks.get("datasette", {}).get(app["kind"], "–"),
            )
            cells += [
                _cell(ds and ds["requests_per_second"]),
                _cell(ds and ds["p50_ms"]),
                f"{ratio:,.2f}×" if ratio else "–",
                " / ".join(verdicts),
            ]
        if base:
            other = base.get((app["kind"], app["workers"], app["concurrency"]))
            cells += [
                f"{app['p50_ms'] / other['p50_ms']:.2f}×" if other and other["p50_ms"] else "–",
                f"{app['requests_per_second'] / other['requests_per_second']:.2f}×"
                if other and other["requests_per_second"]
                else "–",
            ]
        lines.append("| " + " | ".join(cells) + " |")
    mixes = result.get("mix", [])
    if mixes:
        lines += [
            "",
            "| mix | workers | c | reads/s | p50 ms | p99 ms | CPU ms/read | cache hits | "
            "writes | write p50 / p99 / max ms | failed writes |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for mix in mixes:
            writes = mix["writer"]
            lines.append(
                f"| zipf, {mix['signed_in_share']:.0%} signed in | {mix['workers']} | {mix['concurrency']} | "
                f"{_cell(mix['requests_per_second'])} | {_cell(mix['p50_ms'])} | {_cell(mix['p99_ms'])} | "
                f"{_cell(mix['cpu_ms_per_request'], 2)} | {mix['hit_share']} | {writes['writes']} | "
                f"{writes['p50_ms']} / {writes['p99_ms']} / {writes['max_ms']} | {writes['failed']} |"
            )
    return "\n".join(lines)
