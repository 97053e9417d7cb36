"""Rating over HTTP: your rating upserted and withdrawn, everyone's ratings paged, bad input refused."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_paper, make_token, make_user


def _headers(db: Session) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(db, make_user(db))}"}


def test_rating_needs_a_token(client: TestClient, db: Session) -> None:
    paper = make_paper(db)
    response = client.put(f"/api/v1/papers/{paper.id}/rating", json={"score": 4})
    assert response.status_code == 401


def test_rate_rerate_list_and_withdraw(client: TestClient, db: Session) -> None:
    paper = make_paper(db)
    alice, bob = _headers(db), _headers(db)
    db.commit()  # an error response rolls the request's work back; the setup must survive it
    first = client.put(
        f"/api/v1/papers/{paper.id}/rating", json={"score": 2, "comment": "thin"}, headers=alice
    )
    assert first.status_code == 200, first.text
    again = client.put(
        f"/api/v1/papers/{paper.id}/rating", json={"score": 5, "comment": "开创性工作"}, headers=alice
    )
    assert again.json()["rating"]["id"] == first.json()["rating"]["id"]
    assert again.json()["summary"]["count"] == 1
    client.put(f"/api/v1/papers/{paper.id}/rating", json={"score": 4}, headers=bob)
    listed = client.get(f"/api/v1/papers/{paper.id}/ratings", params={"limit": 1})
    assert listed.status_code == 200
    body = listed.json()
    assert (body["summary"]["count"], body["summary"]["average"]) == (2, 4.5)
    assert [bucket["count"] for bucket in body["summary"]["distribution"]] == [0, 0, 0, 1, 1]
    assert len(body["items"]) == 1
    rest = client.get(
        f"/api/v1/papers/{paper.id}/ratings", params={"limit": 1, "cursor": body["next_cursor"]}
    )
    comments = {item["comment"] for item in body["items"] + rest.json()["items"]}
    assert comments == {"开创性工作", None}
    detail = client.get(f"/api/v1/papers/{paper.id}").json()
    assert (detail["rating_count"], detail["rating_avg"]) == (2, 4.5)
    withdrawn = client.delete(f"/api/v1/papers/{paper.id}/rating", headers=alice)
    assert withdrawn.status_code == 200
    assert (withdrawn.json()["count"], withdrawn.json()["average"]) == (1, 4.0)
    assert client.delete(f"/api/v1/papers/{paper.id}/rating", headers=alice).status_code == 404


def test_bad_ratings_are_422_with_the_field(client: TestClient, db: Session) -> None:
    paper = make_paper(db)
    headers = _headers(db)
    db.commit()  # an error response rolls the request's work back; the setup must survive it
    url = f"/api/v1/papers/{paper.id}/rating"
    for payload, field in (
        ({"score": 0}, "score"),
        ({"score": 6}, "score"),
        ({"score": "five"}, "score"),
        ({}, "score"),
        ({"score": 3, "comment": "x" * 5001}, "comment"),
        ({"score": 3, "stars": 3}, "stars"),
        ({"score": 3, "comment": "nul\x00"}, "comment"),
    ):
        response = client.put(url, json=payload, headers=headers)
        assert response.status_code == 422, payload
        assert [error["loc"] for error in response.json()["detail"]] == [["body", field]]
    assert client.put("/api/v1/papers/0/rating", json={"score": 3}, headers=headers).status_code == 422
    assert (
        client.put("/api/v1/papers/2000000000/rating", json={"score": 3}, headers=headers).status_code == 404
    )
    assert client.get("/api/v1/papers/2000000000/ratings").status_code == 404
    forged = client.get(f"/api/v1/papers/{paper.id}/ratings", params={"cursor": "bm9wZQ"})
    assert forged.status_code == 422
    assert forged.json()["fields"] == {"cursor": "Unknown cursor."}
