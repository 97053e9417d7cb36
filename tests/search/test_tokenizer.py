"""The tokenizer and the highlighter are pure: the same tokens for documents and queries, escaped snippets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.search.highlight import make_snippet, match_spans, snippets
from app.search.tokenizer import (
    MAX_QUERY_TERMS,
    cjk_terms,
    document_text,
    document_tokens,
    fold,
    parse_query,
    stem,
    term_matches_word,
)


def test_chinese_runs_become_overlapping_bigrams_and_single_characters() -> None:
    assert cjk_terms("大语言模型") == ["大语", "语言", "言模", "模型"]
    assert cjk_terms("蒸") == ["蒸"]
    tokens = document_tokens("参数高效微调")
    assert "微调" in tokens
    assert "效微" in tokens
    assert {"参", "数", "微", "调"} <= set(tokens)


def test_latin_words_are_folded_and_stemmed_beside_chinese() -> None:
    assert document_text("LoRA 微调") == "lora 微调 微 调"
    assert fold("Ｌｏｒａ") == "lora"
    assert fold("Schölkopf") == "scholkopf"
    assert document_tokens("Models") == ["model", "models"]


@pytest.mark.parametrize(
    ("words", "shared"),
    [
        (["model", "models", "modeling", "modelling"], "model"),
        (["train", "training", "trained", "trains"], "train"),
        (["study", "studies"], "study"),
        (["scale", "scaling", "scaled"], "scal"),
        (["run", "running"], "run"),
    ],
)
def test_inflections_share_a_stem(words: list[str], shared: str) -> None:
    assert {stem(word) for word in words} == {shared}


def test_short_words_and_words_with_digits_are_not_stemmed() -> None:
    assert stem("is") == "is"
    assert stem("gpt4s") == "gpt4s"
    assert stem("need") == "need"


def test_query_terms_are_prefixes_for_words_and_exact_for_chinese() -> None:
    query = parse_query("LoRA 微调 is")
    terms = {(term.text, term.is_prefix, term.is_cjk) for term in query.terms}
    assert terms == {("lora", True, False), ("微调", False, True), ("is", False, False)}


def test_query_without_searchable_characters_is_empty() -> None:
    assert not parse_query("!!! ... ？")
    assert not parse_query("")


def test_query_terms_are_bounded_and_deduplicated() -> None:
    assert len(parse_query(" ".join(f"word{i}" for i in range(100))).terms) == MAX_QUERY_TERMS
    assert len(parse_query("model models modeling").terms) == 1


def test_prefix_terms_match_longer_words_and_their_inflections() -> None:
    (term,) = parse_query("transform").terms
    assert term_matches_word(term, "transformers")
    assert not term_matches_word(term, "transit")
    (exact,) = parse_query("is").terms
    assert term_matches_word(exact, "is")
    assert not term_matches_word(exact, "island")


def test_match_spans_cover_chinese_matches_and_whole_words() -> None:
    text = "Training 大语言模型 with LoRA"
    spans = match_spans(parse_query("train 语言模型"), text)
    assert [text[start:end] for start, end in spans] == ["Training", "语言模型"]


def test_snippet_html_escapes_everything_but_the_marks() -> None:
    text = "<script>alert(1)</script> & 微调 matters"
    snippet = make_snippet("summary", text, match_spans(parse_query("微调"), text))
    assert snippet.snippet == text
    assert snippet.snippet_html == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; <mark>微调</mark> matters"
    start, end = snippet.marks[0]
    assert snippet.snippet[start:end] == "微调"


def test_long_text_is_cut_around_the_first_match() -> None:
    text = "filler " * 100 + "the word reasoning appears here " + "tail " * 100
    snippet = make_snippet("summary", text, match_spans(parse_query("reasoning"), text), length=80)
    assert snippet.snippet.startswith("…")
    assert snippet.snippet.endswith("…")
    assert "<mark>reasoning</mark>" in snippet.snippet_html
    start, end = snippet.marks[0]
    assert snippet.snippet[start:end] == "reasoning"


def test_snippets_prefer_text_fields_and_fall_back_to_names() -> None:
    fields = [("title", "Attention Is All You Need"), ("authors", "Ashish Vaswani")]
    assert [s.field for s in snippets(parse_query("attention"), fields)] == ["title"]
    assert [s.field for s in snippets(parse_query("vaswani"), fields)] == ["authors"]
    assert snippets(parse_query("diffusion"), fields) == []


def test_korean_and_japanese_runs_stay_whole_characters() -> None:
    assert document_tokens("한국어") == ["한국", "국어", "한", "국", "어"]
    assert document_tokens("テスト") == ["テス", "スト", "テ", "ス", "ト"]


# Letters, digits, CJK with its punctuation (・, ゛) and Hangul, accents, and what separates words.
_TEXT_PIECES = st.text(
    alphabet=st.sampled_from([*"aZé9_ -,.\n大语言模型学习・゛ア한국ＬｏＲＡ", "\u0301", "\U00020000"]),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), _TEXT_PIECES), max_size=4))
def test_document_text_tokenised_run_by_run_equals_whole_text(parts: list[str | None]) -> None:
    whole = " ".join(token for part in parts for token in document_tokens(part))
    assert document_text(*parts) == whole


def test_cjk_punctuation_inside_a_run_is_kept_as_the_whole_text_tokenizer_keeps_it() -> None:
    assert document_text("ア・イ") == " ".join(document_tokens("ア・イ"))
