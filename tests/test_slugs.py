"""Slugs: ASCII, bounded, cut at words, distinct for distinct Chinese titles."""

from app.slugs import slugify


def test_slugify_ascii_words():
    assert slugify("Attention Is All You Need.") == "attention-is-all-you-need"
    assert slugify("  Christopher Ré & GPT-4  ") == "christopher-re-gpt-4"
    assert slugify("LaMDA") == "lamda"
    assert slugify("") == ""


def test_slugify_is_bounded_and_cuts_at_words():
    slug = slugify("word " * 50)
    assert len(slug) <= 80
    assert slug.startswith("word-word")
    assert not slug.endswith("-")
    assert len(slugify("x" * 200)) == 80


def test_slugify_keeps_chinese_titles_distinct_with_a_hash():
    multilingual = slugify("多语言大模型")
    assert multilingual.startswith("u-")
    assert multilingual.isascii()
    assert multilingual == slugify("多语言大模型")
    assert multilingual != slugify("多模态大模型")
    mixed = slugify("GPT生成检测")
    assert mixed.startswith("gpt-")
    assert mixed != slugify("GPT")
