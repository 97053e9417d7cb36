"""Adding a paper from its identifier: the API's short form, the preview, and the add form's "Fill in"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.catalog.field_sources import field_sources
from app.config import Settings
from tests.databases import app_on_session
from tests.factories import make_paper, make_token, make_user
from tests.metadata.fake_sources import Failure, FakeSources
from tests.metadata.test_sources import ATTENTION, BERT, BERT_DOI
from tests.pages.conftest import Visitor, csrf_token_on, sign_in


@pytest.fixture
def fetching_client(fetching: Settings, db: Session) -> Iterator[TestClient]:
    with TestClient(app_on_session(fetching, db)) as test_client:
        yield test_client


@pytest.fixture
def token_header(db: Session) -> dict[str, str]:
    header = {"Authorization": f"Bearer {make_token(db, make_user(db))}"}
    db.commit()  # a refused request rolls back what is not committed
    return header


# --- the API -----------------------------------------------------------------------------


def test_a_paper_is_added_from_its_arxiv_id_alone(
    db: Session, fetching_client: TestClient, fake_sources: FakeSources, token_header: dict[str, str]
) -> None:
    fake_sources.add_arxiv(ATTENTION)
    response = fetching_client.post(
        "/api/v1/papers", json={"arxiv_id": "arXiv:1706.03762v7", "venue": "NIPS"}, headers=token_header
    )

    assert response.status_code == 201, response.text
    paper = response.json()
    assert paper["title"] == "Attention Is All You Need"
    assert paper["authors"] == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]
    assert paper["venue"] == "NIPS"  # what is sent wins
    assert (paper["year"], paper["published"]) == (2017, "2017-06")
    assert paper["summary"].startswith("The dominant sequence")
    sources = field_sources(db, paper["id"])
    assert sources["authors"] == sources["summary"] == "arxiv"
    assert "venue" not in sources


def test_a_paper_is_added_from_its_doi_alone(
    fetching_client: TestClient, fake_sources: FakeSources, token_header: dict[str, str]
) -> None:
    fake_sources.add_crossref(BERT)
    response = fetching_client.post("/api/v1/papers", json={"doi": BERT_DOI}, headers=token_header)

    assert response.status_code == 201, response.text
    assert response.json()["arxiv_id"] == "1810.04805"
    assert response.json()["venue"] == "Proceedings of NAACL-HLT 2019"


@pytest.mark.parametrize(
    ("failure", "status", "code"),
    [
        (None, 422, "invalid_input"),  # the source has no such paper
        (Failure(503), 503, "metadata_source_unavailable"),
    ],
)
def test_adding_by_identifier_says_clearly_when_it_cannot(
    fetching_client: TestClient,
    fake_sources: FakeSources,
    token_header: dict[str, str],
    failure: Failure | None,
    status: int,
    code: str,
) -> None:
    if failure:
        fake_sources.fail_next("arxiv", failure, failure, failure)
    response = fetching_client.post("/api/v1/papers", json={"arxiv_id": "2101.00001"}, headers=token_header)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert "2101.00001" in response.json()["detail"] or "arXiv" in response.json()["detail"]


def test_with_fetching_off_an_identifier_alone_is_refused_and_a_full_paper_is_added(
    client: TestClient, token_header: dict[str, str]
) -> None:
    response = client.post("/api/v1/papers", json={"arxiv_id": "1706.03762"}, headers=token_header)
    assert response.status_code == 422
    assert response.json()["code"] == "metadata_fetch_off"
    full = client.post(
        "/api/v1/papers", json={"title": "Typed by hand", "arxiv_id": "1706.03762"}, headers=token_header
    )
    assert full.status_code == 201
    assert (
        client.get("/api/v1/metadata", params={"arxiv_id": "1706.03762"}, headers=token_header).json()["code"]
        == "metadata_fetch_off"
    )


def test_the_preview_names_the_record_and_the_paper_already_here(
    db: Session, fetching_client: TestClient, fake_sources: FakeSources, token_header: dict[str, str]
) -> None:
    fake_sources.add_arxiv(ATTENTION)
    here = make_paper(db, "Attention Is All You Need")
    db.commit()

    preview = fetching_client.get(
        "/api/v1/metadata", params={"q": "https://arxiv.org/pdf/1706.03762v7"}, headers=token_header
    )

    assert preview.status_code == 200, preview.text
    assert preview.json()["identifier"] == "arxiv:1706.03762"
    assert preview.json()["record"]["categories"] == ["cs.CL", "cs.LG"]
    assert preview.json()["existing"]["id"] == here.id
    by_arxiv_doi = fetching_client.get(
        "/api/v1/metadata", params={"doi": "https://doi.org/10.48550/arXiv.1706.03762"}, headers=token_header
    )
    assert by_arxiv_doi.json()["identifier"] == "arxiv:1706.03762"  # answered by arXiv, from the cache
    assert len(fake_sources.requests) == 1
    assert fetching_client.get("/api/v1/metadata", params={"arxiv_id": "1706.03762"}).status_code == 401
    bad = fetching_client.get("/api/v1/metadata", params={"doi": "not a doi"}, headers=token_header)
    assert bad.status_code == 422


# --- the add form --------------------------------------------------------------------------


@pytest.fixture
def member(fetching_client: TestClient, db: Session) -> Visitor:
    visitor = sign_in(fetching_client, db, make_user(db))
    visitor.token = csrf_token_on(fetching_client.get("/papers/new").text)
    return visitor


def test_fill_in_puts_the_papers_fields_into_the_form_for_review(
    member: Visitor, fake_sources: FakeSources
) -> None:
    fake_sources.add_arxiv(ATTENTION)
    page = member.post(
        "/papers/new/fill", {"lookup": "https://arxiv.org/abs/1706.03762v7", "tags": "attention"}
    )

    assert page.status_code == 200
    html = page.text
    assert 'value="Attention Is All You Need"' in html
    assert "Ashish Vaswani\nNoam Shazeer\nNiki Parmar</textarea>" in html
    assert 'name="arxiv_id" type="text" value="1706.03762"' in html
    assert 'value="2017"' in html
    assert 'value="attention"' in html  # what the person typed stays
    assert "Filled in from arXiv" in html
    assert "fill-in-existing" not in html
    # Nothing is saved until the person adds the paper, and then the usual checks run.
    saved = member.post(
        "/papers/new",
        {"title": "Attention Is All You Need", "arxiv_id": "1706.03762", "authors": "Ashish Vaswani"},
    )
    assert saved.status_code == 303
    again = member.post("/papers/new/fill", {"lookup": "1706.03762"})
    assert 'class="fill-in-existing"' in again.text


def test_fill_in_explains_a_source_that_cannot_be_reached(member: Visitor, fake_sources: FakeSources) -> None:
    fake_sources.fail_next("arxiv", Failure(503), Failure(503), Failure(503))
    page = member.post("/papers/new/fill", {"lookup": "2005.14165", "title": "Typed so far"})
    assert page.status_code == 200
    assert "arXiv could not be reached" in page.text
    assert 'value="Typed so far"' in page.text


def test_fill_in_refuses_text_that_names_no_paper(member: Visitor, fake_sources: FakeSources) -> None:
    page = member.post("/papers/new/fill", {"lookup": "hello"})
    assert page.status_code == 422
    assert 'id="field-lookup-error"' in page.text
    missing = member.post("/papers/new/fill", {"lookup": "10.1000/none"})
    assert missing.status_code == 422
    assert "No paper was found for DOI 10.1000/none" in missing.text


def test_with_fetching_off_the_form_says_so_and_adds_papers_as_before(
    client: TestClient, db: Session
) -> None:
    visitor = sign_in(client, db, make_user(db))
    visitor.token = csrf_token_on(client.get("/papers/new").text)
    page = visitor.post("/papers/new/fill", {"lookup": "1706.03762"})
    assert "turned off on this server" in page.text
    assert visitor.post("/papers/new", {"title": "Typed by hand"}).status_code == 303


def test_previews_are_counted_against_the_users_changes(
    db: Session, fetching: Settings, fake_sources: FakeSources, token_header: dict[str, str]
) -> None:
    fake_sources.add_arxiv(ATTENTION)
    strict = fetching.model_copy(update={"writes_per_user": 1, "rate_limits_enabled": True})
    with TestClient(app_on_session(strict, db)) as limited:
        assert (
            limited.get("/api/v1/metadata", params={"q": "1706.03762"}, headers=token_header).status_code
            == 200
        )
        again = limited.get("/api/v1/metadata", params={"q": "1706.03762"}, headers=token_header)
    assert again.status_code == 429
    assert "Retry-After" in again.headers
