"""Identifier normalisation: arXiv ids, DOIs, title keys, authors and canonical URLs."""

import pytest

from app.catalog.identifiers import (
    arxiv_id_from_url,
    canonical_url,
    doi_from_text,
    normalise_arxiv_id,
    normalise_title,
    split_authors,
    year_from_arxiv_id,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/1706.03762", "1706.03762"),
        ("https://arxiv.org/pdf/1706.03762", "1706.03762"),
        ("https://arxiv.org/pdf/1706.03762v5.pdf", "1706.03762"),
        ("https://arxiv.org/pdf/2305.06500v1.pdf", "2305.06500"),
        ("http://export.arxiv.org/abs/2005.14165v2", "2005.14165"),
        ("https://www.arxiv.org/abs/2005.14165/", "2005.14165"),
        ("arxiv.org/abs/2005.14165", "2005.14165"),
        ("https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),
        ("https://arxiv.org/pdf/hep-th/9901001v3.pdf", "hep-th/9901001"),
        ("https://arxiv.org/abs/cs.CL/0101001", "cs/0101001"),
        ("https://arxiv.org/html/2401.01234v2", "2401.01234"),
        ("https://ar5iv.labs.arxiv.org/html/1706.03762", "1706.03762"),
        ("https://huggingface.co/papers/2305.13048", "2305.13048"),
        ("https://doi.org/10.48550/arXiv.2005.14165", "2005.14165"),
        ("https://arxiv.org/abs/0704.0001", "0704.0001"),
        ("2005.14165", "2005.14165"),
        ("arXiv:2005.14165v2", "2005.14165"),
        ("  <https://arxiv.org/abs/1706.03762>  ", "1706.03762"),
    ],
)
def test_arxiv_id_from_every_url_form(url, expected):
    assert arxiv_id_from_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        "https://openreview.net/pdf?id=e2TBb5y0yFf",
        "https://github.com/someone/2005.14165",
        "https://aclanthology.org/N19-1423.pdf",
        "2023.05",  # a date, not an id: month 23 does not exist
        "1706.0376",  # too short for 2017
        "0612.1234",  # new-style ids start in April 2007
        "https://arxiv.org/list/cs.CL/recent",
    ],
)
def test_arxiv_id_rejects_what_is_not_an_id(url):
    assert arxiv_id_from_url(url) is None


def test_normalise_arxiv_id_accepts_ids_and_urls():
    assert normalise_arxiv_id("arXiv: 1706.03762v7") == "1706.03762"
    assert normalise_arxiv_id("ARXIV:2005.14165") == "2005.14165"
    assert normalise_arxiv_id("math.GT/0309136") == "math/0309136"
    assert normalise_arxiv_id("https://arxiv.org/pdf/1910.10683.pdf") == "1910.10683"
    assert normalise_arxiv_id("not an id") is None


@pytest.mark.parametrize(
    ("arxiv_id", "year"),
    [
        ("1706.03762", 2017),
        ("2005.14165", 2020),
        ("0704.0001", 2007),
        ("hep-th/9901001", 1999),
        ("cs/0101001", 2001),
        ("arXiv:2312.00752v2", 2023),
        ("nonsense", None),
    ],
)
def test_year_from_arxiv_id(arxiv_id, year):
    assert year_from_arxiv_id(arxiv_id) == year


@pytest.mark.parametrize(
    ("text", "doi"),
    [
        ("https://doi.org/10.1145/3442188.3445922", "10.1145/3442188.3445922"),
        ("http://dx.doi.org/10.1162/TACL_A_00343", "10.1162/tacl_a_00343"),
        ("doi:10.18653/v1/N19-1423", "10.18653/v1/n19-1423"),
        ("DOI: 10.1000/XYZ.", "10.1000/xyz"),
        ("10.1038/s41586-021-03819-2", "10.1038/s41586-021-03819-2"),
        ("https://doi.org/10.1000%2Fabc", "10.1000/abc"),
        ("https://dl.acm.org/doi/pdf/10.1145/3442188.3445922", "10.1145/3442188.3445922"),
        ("https://www.nature.com/articles/s41586-021-03819-2", "10.1038/s41586-021-03819-2"),
        ("https://example.com/paper", None),
        ("", None),
    ],
)
def test_doi_from_text(text, doi):
    assert doi_from_text(text) == doi


def test_normalise_title_is_a_matching_key():
    assert normalise_title("Attention is all you need.") == normalise_title("Attention Is All You Need")
    assert normalise_title("Attention is all you need.") == "attention is all you need"
    assert normalise_title("BERT: Pre-training of Deep  Transformers") == normalise_title(
        "BERT — Pretraining of deep transformers"
    )
    assert normalise_title("**[LoRA](https://x.y)**: Low-Rank Adaptation") == "lora lowrank adaptation"
    assert normalise_title("ProtTrans：Towards Life’s Code") == "prottrans towards lifes code"
    assert normalise_title("大⾔模型综述。") == "大言模型综述"


@pytest.mark.parametrize(
    ("text", "authors"),
    [
        ("Qi Liu, Matt J. Kusner, Phil Blunsom.", ["Qi Liu", "Matt J. Kusner", "Phil Blunsom"]),
        ("Alice Smith, Bob Jones, and Carol White", ["Alice Smith", "Bob Jones", "Carol White"]),
        ("Albert Gu and Tri Dao.", ["Albert Gu", "Tri Dao"]),
        (
            "Vaswani, Ashish and Shazeer, Noam and Gomez, Aidan N and Polosukhin, Illia.",
            ["Ashish Vaswani", "Noam Shazeer", "Aidan N Gomez", "Illia Polosukhin"],
        ),
        ("Yu Sun, Xinhao Li, Sanmi Koyejo, et al.", ["Yu Sun", "Xinhao Li", "Sanmi Koyejo"]),
        ("Jason Wei et al.", ["Jason Wei"]),
        ("Google.", ["Google"]),
        ("Hyung Won Chung, Quoc V. Le.", ["Hyung Won Chung", "Quoc V. Le"]),
        ("张三、李四，王五", ["张三", "李四", "王五"]),
        ("*Bo Peng, Rui-Jie Zhu*", ["Bo Peng", "Rui-Jie Zhu"]),
        ("", []),
    ],
)
def test_split_authors(text, authors):
    assert split_authors(text) == authors


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://arxiv.org/pdf/1706.03762v5.pdf", "https://arxiv.org/abs/1706.03762"),
        ("http://export.arxiv.org/abs/hep-th/9901001", "https://arxiv.org/abs/hep-th/9901001"),
        ("https://dx.doi.org/10.1000/ABC", "https://doi.org/10.1000/abc"),
        ("http://www.GitHub.com/Google-Research/BERT.git/", "https://github.com/google-research/bert"),
        ("https://example.com:443/a/?utm_source=x&b=2&a=1#top", "https://example.com/a?a=1&b=2"),
        (
            "https://www.bilibili.com/video/BV1P3/?vd_source=0534&spm_id_from=333",
            "https://bilibili.com/video/BV1P3",
        ),
        ("lmsys.org/blog/2023-03-30-vicuna/", "https://lmsys.org/blog/2023-03-30-vicuna"),
        ("", ""),
    ],
)
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical
