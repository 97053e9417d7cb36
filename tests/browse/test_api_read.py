"""The read side of the catalogue API: filters, sorts, cursors, facets, detail, lookup, taxonomy, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Role
from app.browse.queries import matching
from app.browse.schemas import PaperDetail
from app.catalog.models import PaperCategory
from app.catalog.schemas import Facets, PaperPage, PaperSummary
from app.db import MAX_ID
from app.taxonomy.models import Category
from tests.factories import (
    make_category,
    make_paper,
    make_rating,
    make_source,
    make_source_entry,
    make_tag,
    make_token,
    make_user,
)

PAPERS = "/api/v1/papers"
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def _walk(client: TestClient, **params: Any) -> list[int]:
    """Every id over all pages, following next_cursor."""
    seen: list[int] = []
    cursor = None
    for _ in range(100):
        page = client.get(PAPERS, params={**params, **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen
    raise AssertionError("pagination did not end")


def _pages_both_ways(client: TestClient, **params: Any) -> tuple[list[list[int]], list[list[int]], list[int]]:
    """The pages following next_cursor, then back from the last following previous_cursor, and the
    offsets each forward page reported."""
    forward: list[list[int]] = []
    offsets: list[int] = []
    page = client.get(PAPERS, params=params).json()
    assert page["previous_cursor"] is None
    for _ in range(100):
        forward.append([item["id"] for item in page["items"]])
        offsets.append(page["offset"])
        if page["next_cursor"] is None:
            break
        page = client.get(PAPERS, params={**params, "cursor": page["next_cursor"]}).json()
    backward = [forward[-1]]
    for _ in range(100):
        if page["previous_cursor"] is None:
            break
        page = client.get(PAPERS, params={**params, "cursor": page["previous_cursor"]}).json()
        backward.append([item["id"] for item in page["items"]])
    return forward, backward[::-1], offsets


@pytest.fixture
def catalogue(db: Session) -> dict[str, Any]:
    """Six papers spread over years, venues, categories, tags, lists, ratings and code links."""
    root = make_category(db, "models", name_en="Models", name_zh="模型")
    child = make_category(db, "open-models", name_en="Open models", parent=root)
    other = make_category(db, "agents", name_en="Agents", name_zh="智能体")
    rlhf, peft = make_tag(db, "rlhf", name="RLHF"), make_tag(db, "peft", name="PEFT")
    source = make_source(db, "awesome-llm")
    papers = {
        "a": make_paper(
            db,
            "Alpha Paper",
            year=2020,
            venue="NeurIPS",
            categories=[root],
            tags=[rlhf],
            authors=["José Núñez"],
            importance=5,
            created_at=T0,
            code_url="https://github.com/a/a",
        ),
        "b": make_paper(
            db,
            "Beta Paper",
            year=2022,
            venue="ICLR",
            categories=[child],
            tags=[rlhf, peft],
            authors=["Ann Lee"],
            importance=3,
            created_at=T0 + timedelta(days=1),
        ),
        "c": make_paper(
            db,
            "Gamma Paper",
            year=2022,
            venue="NeurIPS",
            categories=[other],
            tags=[peft],
            authors=["Ann Lee", "Bo Chen"],
            created_at=T0 + timedelta(days=2),
            code_url="https://github.com/c/c",
        ),
        "d": make_paper(db, "Delta Paper", year=None, categories=[child], created_at=T0 + timedelta(days=3)),
        "e": make_paper(
            db,
            "Epsilon Paper",
            year=2024,
            venue="ACL",
            tags=[rlhf],
            importance=4,
            created_at=T0 + timedelta(days=4),
        ),
        "f": make_paper(db, "Zeta Paper", year=None, created_at=T0 + timedelta(days=5)),
    }
    make_source_entry(db, source, papers["a"], section_path=["Alignment", "RLHF"], note="经典", stars=5)
    make_source_entry(db, source, papers["c"], section_path=["Efficiency"])
    for score in (5, 4):
        make_rating(db, papers["a"], score=score)
    make_rating(db, papers["b"], score=2)
    make_rating(db, papers["e"], score=5)
    db.commit()
    return {"papers": papers, "ids": {key: paper.id for key, paper in papers.items()}}


def test_filters_narrow_the_list(client: TestClient, catalogue: dict[str, Any]) -> None:
    ids = catalogue["ids"]

    def found(**params: Any) -> set[str]:
        by_id = {v: k for k, v in ids.items()}
        return {by_id[i] for i in _ids(client.get(PAPERS, params=params))}

    assert found() == set(ids)
    assert found(category="models") == {"a", "b", "d"}  # with its subcategory
    assert found(category="open-models") == {"b", "d"}
    assert found(tag="rlhf") == {"a", "b", "e"}
    # The values of one filter are alternatives; different filters must all hold.
    assert found(tag=["rlhf", "peft"]) == {"a", "b", "c", "e"}
    assert found(tag=["rlhf", "no-such-tag"]) == {"a", "b", "e"}
    assert found(category=["open-models", "no-such-category"]) == {"b", "d"}
    assert found(tag=["rlhf", "peft"], venue="NeurIPS") == {"a", "c"}
    assert found(venue=["NeurIPS", "ICLR"]) == {"a", "b", "c"}
    assert found(source=["awesome-llm", "no-such-list"]) == {"a", "c"}
    assert found(tag="no-such-tag") == set()
    assert found(year_from=2022) == {"b", "c", "e"}
    assert found(year_from=2021, year_to=2022) == {"b", "c"}
    assert found(year="unknown") == {"d", "f"}
    assert found(year=["unknown", "2022"]) == {"b", "c", "d", "f"}
    assert found(year=["2020", "2024"], year_from=2021) == {"e"}
    assert found(venue="NeurIPS") == {"a", "c"}
    assert found(source="awesome-llm") == {"a", "c"}
    assert found(author="ann lee") == {"b", "c"}
    assert found(author="Jose Nunez") == {"a"}
    assert found(min_rating=4) == {"a", "e"}
    assert found(has_code=True) == {"a", "c"}
    assert found(has_code=False) == {"b", "d", "e", "f"}
    assert found(tag="peft", venue="NeurIPS", has_code=True) == {"c"}
    assert found(q="经典", category="models") == {"a"}


def test_a_paper_filed_twice_in_a_subtree_or_listed_twice_counts_once(
    client: TestClient, db: Session, catalogue: dict[str, Any]
) -> None:
    papers = catalogue["papers"]
    child_id = db.scalar(select(Category.id).where(Category.slug == "open-models"))
    db.add(PaperCategory(paper_id=papers["a"].id, category_id=child_id))
    twice = make_source(db, "twice")
    make_source_entry(db, twice, papers["a"])
    make_source_entry(db, twice, papers["a"])
    db.commit()
    for params in ({"category": "models"}, {"source": "twice"}, {"category": "models", "q": "paper"}):
        page = client.get(PAPERS, params={**params, "limit": 1}).json()
        walked = _walk(client, **params, limit=1)
        assert len(walked) == len(set(walked)) == page["total"], params
    facets = client.get(f"{PAPERS}/facets", params={"category": "models"}).json()
    assert facets["matched"] == 3


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("newest", ["e", "c", "b", "a", "f", "d"]),  # no year last, then newest id first
        ("oldest", ["a", "b", "c", "e", "d", "f"]),
        ("title", ["a", "b", "d", "e", "c", "f"]),
        ("added", ["f", "e", "d", "c", "b", "a"]),
        # Bayesian: a's 5 and 4 (3.75) before e's single 5 (3.67), then b's single 2; unrated last.
        ("rating", ["a", "e", "b", "f", "d", "c"]),
        ("importance", ["a", "e", "b", "f", "d", "c"]),
    ],
)
def test_each_sort_pages_without_duplicates_or_gaps(
    client: TestClient, catalogue: dict[str, Any], sort: str, order: list[str]
) -> None:
    expected = [catalogue["ids"][key] for key in order]
    assert _ids(client.get(PAPERS, params={"sort": sort, "limit": 100})) == expected
    for limit in (1, 2, 4):
        assert _walk(client, sort=sort, limit=limit) == expected
        # Previous pages walk back through the very same pages, and each page knows where it starts.
        forward, backward, offsets = _pages_both_ways(client, sort=sort, limit=limit)
        assert backward == forward
        assert offsets == list(range(0, len(expected), limit))


def test_relevance_pages_back_as_they_came(client: TestClient, db: Session) -> None:
    for n in range(5):
        make_paper(db, f"Retrieval study {n}", summary="检索" * (n + 1))
    db.commit()
    forward, backward, offsets = _pages_both_ways(client, q="检索", limit=2)
    assert backward == forward
    assert [len(page) for page in forward] == [2, 2, 1]
    assert offsets == [0, 2, 4]


def test_pages_stay_stable_when_papers_are_added_meanwhile(
    client: TestClient, db: Session, catalogue: dict[str, Any]
) -> None:
    first = client.get(PAPERS, params={"sort": "newest", "limit": 3}).json()
    for year in (2019, 2023, 2030, None):
        make_paper(db, f"Inserted {year}", year=year)
    db.commit()
    rest = _walk(client, sort="newest", limit=2, cursor=first["next_cursor"])
    seen = [item["id"] for item in first["items"]] + [i for i in rest if i in catalogue["ids"].values()]
    assert seen == [catalogue["ids"][key] for key in ["e", "c", "b", "a", "f", "d"]]
    assert len(set(rest)) == len(rest)


def test_relevance_pages_through_every_match(client: TestClient, db: Session) -> None:
    papers = [make_paper(db, f"Retrieval study {n}", summary="检索" * (n + 1)) for n in range(5)]
    db.commit()
    walked = _walk(client, q="检索", limit=2)
    assert sorted(walked) == sorted(paper.id for paper in papers)
    assert len(walked) == 5


def test_total_is_bounded_and_marked_approximate(
    client: TestClient, catalogue: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = client.get(PAPERS, params={"limit": 2}).json()
    assert (page["total"], page["total_is_approximate"]) == (6, False)
    monkeypatch.setattr(matching, "COUNT_BOUND", 4)
    # Another URL: the catalogue has not changed, so the first one would be answered from the cache.
    page = client.get(PAPERS, params={"limit": 3}).json()
    assert (page["total"], page["total_is_approximate"]) == (4, True)


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"q": "x" * 201},
        {"year_from": 2023, "year_to": 2020},
        {"year_from": 1800},
        {"tag": "Not A Slug"},
        {"tag": [f"t{n}" for n in range(11)]},
        {"min_rating": 6},
        {"sort": "relevance"},
        {"sort": "sideways"},
        {"has_code": "perhaps"},
        {"page": 2},
        {"cursor": "not-a-cursor"},
        {"q": "？！"},
        {"venue": "NUL\x00byte"},
        {"author": "\x07"},
    ],
)
def test_bad_parameters_are_refused(client: TestClient, params: dict[str, Any]) -> None:
    response = client.get(PAPERS, params=params)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_input"


def test_a_cursor_only_fits_the_query_it_came_from(client: TestClient, catalogue: dict[str, Any]) -> None:
    cursor = client.get(PAPERS, params={"sort": "newest", "limit": 1}).json()["next_cursor"]
    assert client.get(PAPERS, params={"sort": "newest", "limit": 1, "cursor": cursor}).status_code == 200
    assert client.get(PAPERS, params={"sort": "oldest", "cursor": cursor}).status_code == 422
    assert client.get(PAPERS, params={"sort": "newest", "tag": "rlhf", "cursor": cursor}).status_code == 422


def test_facets_count_matching_papers_with_toggles(client: TestClient, catalogue: dict[str, Any]) -> None:
    facets = client.get(f"{PAPERS}/facets").json()
    assert facets["matched"] == 6
    assert not facets["is_approximate"]
    tags = {value["value"]: value for value in facets["tags"]}
    assert (tags["rlhf"]["count"], tags["rlhf"]["toggle_query"]) == (3, "tag=rlhf")
    # Papers without a year are counted too, last.
    year_counts = [(v["value"], v["count"]) for v in facets["years"]]
    assert year_counts == [("2024", 1), ("2022", 2), ("2020", 1), ("unknown", 2)]
    models = next(node for node in facets["categories"] if node["value"] == "models")
    assert (models["count"], models["total"], models["name_zh"]) == (1, 3, "模型")
    assert [child["value"] for child in models["children"]] == ["open-models"]

    filtered = client.get(f"{PAPERS}/facets", params={"tag": "rlhf", "year_from": 2022}).json()
    assert filtered["matched"] == 2
    tags = {value["value"]: value for value in filtered["tags"]}
    assert tags["rlhf"]["selected"]
    assert tags["rlhf"]["toggle_query"] == "year_from=2022"
    assert tags["peft"]["toggle_query"] == "tag=rlhf&tag=peft&year_from=2022"
    assert {v["value"]: v["count"] for v in filtered["venues"]} == {"ICLR": 1, "ACL": 1}
    # A facet with a choice made counts over what the other filters admit: what adding a value would bring.
    assert {v["value"]: v["count"] for v in filtered["tags"]} == {"rlhf": 2, "peft": 2}
    years = {v["value"]: v for v in filtered["years"]}
    assert {value: year["count"] for value, year in years.items()} == {"2024": 1, "2022": 1, "2020": 1}
    # Choosing a year replaces the from–to range.
    assert years["2022"]["toggle_query"] == "tag=rlhf&year=2022"
    assert [node["value"] for node in filtered["categories"]] == ["models"]

    lists = client.get(f"{PAPERS}/facets", params={"q": "paper"}).json()["sources"]
    assert [(v["value"], v["count"]) for v in lists] == [("awesome-llm", 2)]


def test_paper_detail_has_everything(client: TestClient, catalogue: dict[str, Any]) -> None:
    ids = catalogue["ids"]
    response = client.get(f"{PAPERS}/{ids['a']}")
    assert response.status_code == 200
    detail = response.json()
    assert detail["title"] == "Alpha Paper"
    assert detail["authors"] == ["José Núñez"]
    assert [c["slug"] for c in detail["categories"]] == ["models"]
    assert [t["slug"] for t in detail["tags"]] == ["rlhf"]
    assert detail["links"] == [{"kind": "code", "url": "https://github.com/a/a"}]
    (entry,) = detail["provenance"]
    assert entry | {"line": 0} == {
        "source": "awesome-llm",
        "source_title": "Awesome awesome-llm",
        "section_path": ["Alignment", "RLHF"],
        "position": 0,
        "line": 0,
        "list_number": None,
        "title": "Alpha Paper",
        "note": "经典",
        "stars": 5,
        "is_present": True,
    }
    assert detail["rating"]["count"] == 2
    assert detail["rating"]["average"] == 4.5
    assert [b["count"] for b in detail["rating"]["distribution"]] == [0, 0, 0, 1, 1]
    related = {r["id"]: r for r in detail["related"]}
    assert set(related) == {ids["b"], ids["e"]}
    assert "tag: rlhf" in related[ids["b"]]["reasons"]
    assert "category: Models" not in related[ids["e"]]["reasons"]


def test_related_papers_weigh_shared_authors_and_rare_tags_most(client: TestClient, db: Session) -> None:
    common = make_tag(db, "llm")
    rare = make_tag(db, "sparse-mixture")
    base = make_paper(db, "Base", tags=[common, rare], authors=["Noam Shazeer"])
    for n in range(6):
        make_paper(db, f"Common {n}", tags=[common])
    shares_rare = make_paper(db, "Shares the rare tag", tags=[rare])
    same_author = make_paper(db, "Same author", authors=["Noam Shazeer"], tags=[common])
    db.commit()
    related = client.get(f"{PAPERS}/{base.id}").json()["related"]
    assert [r["id"] for r in related[:2]] == [same_author.id, shares_rare.id]
    assert related[0]["reasons"] == ["tag: llm", "author: Noam Shazeer"]
    assert len(related) == 5


def test_detail_errors_and_conditional_get(client: TestClient, catalogue: dict[str, Any]) -> None:
    assert client.get(f"{PAPERS}/999999").status_code == 404
    assert client.get(f"{PAPERS}/999999").json()["code"] == "not_found"
    for bad in ("0", "-1", str(MAX_ID + 1), "abc"):
        assert client.get(f"{PAPERS}/{bad}").status_code == 422
    url = f"{PAPERS}/{catalogue['ids']['a']}"
    first = client.get(url)
    etag = first.headers["etag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    listed = client.get(PAPERS)
    assert client.get(PAPERS, headers={"If-None-Match": listed.headers["etag"]}).status_code == 304


def test_the_etag_changes_when_the_paper_does(
    client: TestClient, db: Session, catalogue: dict[str, Any]
) -> None:
    url = f"{PAPERS}/{catalogue['ids']['b']}"
    etag = client.get(url).headers["etag"]
    make_rating(db, catalogue["papers"]["b"], score=5)
    db.commit()
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_lookup_finds_a_paper_by_any_form_of_its_identifiers(client: TestClient, db: Session) -> None:
    paper = make_paper(
        db,
        "Language Models are Few-Shot Learners",
        arxiv_id="2005.14165",
        doi="10.5555/gpt3",
        url="https://openreview.net/forum?id=gpt3",
    )
    db.commit()
    found = {
        ("arxiv_id", "2005.14165v4"): "arxiv_id",
        ("arxiv_id", "arXiv:2005.14165"): "arxiv_id",
        ("url", "https://arxiv.org/pdf/2005.14165v2.pdf"): "url",
        ("url", "http://arxiv.org/abs/2005.14165"): "url",
        ("doi", "https://doi.org/10.5555/GPT3"): "doi",
        ("doi", "10.48550/arXiv.2005.14165"): "doi",
        ("url", "https://openreview.net/forum?id=gpt3"): "url",
        ("title", "language models are few-shot learners."): "title",
    }
    for (name, value), matched_by in found.items():
        body = client.get(f"{PAPERS}/lookup", params={name: value}).json()
        assert body["paper"] is not None, (name, value)
        assert (body["paper"]["id"], body["matched_by"]) == (paper.id, matched_by)
    assert client.get(f"{PAPERS}/lookup", params={"title": "Something else"}).json() == {
        "paper": None,
        "matched_by": None,
    }


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"arxiv_id": "not an id"},
        {"doi": "nope"},
        {"title": "!!!"},
        {"isbn": "1"},
        {"url": "x" * 2001},
        {"url": "https://example.org/\x00"},
    ],
)
def test_lookup_refuses_bad_identifiers(client: TestClient, params: dict[str, str]) -> None:
    assert client.get(f"{PAPERS}/lookup", params=params).status_code == 422


def test_categories_and_tags_with_counts(client: TestClient, catalogue: dict[str, Any]) -> None:
    tree = client.get("/api/v1/categories").json()["categories"]
    assert [node["slug"] for node in tree] == ["agents", "models"]
    models = tree[1]
    assert (models["paper_count"], models["total"], models["name_zh"]) == (1, 3, "模型")
    assert models["children"][0]["slug"] == "open-models"
    tags = client.get("/api/v1/tags").json()
    assert [(t["slug"], t["paper_count"]) for t in tags["items"]] == [("rlhf", 3), ("peft", 2)]
    assert client.get("/api/v1/tags", params={"sort": "name", "q": "P"}).json()["items"][0]["slug"] == "peft"
    assert client.get("/api/v1/tags", params={"limit": 1}).json()["total"] == 2
    assert client.get("/api/v1/categories", params={"depth": 1}).status_code == 422
    etag = client.get("/api/v1/tags").headers["etag"]
    assert client.get("/api/v1/tags", headers={"If-None-Match": etag}).status_code == 304


def test_tokens_are_optional_for_reading_but_must_be_valid(client: TestClient, db: Session) -> None:
    token = make_token(db, make_user(db, role=Role.MEMBER))
    db.commit()
    assert client.get(PAPERS, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    response = client.get(PAPERS, headers={"Authorization": "Bearer pa_unknown"})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_openapi_documents_every_read_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/v1/papers",
        "/api/v1/papers/facets",
        "/api/v1/papers/lookup",
        "/api/v1/papers/{paper_id}",
    ):
        operation = spec["paths"][path]["get"]
        assert operation["summary"]
        assert operation["description"]
        assert {"200", "401", "422"} <= set(operation["responses"]), path
        assert operation["security"] == [{"HTTPBearer": []}, {}]
        error = operation["responses"]["422"]["content"]["application/json"]["schema"]
        assert error == {"$ref": "#/components/schemas/ApiError"}
    assert "404" in spec["paths"]["/api/v1/papers/{paper_id}"]["get"]["responses"]
    assert "304" in spec["paths"]["/api/v1/papers"]["get"]["responses"]
    schemas = spec["components"]["schemas"]
    for name in ("PaperPage", "PaperDetail", "Facets", "PaperSummary", "CategoryTree", "TagList"):
        assert schemas[name].get("examples") or name in ("CategoryTree",), name
    listed = {parameter["name"] for parameter in spec["paths"]["/api/v1/papers"]["get"]["parameters"]}
    assert {"q", "category", "tag", "year_from", "year_to", "venue", "source", "author"} <= listed
    assert {"min_rating", "has_code", "sort", "limit", "cursor"} <= listed


@pytest.mark.parametrize("model", [PaperPage, PaperDetail, PaperSummary, Facets])
def test_the_documented_examples_are_valid(model: type[BaseModel]) -> None:
    for example in model.model_json_schema()["examples"]:
        model.model_validate(example)
