from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


def test_healthz_reports_a_reachable_migrated_database(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["database"]["revision"]


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path) -> None:
    broken = Settings(
        environment="test",
        database_url="postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1",
    )
    with TestClient(create_app(broken)) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False
    assert "Traceback" not in response.text


def test_meta_gives_version_and_counts(client: TestClient) -> None:
    body = client.get("/api/v1/meta").json()
    assert body["name"] == "Paper Atlas"
    assert body["api_version"] == "v1"
    assert set(body["counts"]) >= {"papers", "authors", "categories", "tags", "sources", "ratings"}


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    generated = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert generated.headers["x-request-id"] != "bad id with spaces"
