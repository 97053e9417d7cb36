"""Export and feed over HTTP: the list's filters, every format parsed back, bounds, headers, bad input."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
import rispy  # type: ignore[import-untyped]
from bibtexparser.entrypoint import parse_string
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.exporting.tabular import BOM
from tests.factories import make_category, make_paper, make_source, make_source_entry

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def catalogue(db: Session) -> dict[str, int]:
    models = make_category(db, "models", name_en="Models", name_zh="模型")
    agents = make_category(db, "agents", name_en="Agents", name_zh="智能体", position=1)
    transformer = make_paper(
        db,
        "Attention Is All You Need",
        authors=["Ashish Vaswani", "Noam Shazeer"],
        categories=[models],
        tags=["transformer"],
        year=2017,
        venue="NeurIPS",
        arxiv_id="1706.03762",
    )
    react = make_paper(
        db,
        "ReAct: Synergizing Reasoning and Acting",
        authors=["Shunyu Yao"],
        categories=[agents],
        tags=["agents", "reasoning"],
        year=2022,
        arxiv_id="2210.03629",
        summary="推理与行动 & tools",
    )
    make_source_entry(db, make_source(db), react, note="**必读** 智能体的基础")
    return {"transformer": transformer.id, "react": react.id}


def test_bibtex_export_applies_the_filters(client: TestClient, catalogue: dict[str, int]) -> None:
    response = client.get("/api/v1/export", params={"format": "bibtex", "tag": "reasoning"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-bibtex")
    assert response.headers["content-disposition"].startswith('attachment; filename="paper-atlas-')
    assert response.headers["x-export-count"] == "1"
    entries = parse_string(response.text).entries
    assert [entry.key for entry in entries] == ["yao2022react"]
    assert entries[0].fields_dict["eprint"].value == "2210.03629"
    assert r"\&" in entries[0].fields_dict["abstract"].value


def test_ris_and_json_exports(client: TestClient, catalogue: dict[str, int]) -> None:
    ris = client.get("/api/v1/export", params={"format": "ris", "sort": "oldest"})
    titles = [record["title"] for record in rispy.loads(ris.text)]
    assert titles[:2] == ["Attention Is All You Need", "ReAct: Synergizing Reasoning and Acting"]
    data = client.get("/api/v1/export", params={"format": "json", "category": "agents"}).json()
    assert [paper["id"] for paper in data] == [catalogue["react"]]
    assert data[0]["notes"] == ["**必读** 智能体的基础"]
    assert data[0]["categories"] == ["agents"]


def test_csv_export_reads_in_spreadsheets(client: TestClient, catalogue: dict[str, int]) -> None:
    response = client.get("/api/v1/export", params={"format": "csv", "q": "ReAct"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(body.removeprefix(BOM))))
    assert [row["title"] for row in rows] == ["ReAct: Synergizing Reasoning and Acting"]
    assert rows[0]["summary"] == "推理与行动 & tools"


def test_markdown_export_is_grouped_by_category(client: TestClient, catalogue: dict[str, int]) -> None:
    text = client.get("/api/v1/export", params={"format": "markdown"}).text
    assert '## <a id="models"></a>Models · 模型' in text
    assert '## <a id="agents"></a>Agents · 智能体' in text
    models, agents = text.index("Models · 模型"), text.index("Agents · 智能体")
    transformer = text.index("[Attention Is All You Need](")
    react = text.index("[ReAct: Synergizing Reasoning and Acting](")
    assert models < transformer < agents < react
    assert "  **必读** 智能体的基础" in text


def test_export_is_bounded(client: TestClient, catalogue: dict[str, int]) -> None:
    response = client.get("/api/v1/export", params={"format": "json", "limit": 1})
    assert len(response.json()) == 1
    assert (response.headers["x-export-count"], response.headers["x-export-truncated"]) == ("1", "true")
    assert client.get("/api/v1/export", params={"format": "json", "limit": 5001}).status_code == 422


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"format": "docx"},
        {"format": "json", "year_from": 2024, "year_to": 2020},
        {"format": "json", "x": 1},
    ],
)
def test_bad_export_parameters_are_422(client: TestClient, params: dict[str, str | int]) -> None:
    response = client.get("/api/v1/export", params=params)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_atom_feed_with_filters(client: TestClient, catalogue: dict[str, int]) -> None:
    response = client.get("/feeds/papers.atom", params={"tag": "agents"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.findtext(f"{ATOM}title") == "Paper Atlas: new papers (tag: agents)"
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None
    assert self_link.get("href", "").endswith("/feeds/papers.atom?tag=agents")
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "ReAct: Synergizing Reasoning and Acting"
    ]
    assert "/papers/react-synergizing-reasoning-and-acting-" in entries[0].findtext(f"{ATOM}id", "")
    assert client.get("/feeds/papers.atom", params={"limit": 0}).status_code == 422


def test_feed_lists_the_newest_additions_first(client: TestClient, catalogue: dict[str, int]) -> None:
    feed = ET.fromstring(client.get("/feeds/papers.atom").content)
    ids = [entry.findtext(f"{ATOM}id", "") for entry in feed.findall(f"{ATOM}entry")]
    assert len(ids) == 2
    assert all(identifier.startswith("http://testserver/papers/") for identifier in ids)
    assert "react-synergizing" in ids[0]


def test_openapi_documents_the_export(client: TestClient) -> None:
    export = client.get("/openapi.json").json()["paths"]["/api/v1/export"]["get"]
    content = export["responses"]["200"]["content"]
    assert {"application/x-bibtex; charset=utf-8", "text/csv; charset=utf-8"} <= set(content)
    assert content["application/x-bibtex; charset=utf-8"]["example"].startswith(
        "@inproceedings{vaswani2017attention,"
    )
    assert {"401", "422"} <= set(export["responses"])
