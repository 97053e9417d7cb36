"""A stand-in for arXiv's API and Crossref's REST API on 127.0.0.1, answering in their documented formats.

arXiv: ``GET /arxiv/query?id_list=...`` or ``?search_query=ti:"..."`` answers an Atom feed (malformed ids get
arXiv's error entry). Crossref: ``GET /crossref/works/{doi}`` answers ``{"status": "ok", "message": {...}}``
or 404 "Resource not found.". Tests queue failures (``fail_next``): a status with headers, or a slow answer.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

ATOM_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <link href="http://arxiv.org/api/query" rel="self" type="application/atom+xml"/>
  <title type="html">ArXiv Query: {query}</title>
  <id>http://arxiv.org/api/fake</id>
  <updated>2024-05-01T00:00:00-04:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{total}</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">0</opensearch:startIndex>
  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">{total}</opensearch:itemsPerPage>
"""
ARXIV_NS = 'xmlns:arxiv="http://arxiv.org/schemas/atom"'
_NEW_ID = re.compile(r"^\d{4}\.\d{4,5}$|^[a-z-]+/\d{7}$")


@dataclass
class ArxivPaper:
    arxiv_id: str
    title: str
    authors: list[str]
    abstract: str = "An abstract."
    published: str = "2020-05-28T17:29:03Z"
    categories: list[str] = field(default_factory=lambda: ["cs.CL"])
    doi: str | None = None
    journal_ref: str | None = None
    version: int = 2

    def entry(self) -> str:
        versioned = f"{self.arxiv_id}v{self.version}"
        authors = "".join(
            f"\n    <author>\n      <name>{escape(name)}</name>\n    </author>" for name in self.authors
        )
        extras = ""
        if self.doi:
            extras += f"\n    <arxiv:doi {ARXIV_NS}>{escape(self.doi)}</arxiv:doi>"
            extras += f'\n    <link title="doi" href="http://dx.doi.org/{escape(self.doi)}" rel="related"/>'
        if self.journal_ref:
            extras += f"\n    <arxiv:journal_ref {ARXIV_NS}>{escape(self.journal_ref)}</arxiv:journal_ref>"
        categories = "".join(
            f'\n    <category term="{term}" scheme="http://arxiv.org/schemas/atom"/>'
            for term in self.categories
        )
        # Titles and abstracts come wrapped across lines, as arXiv sends them.
        title = escape(self.title).replace(" ", "\n  ", 1)
        return f"""  <entry>
    <id>http://arxiv.org/abs/{versioned}</id>
    <updated>2020-07-22T19:47:17Z</updated>
    <published>{self.published}</published>
    <title>{title}</title>
    <summary>  {escape(self.abstract)}
</summary>{authors}{extras}
    <link href="http://arxiv.org/abs/{versioned}" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/{versioned}" rel="related" type="application/pdf"/>
    <arxiv:primary_category {ARXIV_NS} term="{self.categories[0]}" scheme="http://arxiv.org/schemas/atom"/>{categories}
  </entry>
"""


def arxiv_error_entry(bad_id: str) -> str:
    return f"""  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_{escape(bad_id)}</id>
    <title>Error</title>
    <summary>incorrect id format for {escape(bad_id)}</summary>
    <updated>2024-05-01T00:00:00-04:00</updated>
    <link href="http://arxiv.org/api/errors#incorrect_id_format_for_{escape(bad_id)}" rel="alternate"/>
    <author>
      <name>arXiv api core</name>
    </author>
  </entry>
"""


def crossref_work(doi: str, title: str, authors: list[tuple[str, str]], **extra: Any) -> dict[str, Any]:
    """A /works/{doi} message as Crossref documents it (the fields this service reads, and a few more)."""
    return {
        "DOI": doi,
        "type": "journal-article",
        "title": [title],
        "author": [
            {
                "given": given,
                "family": family,
                "sequence": "first" if i == 0 else "additional",
                "affiliation": [],
            }
            for i, (given, family) in enumerate(authors)
        ],
        "publisher": "Fake Publisher",
        "URL": f"http://dx.doi.org/{doi}",
        **extra,
    }


@dataclass
class Failure:
    status: int = 503
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # a slow answer: wait this long, then answer normally


@dataclass
class SeenRequest:
    service: str
    path: str
    params: dict[str, list[str]]
    user_agent: str


class FakeSources:
    def __init__(self) -> None:
        self.arxiv: dict[str, ArxivPaper] = {}
        self.crossref: dict[str, dict[str, Any]] = {}
        self.failures: dict[str, list[Failure]] = {"arxiv": [], "crossref": []}
        self.requests: list[SeenRequest] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.fake = self  # type: ignore[attr-defined]
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakeSources:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self.lock:
            self.arxiv.clear()
            self.crossref.clear()
            self.failures = {"arxiv": [], "crossref": []}
            self.requests.clear()

    def fail_next(self, service: str, *failures: Failure) -> None:
        with self.lock:
            self.failures[service].extend(failures)

    def requests_to(self, service: str) -> list[SeenRequest]:
        return [request for request in self.requests if request.service == service]

    def add_arxiv(self, *papers: ArxivPaper) -> None:
        for paper in papers:
            self.arxiv[paper.arxiv_id] = paper

    def add_crossref(self, *works: dict[str, Any]) -> None:
        for work in works:
            self.crossref[work["DOI"].lower()] = work

    # --- answers -------------------------------------------------------------------

    def arxiv_feed(self, params: dict[str, list[str]]) -> str:
        entries: list[str] = []
        if "id_list" in params:
            for wanted in params["id_list"][0].split(","):
                paper = self.arxiv.get(re.sub(r"v\d+$", "", wanted))
                if paper is not None:
                    entries.append(paper.entry())
                elif not _NEW_ID.match(wanted):
                    return (
                        ATOM_HEAD.format(query=escape(wanted), total=1)
                        + arxiv_error_entry(wanted)
                        + "</feed>\n"
                    )
        elif "search_query" in params:
            match = re.fullmatch(r'ti:"(.*)"', params["search_query"][0])
            words = (match.group(1) if match else "").lower().split()
            limit = int(params.get("max_results", ["10"])[0])
            entries = [
                paper.entry()
                for paper in self.arxiv.values()
                if words
                and all(word in re.sub(r"[^\w\s-]", " ", paper.title.lower()).split() for word in words)
            ][:limit]
        return ATOM_HEAD.format(query="fake", total=len(entries)) + "".join(entries) + "</feed>\n"


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: str, content_type: str, headers: dict[str, str] | None = None) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        fake: FakeSources = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        service = "arxiv" if parts.path.startswith("/arxiv") else "crossref"
        params = parse_qs(parts.query)
        with fake.lock:
            fake.requests.append(SeenRequest(service, parts.path, params, self.headers.get("User-Agent", "")))
            failure = fake.failures[service].pop(0) if fake.failures[service] else None
        if failure is not None:
            if failure.delay:
                time.sleep(failure.delay)
            else:
                self._send(failure.status, "Service unavailable", "text/plain", failure.headers)
                return
        try:
            if service == "arxiv":
                self._send(200, fake.arxiv_feed(params), "application/atom+xml; charset=utf-8")
                return
            doi = unquote(parts.path.removeprefix("/crossref/works/")).lower()
            work = fake.crossref.get(doi)
            if work is None:
                self._send(404, "Resource not found.", "text/plain")
                return
            payload = {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": work}
            self._send(200, json.dumps(payload), "application/json")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a timeout test)
