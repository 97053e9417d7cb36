"""Notes render as escaped text with http(s) links, bold, italics, code and collapsed reference lists."""
# ruff: noqa: E501 - notes as curators write them

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from app.web.markup import render_note, safe_http_url
from app.web.templating import templates

REL = 'rel="nofollow noopener noreferrer ugc"'


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '"><svg onload=alert(1)>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox(1))",
        "javascript:alert(1)",
        '[x](https://ok.example" onmouseover="alert(1))',
        "**<script>alert(1)</script>**",
        "*<img src=x onerror=alert(1)>* `<script>x</script>`",
        "".join(f"[A paper title {n} <script>](https://e.org/{n}) (X {n})" for n in range(6)),
    ],
)
def test_payloads_stay_text(payload: str) -> None:
    html = str(render_note(payload))
    for tag, attributes in _elements(html):
        assert tag in {"p", "br", "strong", "em", "code", "a", "details", "summary", "ol", "li"}, html
        if tag == "a":
            assert set(attributes) == {"href", "rel"}, html
            assert str(attributes["href"]).startswith(("http://", "https://")), html
        elif tag == "details":
            assert attributes == {"class": "references"}, html
        else:
            assert attributes == {}, html


def test_links_bold_and_paragraphs() -> None:
    html = render_note(
        "See **this** [paper](https://arxiv.org/abs/1706.03762) and http://example.org/x.\n\nNext"
    )
    assert isinstance(html, Markup)
    assert str(html) == (
        f'<p>See <strong>this</strong> <a href="https://arxiv.org/abs/1706.03762" {REL}>paper</a> and '
        f'<a href="http://example.org/x" {REL}>http://example.org/x</a>.</p><p>Next</p>'
    )


def test_urls_with_parentheses_and_query_strings() -> None:
    html = str(
        render_note("(https://en.wikipedia.org/wiki/Transformer_(model)) [w](https://e.org/a?b=1&c=2)")
    )
    assert 'href="https://en.wikipedia.org/wiki/Transformer_(model)"' in html
    assert 'href="https://e.org/a?b=1&amp;c=2"' in html


def test_empty_and_line_breaks() -> None:
    assert render_note(None) == Markup("")
    assert render_note("") == Markup("")
    assert str(render_note("a\nb")) == "<p>a<br>\nb</p>"


def test_safe_http_url() -> None:
    assert safe_http_url("https://example.org/") == "https://example.org/"
    for bad in ("javascript:alert(1)", "http://", "ftp://x.org", "https://exa mple.org", "//example.org"):
        assert safe_http_url(bad) is None


def test_the_note_filter() -> None:
    html = templates.env.from_string("{{ text | note }}").render(text="<b>x</b> https://a.org")
    assert html == f'<p>&lt;b&gt;x&lt;/b&gt; <a href="https://a.org" {REL}>https://a.org</a></p>'


def test_a_bare_url_ends_where_chinese_text_begins() -> None:
    html = str(
        render_note(
            "代码 https://github.com/openai/lm-human-preferences相关论文包括在现有，见https://a.org/x。"
        )
    )
    assert f'<a href="https://github.com/openai/lm-human-preferences" {REL}>' in html
    assert "</a>相关论文包括在现有" in html
    assert f'<a href="https://a.org/x" {REL}>https://a.org/x</a>。' in html


def test_italics_and_code() -> None:
    html = str(render_note("*Attention* is `all` you need, snake_case_name stays"))
    assert html == "<p><em>Attention</em> is <code>all</code> you need, snake_case_name stays</p>"


def test_a_note_that_runs_citations_together_becomes_a_collapsed_list() -> None:
    citations = "".join(
        f"[Learning from human feedback part {n}](https://arxiv.org/abs/2203.0{n}) (Author {n} 202{n})"
        for n in range(1, 7)
    )
    html = str(
        render_note(
            f"RLHF原始论文 相关论文包括：{citations}GopherCite: [Teaching models to cite](https://d.m/g) (M 2022)"
        )
    )
    assert html.startswith(
        '<p>RLHF原始论文 相关论文包括：</p><details class="references"><summary>7 references</summary><ol>'
    )
    assert html.count("<li>") == 7
    assert (
        f'<li><a href="https://arxiv.org/abs/2203.01" {REL}>Learning from human feedback part 1</a> (Author 1 2021)</li>'
        in html
    )
    assert f'<li>GopherCite: <a href="https://d.m/g" {REL}>Teaching models to cite</a> (M 2022)</li>' in html
    assert "<details" not in str(
        render_note("[One paper title here](https://a.org) and [another title here](https://b.org)")
    )
