"""The export formats as pure functions, read back by independent parsers where one exists."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import rispy  # type: ignore[import-untyped]
from bibtexparser.entrypoint import parse_string

from app.exporting.atom import to_atom
from app.exporting.bibtex import citation_key, escape_latex, to_bibtex
from app.exporting.markdown import to_markdown
from app.exporting.records import ExportCategory, ExportPaper
from app.exporting.ris import to_ris
from app.exporting.tabular import BOM, CSV_COLUMNS, to_csv, to_json

MOMENT = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
ATOM = "{http://www.w3.org/2005/Atom}"


def _paper(paper_id: int = 1, **fields: object) -> ExportPaper:
    values: dict[str, object] = {
        "id": paper_id,
        "slug": f"paper-{paper_id}",
        "title": "Attention Is All You Need",
        "created_at": MOMENT,
        "updated_at": MOMENT,
        "authors": ["Ashish Vaswani", "Noam Shazeer"],
        "year": 2017,
        "published": "2017-06",
        "venue": "NeurIPS",
        "arxiv_id": "1706.03762",
        "tags": ["attention", "transformer"],
    }
    values.update(fields)
    return ExportPaper(**values)  # type: ignore[arg-type]


NASTY = _paper(
    2,
    slug="nasty",
    title="R&D at 100% {fast} with $x_1$ #1 ~ ^ \\ <b>bold</b> \x07",
    authors=["José Pérez", "Li, Wei", "张三"],
    venue="Journal of Machine Learning Research",
    summary='Line one,\nline "two" =SUM(A1)',
    notes=["**必读** see [code](https://x.org/a_b)", "second note"],
    arxiv_id=None,
    doi="10.5555/3295222.3295349",
    code_url="https://github.com/x/y",
    importance=3,
)


def _joined(chunks: object) -> str:
    return "".join(chunks)  # type: ignore[arg-type]


def test_bibtex_parses_back_with_escaped_fields_and_arxiv_eprint() -> None:
    text = _joined(to_bibtex([_paper(), NASTY]))
    library = parse_string(text)
    assert library.failed_blocks == []
    first, second = library.entries
    assert (first.entry_type, first.key) == ("inproceedings", "vaswani2017attention")
    assert first.fields_dict["eprint"].value == "1706.03762"
    assert first.fields_dict["archivePrefix"].value == "arXiv"
    assert first.fields_dict["author"].value == "Ashish Vaswani and Noam Shazeer"
    assert first.fields_dict["month"].value == "jun"
    assert second.entry_type == "article"
    assert second.fields_dict["journal"].value == "Journal of Machine Learning Research"
    assert second.fields_dict["author"].value == "José Pérez and {Li, Wei} and 张三"
    title = second.fields_dict["title"].value
    assert r"R\&D at 100\% \{fast\} with \$x\_1\$ \#1" in title
    assert "\x07" not in title
    assert second.fields_dict["doi"].value == "10.5555/3295222.3295349"


def test_bibtex_keys_are_unique_within_a_file() -> None:
    same = [_paper(i, slug=f"s{i}") for i in range(1, 5)]
    keys = [entry.key for entry in parse_string(_joined(to_bibtex(same))).entries]
    assert keys == [
        "vaswani2017attention",
        "vaswani2017attentionb",
        "vaswani2017attentionc",
        "vaswani2017attentiond",
    ]


def test_citation_keys_fold_accents_and_survive_missing_data() -> None:
    assert (
        citation_key(_paper(authors=["Zoé Lévy"], year=None, title="The Éclair of Models")) == "levyndeclair"
    )
    assert citation_key(_paper(authors=[], title="大模型")) == "anon2017"
    assert escape_latex("a_b\nc") == r"a\_b c"


def test_ris_records_parse_back() -> None:
    text = _joined(to_ris([_paper(), NASTY]))
    assert text.count("\r\n") > 10
    records = rispy.loads(text)
    assert [record["type_of_reference"] for record in records] == ["CONF", "JOUR"]
    assert records[0]["authors"] == ["Ashish Vaswani", "Noam Shazeer"]
    assert records[0]["keywords"] == ["attention", "transformer"]
    assert records[1]["abstract"] == 'Line one, line "two" =SUM(A1)'
    assert records[1]["doi"] == "10.5555/3295222.3295349"
    assert len(records[1]["notes"]) == 2


def test_csv_has_a_bom_quotes_properly_and_defuses_formulas() -> None:
    text = _joined(to_csv([_paper(), NASTY]))
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert tuple(rows[0]) == CSV_COLUMNS
    nasty = dict(zip(CSV_COLUMNS, rows[2], strict=True))
    assert nasty["authors"] == "José Pérez; Li, Wei; 张三"
    assert nasty["summary"] == 'Line one,\nline "two" =SUM(A1)'
    # Notes are plain text in a spreadsheet: markup gone, link text kept.
    assert nasty["notes"] == "必读 see code | second note"
    formula = list(csv.reader(io.StringIO(_joined(to_csv([_paper(title="=HYPERLINK(1)", venue="-x")])))))[1]
    assert (formula[2], formula[7]) == ("'=HYPERLINK(1)", "'-x")


def test_json_is_one_array() -> None:
    data = json.loads(_joined(to_json([_paper(), NASTY])))
    assert [item["slug"] for item in data] == ["paper-1", "nasty"]
    assert data[0]["created_at"] == "2024-05-01T12:30:00Z"
    assert data[1]["authors"][2] == "张三"
    assert json.loads(_joined(to_json([]))) == []


def test_markdown_is_an_awesome_list_grouped_by_category() -> None:
    categories = [
        ExportCategory("models", "Models", "模型", position=1),
        ExportCategory("architecture", "Architecture", None, parent_slug="models"),
        ExportCategory("empty", "Empty", position=0),
        ExportCategory("agents", "Agents", "智能体", position=2),
    ]
    papers = [
        _paper(categories=["architecture"], code_url="https://github.com/t/t", importance=5),
        _paper(
            2, slug="two", title="Toolformer [v2]", categories=["agents"], notes=["Uses *tools*"], authors=[]
        ),
        _paper(3, slug="three", title="Loose", categories=[], url="https://example.org/a (b)"),
    ]
    text = _joined(to_markdown(papers, categories, title="Awesome LLM", generated_at=MOMENT))
    assert text.startswith("# Awesome LLM\n\n> 3 papers, exported on 2024-05-01.\n")
    assert "Empty" not in text
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Awesome LLM",
        "## Contents",
        '## <a id="models"></a>Models · 模型',
        '### <a id="architecture"></a>Architecture',
        '## <a id="agents"></a>Agents · 智能体',
        '## <a id="other-papers"></a>Other papers',
    ]
    assert "  - [Architecture](#architecture)" in text
    assert (
        "- [Attention Is All You Need](https://arxiv.org/abs/1706.03762). Ashish Vaswani, Noam Shazeer. "
        "*NeurIPS 2017* [[code](https://github.com/t/t)] ⭐⭐⭐⭐⭐" in text
    )
    assert "- [Toolformer \\[v2\\]](https://arxiv.org/abs/1706.03762). *NeurIPS 2017*\n  Uses *tools*" in text
    assert "(https://example.org/a%20%28b%29)" in text


def test_atom_feed_is_well_formed_and_escaped() -> None:
    text = _joined(
        to_atom(
            [_paper(), NASTY],
            feed_url="https://atlas.example/feeds/papers.atom?tag=rlhf&year_from=2020",
            site_url="https://atlas.example/papers?tag=rlhf",
            paper_url="https://atlas.example/papers/{slug}",
            title="Paper Atlas: new papers",
            updated=MOMENT,
        )
    )
    feed = ET.fromstring(text.encode())
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == "https://atlas.example/feeds/papers.atom?tag=rlhf&year_from=2020"
    assert feed.findtext(f"{ATOM}updated") == "2024-05-01T12:30:00Z"
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}id") for entry in entries] == [
        "https://atlas.example/papers/paper-1",
        "https://atlas.example/papers/nasty",
    ]
    nasty = entries[1]
    assert nasty.findtext(f"{ATOM}title") == "R&D at 100% {fast} with $x_1$ #1 ~ ^ \\ <b>bold</b>"
    assert [a.findtext(f"{ATOM}name") for a in nasty.findall(f"{ATOM}author")] == [
        "José Pérez",
        "Li, Wei",
        "张三",
    ]
    for element in entries:
        assert element.findtext(f"{ATOM}updated")
        assert element.findtext(f"{ATOM}title")
    assert "Line one, line" in (nasty.findtext(f"{ATOM}summary") or "")
