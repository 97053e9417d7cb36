"""The shipped category tree and tag rules, and how sections and papers are matched to them."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.importing.parsing import parse_markdown
from app.importing.pattern_literals import needle_for
from app.importing.rules import (
    RulesError,
    categories_for_section,
    load_tag_rules,
    load_taxonomy,
    parse_tag_rules,
    parse_taxonomy,
    section_key,
    tag_labels_for,
    tags_for,
)

SEEDS = Path(__file__).parents[2] / "seeds"


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


# --- the tree ------------------------------------------------------------------------------------


def test_shipped_tree_is_bilingual_and_ordered(taxonomy):
    assert 25 <= len(taxonomy.categories) <= 40
    seen: set[str] = set()
    for spec in taxonomy.categories:
        assert spec.name_en
        assert spec.name_zh
        assert spec.parent is None or spec.parent in seen  # parents come first
        seen.add(spec.slug)
    for slug in (
        "foundation-models",
        "architectures",
        "encoder-only",
        "encoder-decoder",
        "decoder-only",
        "non-transformer",
        "scaling",
        "in-context-learning",
        "chain-of-thought",
        "instruction-tuning",
        "rlhf",
        "peft",
        "positional-encoding-attention",
        "efficient-inference",
        "multimodal",
        "multilingual",
        "agents",
        "evaluation",
        "surveys",
        "ai-text-detection",
        "interpretability",
    ):
        assert taxonomy.category(slug) is not None, slug
    encoder = taxonomy.category("encoder-only")
    assert encoder is not None
    assert (encoder.parent, encoder.name_zh) == ("architectures", "仅编码器架构")


# --- seed sections -------------------------------------------------------------------------------

SEED_SECTIONS = [
    # llm-paper-reading.md, as its headings read once repaired and cleaned
    (("OpenAI/Google 基础语言大模型",), ["foundation-models"]),
    (("LLM的关键技术",), ["foundation-models"]),
    (("LLM的关键技术", "ICL"), ["in-context-learning"]),
    (("LLM的关键技术", "CoT"), ["chain-of-thought"]),
    (("LLM的关键技术", "RLHF"), ["rlhf"]),
    (("LLM的关键技术", "PEFT"), ["peft"]),
    (
        ("LLM的关键技术", "Embedding/位置编码/激活函数/attention加速"),
        ["positional-encoding-attention", "embeddings"],
    ),
    (("LLM的关键技术", "综述及其他"), ["surveys"]),
    (("大模型与多模态相关",), ["multimodal"]),
    (("类ChatGPT及垂域版类ChatGPT开源模型",), ["open-models", "applications"]),
    # foundations-of-llms-ch2.md
    (("大数据+大模型→新智能",), ["scaling"]),
    (("大语言模型架构概览",), ["architectures"]),
    (("基于 Encoder-only 架构的大语言模型",), ["encoder-only"]),
    (("基于 Encoder-Decoder 架构的大语言模型",), ["encoder-decoder"]),
    (("基于 Decoder-only 架构的大语言模型",), ["decoder-only"]),
    (("非 Transformer 架构",), ["non-transformer"]),
    # awesome-llm4or.md
    (("论文整理", "模型结构优化"), ["architectures"]),
    (("论文整理", "多语言大模型"), ["multilingual"]),
    (("论文整理", "计算层优化"), ["efficient-inference", "efficient-training"]),
    (("论文整理", "大模型原理研究"), ["interpretability"]),
    (("论文整理", "LLM复杂任务"), ["reasoning", "agents"]),
    (("论文整理", "GPT生成检测"), ["ai-text-detection"]),
    (("论文整理", "LLM能力测评"), ["evaluation"]),
    (("论文整理", "多模态大模型"), ["multimodal"]),
]


@pytest.mark.parametrize(("path", "slugs"), SEED_SECTIONS)
def test_seed_sections_map_to_categories(taxonomy, path, slugs):
    assert categories_for_section(path, taxonomy) == slugs


@pytest.mark.parametrize("seed", ["foundations-of-llms-ch2.md", "awesome-llm4or.md"])
def test_every_parsed_seed_section_has_a_category(taxonomy, seed):
    parsed = parse_markdown((SEEDS / seed).read_text(encoding="utf-8"))
    for path in {entry.section_path for entry in parsed.entries}:
        assert categories_for_section(path, taxonomy), path


def test_headings_compare_loosely(taxonomy):
    assert section_key("Embedding / 位置编码") == section_key("embedding/位置编码")
    assert categories_for_section(("  cot ",), taxonomy) == ["chain-of-thought"]
    assert categories_for_section(("OpenAI/Google 基础语⾔⼤模型",), taxonomy) == ["foundation-models"]


# --- other lists' sections -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "slugs"),
    [
        (("Reinforcement Learning from Human Feedback (RLHF)",), ["rlhf"]),
        (("RLHF方法",), ["rlhf"]),  # an ASCII word boundary next to Chinese
        (("Multimodal LLMs",), ["multimodal"]),
        (("Object Detection",), ["vision-models"]),  # detection of objects, not of generated text
        (("Detecting Machine-Generated Text",), ["ai-text-detection"]),
        (("Efficient LLMs", "Quantization"), ["efficient-inference"]),
        (("Prompting", "Misc"), ["prompting"]),  # nothing in "Misc": the heading above decides
        (("Papers", "Other LLM papers"), ["foundation-models"]),  # only a weak rule matched
        (("论文整理",), []),  # mapped to nothing on purpose
        (("Miscellaneous",), []),
        ((), []),
    ],
)
def test_keyword_fallbacks(taxonomy, path, slugs):
    assert categories_for_section(path, taxonomy) == slugs


def test_a_strong_parent_beats_a_weak_child(taxonomy):
    assert categories_for_section(("Agents", "LLM-based agents in the wild"), taxonomy) == ["agents"]
    assert categories_for_section(("Surveys", "Large language models"), taxonomy) == ["surveys"]


# --- tags ----------------------------------------------------------------------------------------


def test_shipped_tag_rules_cover_the_common_topics():
    slugs = {rule.slug for rule in load_tag_rules().rules}
    assert {
        "lora",
        "rlhf",
        "diffusion",
        "agents",
        "chain-of-thought",
        "in-context-learning",
        "instruction-tuning",
        "multimodal",
        "code",
        "retrieval",
        "long-context",
        "quantization",
        "mixture-of-experts",
        "scaling-laws",
        "survey",
        "benchmark",
        "alignment",
        "multilingual",
        "reasoning",
        "efficient-inference",
        "transformer",
    } <= slugs


@pytest.mark.parametrize(
    ("title", "note", "expected", "absent"),
    [
        (
            "LoRA: Low-Rank Adaptation of Large Language Models",
            None,
            {"lora", "parameter-efficient-fine-tuning"},
            set(),
        ),
        (
            "Training language models to follow instructions",
            "使用人类反馈强化学习（RLHF）三步",
            {"rlhf"},
            set(),
        ),
        ("Some paper", "RLHF三阶段训练", {"rlhf"}, set()),
        ("Language Models are Few-Shot Learners", None, {"in-context-learning"}, set()),
        ("A Survey of Large Language Models", None, {"survey"}, set()),
        (
            "Chain-of-Thought Prompting Elicits Reasoning",
            None,
            {"chain-of-thought", "reasoning", "prompting"},
            set(),
        ),
        ("Switch Transformers", "稀疏的混合专家（MoE）模型", {"mixture-of-experts", "transformer"}, set()),
        (
            "BEiT v2: Masked Image Modeling with Vector-Quantized Visual Tokenizers",
            None,
            {"vision"},
            {"quantization"},
        ),
        (
            "Distributed Representations of Sentences and Documents",
            None,
            {"embeddings"},
            {"distributed-training"},
        ),
        (
            "A paper",
            "相关论文：[Scaling Laws for Reward Models](https://arxiv.org/abs/2210.10760)",
            set(),
            {"scaling-laws"},
        ),
    ],
)
def test_tags_from_title_and_note(title, note, expected, absent):
    tags = set(tags_for(title, note, None))
    assert expected <= tags
    assert not absent & tags


def test_short_name_becomes_a_tag():
    labels = tag_labels_for("Language Models for Dialog Applications", None, "LaMDA")
    assert labels[-1] == ("lamda", "LaMDA")
    assert "dialogue" in tags_for("Language Models for Dialog Applications", None, "LaMDA")
    assert tags_for("Untagged words", None, "  ") == []
    tags = tags_for("LoRA", None, "LoRA")
    assert tags.count("lora") == 1


def test_custom_tag_rules():
    rules = parse_tag_rules('[[tag]]\nslug = "moe"\nname = "MoE"\npatterns = [\'\\bMoE\\b\', "专家"]\n')
    assert tags_for("A MoE paper", None, None, rules=rules) == ["moe"]
    assert tags_for("混合专家", None, None, rules=rules) == ["moe"]
    assert tags_for("Moebius strips", None, None, rules=rules) == []


# --- validation ----------------------------------------------------------------------------------

_ROOT = '[[category]]\nslug = "root"\nname_en = "Root"\nname_zh = "根"\n'


@pytest.mark.parametrize(
    "text",
    [
        "not = [valid",
        _ROOT + _ROOT,  # the same slug twice
        '[[category]]\nslug = "Bad Slug"\nname_en = "x"\nname_zh = "x"\n',
        '[[category]]\nslug = "child"\nname_en = "x"\nname_zh = "x"\nparent = "root"\n' + _ROOT,
        _ROOT + '[[category]]\nslug = "orphan"\nname_en = "x"\nname_zh = "x"\nparent = "nowhere"\n',
        _ROOT + '[[category]]\nslug = "nameless"\nname_en = "x"\n',
        _ROOT + '[[section]]\nheading = "H"\ncategories = ["missing"]\n',
        _ROOT + "[[section_rule]]\npattern = '(unclosed'\ncategories = [\"root\"]\n",
        _ROOT + '[[section_rule]]\npattern = "x"\ncategories = "root"\n',
    ],
)
def test_inconsistent_taxonomies_are_refused(text):
    with pytest.raises(RulesError):
        parse_taxonomy(text)


@pytest.mark.parametrize(
    "text",
    [
        '[[tag]]\nslug = "a"\nname = "A"\npatterns = []\n',
        '[[tag]]\nslug = "a"\nname = "A"\npatterns = ["("]\n',
        '[[tag]]\nslug = "a"\nname = "A"\npatterns = ["x"]\n' * 2,  # the same slug twice
        'tag = "not a table"\n',
    ],
)
def test_unusable_tag_rules_are_refused(text):
    with pytest.raises(RulesError):
        parse_tag_rules(text)


# --- the substring shortcut ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "needle", "is_ascii"),
    [
        (r"\bLoRA\b", "lora", True),
        (r"position(al)?[- ](encoding|embedding)", "position", True),
        (r"(word|sentence) representations", " representations", True),
        (r"(?<!vector-)quantiz", "quantiz", True),
        ("注意力", "注意力", False),
        ("LoRA微调", "lora", True),
        (r"RLHF|人类反馈", None, False),
        (r"a?", None, False),
    ],
)
def test_a_pattern_needle_is_literal_text_every_match_contains(pattern, needle, is_ascii):
    found = needle_for(re.compile(pattern, re.IGNORECASE | re.ASCII))
    if needle is None:
        assert found is None
    else:
        assert found is not None
        assert (found.text, found.is_ascii) == (needle, is_ascii)


def test_patterns_without_the_ascii_flag_get_no_needle():
    assert needle_for(re.compile("lora", re.IGNORECASE)) is None


_RULE_TEXT = st.text(
    alphabet=st.sampled_from([*"LoRAloraTransformerRLHF注意力微调量化 -\n", "ﬁ", "İ", "K", "Σ", "ß"]),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(_RULE_TEXT)
def test_needles_never_hide_a_match(text):
    rules = load_tag_rules(SEEDS / "tag_rules.toml")
    expected = [rule.slug for rule in rules.rules if any(p.search(text) for p in rule.patterns)]
    assert [rule.slug for rule in rules.matching(text)] == expected


def test_needles_match_like_the_patterns_on_the_seed_lists():
    rules = load_tag_rules(SEEDS / "tag_rules.toml")
    for seed in sorted(SEEDS.glob("*.md")):
        for line in seed.read_text(encoding="utf-8").splitlines():
            expected = [rule.slug for rule in rules.rules if any(p.search(line) for p in rule.patterns)]
            assert [rule.slug for rule in rules.matching(line)] == expected
