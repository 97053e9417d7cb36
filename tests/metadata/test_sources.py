"""The arXiv and Crossref sources against the fake server: parsing, batching, caching, failures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import utcnow
from app.metadata import http, service
from app.metadata.errors import FetchingOff, SourceUnavailable
from app.metadata.http import retry_after_seconds
from app.metadata.models import MetadataAnswer
from app.metadata.schemas import Identifier
from tests.metadata.conftest import fetching_settings
from tests.metadata.fake_sources import ArxivPaper, Failure, FakeSources, crossref_work

ATTENTION = ArxivPaper(
    "1706.03762",
    "Attention Is All You Need",
    ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"],
    abstract="The dominant sequence transduction models\n  are based on recurrent networks.",
    published="2017-06-12T17:57:34Z",
    categories=["cs.CL", "cs.LG", "cs.CL"],
    journal_ref="NeurIPS 2017",
    version=7,
)
GPT3 = ArxivPaper("2005.14165", "Language Models are Few-Shot Learners", ["Tom B. Brown", "Benjamin Mann"])
BERT_DOI = "10.18653/v1/n19-1423"
BERT = crossref_work(
    BERT_DOI.upper(),
    "BERT: Pre-training of Deep Bidirectional Transformers",
    [("Jacob", "Devlin"), ("Ming-Wei", "Chang")],
    abstract="<jats:title>Abstract</jats:title><jats:p>We introduce a new language &amp; model.</jats:p>",
    issued={"date-parts": [[2019, 6]]},
    **{"container-title": ["Proceedings of NAACL-HLT 2019"]},
    link=[{"URL": "https://aclanthology.org/N19-1423.pdf", "content-type": "application/pdf"}],
    relation={"has-preprint": [{"id-type": "arxiv", "id": "1810.04805", "asserted-by": "subject"}]},
)


def arxiv(value: str) -> Identifier:
    return Identifier(kind="arxiv", value=value)


def doi(value: str) -> Identifier:
    return Identifier(kind="doi", value=value)


def test_arxiv_ids_are_fetched_in_one_request_and_read_in_full(
    db: Session, fetching: Settings, fake_sources: FakeSources
) -> None:
    fake_sources.add_arxiv(ATTENTION, GPT3)
    found = service.look_up(db, fetching, [arxiv("1706.03762"), arxiv("2005.14165"), arxiv("2101.00001")])

    [request] = fake_sources.requests_to("arxiv")
    assert request.params["id_list"] == ["1706.03762,2005.14165,2101.00001"]
    assert "mailto:atlas@example.org" in request.user_agent
    record = found[arxiv("1706.03762")]
    assert record is not None
    assert record.title == "Attention Is All You Need"
    assert record.authors == ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"]
    assert record.abstract == "The dominant sequence transduction models are based on recurrent networks."
    assert (record.year, record.published_date, record.published_month) == (2017, "2017-06-12", "2017-06")
    assert record.categories == ["cs.CL", "cs.LG"]
    assert record.venue == "NeurIPS 2017"
    assert record.pdf_url == "https://arxiv.org/pdf/1706.03762v7"
    assert record.url == "https://arxiv.org/abs/1706.03762"
    assert found[arxiv("2005.14165")] is not None
    assert found[arxiv("2101.00001")] is None


def test_answers_are_cached_so_nothing_is_fetched_twice(
    db: Session, fetching: Settings, fake_sources: FakeSources
) -> None:
    fake_sources.add_arxiv(GPT3)
    service.look_up(db, fetching, [arxiv("2005.14165"), arxiv("2101.00001")])
    again = service.look_up(db, fetching, [arxiv("2005.14165"), arxiv("2101.00001")])

    assert len(fake_sources.requests) == 1
    assert again[arxiv("2005.14165")] is not None
    assert again[arxiv("2101.00001")] is None
    # Cached answers are served with fetching off too.
    off = fetching.model_copy(update={"metadata_fetch": False})
    assert service.look_up_one(db, off, arxiv("2005.14165")) is not None


def test_a_negative_answer_expires_and_is_asked_again(
    db: Session, fetching: Settings, fake_sources: FakeSources
) -> None:
    assert service.look_up_one(db, fetching, arxiv("2101.00001")) is None
    expiry = db.scalar(select(MetadataAnswer.expires_at).where(MetadataAnswer.key == "2101.00001"))
    assert expiry is not None
    assert expiry > utcnow() + timedelta(days=6)
    db.execute(update(MetadataAnswer).values(expires_at=utcnow() - timedelta(seconds=1)))
    fake_sources.add_arxiv(ArxivPaper("2101.00001", "Published since", ["A. Author"]))

    assert service.look_up_one(db, fetching, arxiv("2101.00001")) is not None
    assert len(fake_sources.requests) == 2


def test_a_crossref_work_is_read_with_its_preprint(
    db: Session, fetching: Settings, fake_sources: FakeSources
) -> None:
    fake_sources.add_crossref(BERT)
    record = service.look_up_one(db, fetching, doi(BERT_DOI))

    assert record is not None
    assert fake_sources.requests_to("crossref")[0].path == f"/crossref/works/{BERT_DOI}"
    assert record.source == "crossref"
    assert record.doi == BERT_DOI
    assert record.authors == ["Jacob Devlin", "Ming-Wei Chang"]
    assert record.abstract == "We introduce a new language & model."
    assert (record.year, record.published_date) == (2019, "2019-06")
    assert record.venue == "Proceedings of NAACL-HLT 2019"
    assert record.arxiv_id == "1810.04805"
    assert record.pdf_url == "https://aclanthology.org/N19-1423.pdf"
    assert service.look_up_one(db, fetching, doi("10.1000/unknown")) is None


def test_rate_limiting_is_waited_out_as_retry_after_asks(
    db: Session, fetching: Settings, fake_sources: FakeSources
) -> None:
    fake_sources.add_arxiv(GPT3)
    fake_sources.fail_next("arxiv", Failure(429, {"Retry-After": "0"}), Failure(503))

    assert service.look_up_one(db, fetching, arxiv("2005.14165")) is not None
    assert len(fake_sources.requests) == 3


def test_a_long_retry_after_fails_at_once_rather_than_waiting(
    db: Session, fetching: Settings, fake_sources: FakeSources
) -> None:
    fake_sources.fail_next("crossref", Failure(429, {"Retry-After": "3600"}))
    with pytest.raises(SourceUnavailable, match="slow down"):
        service.look_up_one(db, fetching, doi(BERT_DOI))
    assert len(fake_sources.requests) == 1
    assert db.scalar(select(MetadataAnswer.id)) is None  # a failure is not an answer


def test_server_errors_are_retried_then_reported(
    db: Session, fetching: Settings, fake_sources: FakeSources
) -> None:
    fake_sources.fail_next("arxiv", Failure(500), Failure(502), Failure(503))
    with pytest.raises(SourceUnavailable, match="HTTP 503") as raised:
        service.look_up_one(db, fetching, arxiv("2005.14165"))
    assert len(fake_sources.requests) == 3  # the first try and two retries
    assert raised.value.status_code == 503


def test_a_slow_answer_times_out(db: Session, settings: Settings, fake_sources: FakeSources) -> None:
    quick = fetching_settings(settings, fake_sources.base_url, metadata_timeout_seconds=0.2)
    fake_sources.fail_next("arxiv", Failure(delay=0.6))
    with pytest.raises(SourceUnavailable, match="in time"):
        service.look_up_one(db, quick, arxiv("2005.14165"))
    assert len(fake_sources.requests) == 1  # a source that does not answer is not asked again at once


def test_an_unreachable_source_is_not_asked_again_for_a_while(db: Session, settings: Settings) -> None:
    closed = fetching_settings(
        settings,
        "http://127.0.0.1:9",  # the discard port: nothing listens there
        metadata_retries=0,
        metadata_unreachable_pause_seconds=60.0,
    )
    with pytest.raises(SourceUnavailable, match="no connection"):
        service.look_up_one(db, closed, doi("10.1000/a"))
    with pytest.raises(SourceUnavailable, match="a moment ago"):
        service.look_up_one(db, closed, doi("10.1000/b"))


def test_with_fetching_off_nothing_is_asked(
    db: Session, settings: Settings, fake_sources: FakeSources
) -> None:
    off = fetching_settings(settings, fake_sources.base_url, metadata_fetch=False)
    with pytest.raises(FetchingOff):
        service.look_up_one(db, off, arxiv("2005.14165"))
    assert fake_sources.requests == []
    assert not settings.fetches_metadata  # the test environment's default


def test_a_malformed_id_gets_arxivs_error_entry_and_no_record(
    db: Session, fetching: Settings, fake_sources: FakeSources
) -> None:
    assert service.look_up_one(db, fetching, arxiv("not-an-id")) is None


def test_title_search_returns_candidates_and_is_cached(
    db: Session, fetching: Settings, fake_sources: FakeSources
) -> None:
    fake_sources.add_arxiv(ATTENTION, GPT3)
    found = service.search_arxiv_titles(db, fetching, "attention is all you need")
    assert [record.arxiv_id for record in found] == ["1706.03762"]
    assert fake_sources.requests[0].params["search_query"] == ['ti:"attention is all you need"']
    service.search_arxiv_titles(db, fetching, "attention is all you need")
    assert len(fake_sources.requests) == 1


def test_retry_after_reads_seconds_and_dates() -> None:
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert retry_after_seconds("soon") is None


def test_a_long_queue_for_arxiv_is_refused_rather_than_joined(
    db: Session, settings: Settings, fake_sources: FakeSources, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http, "_PACING", {})  # this test's pace is not the other tests'
    paced = fetching_settings(
        settings, fake_sources.base_url, metadata_arxiv_interval_seconds=5.0, metadata_max_wait_seconds=1.0
    )
    fake_sources.add_arxiv(GPT3)
    assert service.look_up_one(db, paced, arxiv("2005.14165")) is not None  # the first goes at once
    with pytest.raises(SourceUnavailable, match="waiting their turn"):
        service.look_up_one(db, paced, arxiv("2101.00001"))
    assert len(fake_sources.requests) == 1
