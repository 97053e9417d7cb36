"""The glossary widens a query in both directions, within bounds; misspellings are corrected from the index's
own words; the glossary's data stays well formed."""

from __future__ import annotations

import tomllib

from app.search.glossary import GLOSSARY_PATH, MAX_EXPANSIONS, expand_query, load_glossary, name_key
from app.search.spelling import Vocabulary


def test_a_term_expands_to_its_other_names_both_ways() -> None:
    assert expand_query("思维链").also_searched == ("chain-of-thought", "CoT")
    assert "思维链" in expand_query("chain of thought").also_searched
    assert "思维链" in expand_query("CoT").also_searched
    assert expand_query("思維鏈").also_searched == ("chain-of-thought", "CoT")  # Traditional folded
    assert "retrieval-augmented generation" in expand_query("检索增强").also_searched


def test_a_nickname_searches_its_papers_title() -> None:
    assert expand_query("Flan-T5").also_searched[0] == "Scaling Instruction-Finetuned Language Models"
    assert expand_query("gpt3").also_searched == ("Language Models are Few-Shot Learners",)


def test_expansion_is_bounded_and_the_typed_words_stay_first() -> None:
    query = expand_query("LLM 思维链 RLHF 多模态 LoRA 幻觉 agents")
    assert len(query.also_searched) <= MAX_EXPANSIONS
    assert [group.literal.label for group in query.groups] == [
        "LLM",
        "思维链",
        "RLHF",
        "多模态",
        "LoRA",
        "幻觉",
        "agents",
    ]
    assert all(not group.literal.is_expansion for group in query.groups)


def test_words_outside_the_glossary_are_searched_as_typed() -> None:
    query = expand_query("基于思维链 xyzzy")
    assert [group.literal.label for group in query.groups] == ["基于", "思维链", "xyzzy"]
    assert [len(group.alternatives) for group in query.groups] == [1, 3, 1]


def test_the_glossary_is_a_few_hundred_entries_each_recognisable() -> None:
    document = tomllib.loads(GLOSSARY_PATH.read_text(encoding="utf-8"))
    assert len(document["term"]) >= 200
    # Names mixing scripts (视觉 Transformer) are searched for but not recognised in a query.
    for entry in document["term"]:
        assert any(name_key(name) for name in entry["en"]), entry
    chinese_recognised = [any(name_key(name) for name in entry["zh"]) for entry in document["term"]]
    assert sum(chinese_recognised) >= 0.98 * len(chinese_recognised)
    assert load_glossary() is load_glossary()  # read once


def test_a_misspelt_word_is_corrected_to_the_commonest_close_word() -> None:
    vocabulary = Vocabulary.of({"attention": 40, "retention": 3, "hallucination": 12, "model": 90})
    assert vocabulary.closest("atention") == "attention"
    assert vocabulary.closest("halucinaton") == "hallucination"  # two edits on a long word
    assert vocabulary.closest("modle") == "model"  # a transposition is one edit
    assert vocabulary.closest("zzzzzz") is None
    assert vocabulary.knows("models")
