"""A small bilingual catalogue and the papers each query must (and must not) find in it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.catalog.models import Paper
from tests.factories import make_paper, make_source, make_source_entry

# key: (title, short name, authors, tags, summary, list note)
PAPERS: dict[str, tuple[str, str | None, list[str], list[str], str | None, str | None]] = {
    "transformer": (
        "Attention Is All You Need",
        "Transformer",
        ["Ashish Vaswani", "Noam Shazeer"],
        ["transformer"],
        "提出 Transformer 架构，完全基于注意力机制。",
        None,
    ),
    "lora": (
        "LoRA: Low-Rank Adaptation of Large Language Models",
        "LoRA",
        ["Edward J. Hu", "Yelong Shen"],
        ["peft", "fine-tuning"],
        None,
        "低秩适配，参数高效微调的代表方法",
    ),
    "qlora": (
        "QLoRA: Efficient Finetuning of Quantized LLMs",
        "QLoRA",
        ["Tim Dettmers"],
        ["peft", "quantization"],
        "4-bit 量化 + LoRA 微调，单卡即可微调 65B 模型",
        None,
    ),
    "cot": (
        "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
        "CoT",
        ["Jason Wei", "Denny Zhou"],
        ["reasoning", "prompting"],
        "思维链提示激发大模型的推理能力",
        None,
    ),
    "self_consistency": (
        "Self-Consistency Improves Chain of Thought Reasoning in Language Models",
        None,
        ["Xuezhi Wang", "Denny Zhou"],
        ["reasoning"],
        None,
        "多路径采样投票，提升推理准确率",
    ),
    "instructgpt": (
        "Training language models to follow instructions with human feedback",
        "InstructGPT",
        ["Long Ouyang"],
        ["rlhf", "alignment"],
        None,
        "RLHF 三阶段：SFT、奖励模型、PPO",
    ),
    "dpo": (
        "Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
        "DPO",
        ["Rafael Rafailov"],
        ["alignment"],
        "无需奖励模型的偏好对齐",
        None,
    ),
    "react": (
        "ReAct: Synergizing Reasoning and Acting in Language Models",
        "ReAct",
        ["Shunyu Yao"],
        ["agents"],
        "推理与行动交替的智能体框架",
        None,
    ),
    "rag": (
        "Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks",
        "RAG",
        ["Patrick Lewis"],
        ["retrieval"],
        "检索增强生成",
        None,
    ),
    "scaling": (
        "Scaling Laws for Neural Language Models",
        None,
        ["Jared Kaplan"],
        ["scaling"],
        "模型规模、数据量与计算量之间的幂律关系",
        None,
    ),
    "bert": (
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
        "BERT",
        ["Jacob Devlin"],
        ["pretraining"],
        "双向预训练的编码器",
        None,
    ),
    "llama2": (
        "Llama 2: Open Foundation and Fine-Tuned Chat Models",
        "Llama 2",
        ["Hugo Touvron"],
        ["open-models"],
        "开源基础模型与对话微调",
        None,
    ),
    "flash": (
        "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness",
        "FlashAttention",
        ["Tri Dao"],
        ["efficiency"],
        "IO 感知的精确注意力加速",
        None,
    ),
    "mixtral": ("Mixtral of Experts", "Mixtral", ["Albert Q. Jiang"], ["moe"], "稀疏混合专家模型", None),
    "distillation": (
        "Distilling the Knowledge in a Neural Network",
        None,
        ["Geoffrey Hinton"],
        ["distillation"],
        "知识蒸馏",
        None,
    ),
}


@dataclass(frozen=True)
class Case:
    query: str
    must: set[str]
    must_not: set[str] = field(default_factory=set)
    # When set, the results must be exactly these: the same on SQLite and PostgreSQL.
    exactly: bool = False


CASES = [
    # Two-character Chinese words find the papers whose summaries or list notes contain them.
    Case("微调", {"lora", "qlora", "llama2"}, {"transformer", "instructgpt"}, exactly=True),
    Case("推理", {"cot", "self_consistency", "react"}, exactly=True),
    Case("注意力", {"transformer", "flash"}, exactly=True),
    Case("奖励模型", {"instructgpt", "dpo"}, exactly=True),
    Case("模型", {"qlora", "cot", "instructgpt", "dpo", "scaling", "llama2", "mixtral"}, {"rag", "bert"}),
    Case("检索增强", {"rag"}, exactly=True),
    Case("预训练", {"bert"}, exactly=True),
    # One character: the unigrams.
    Case("蒸", {"distillation"}, exactly=True),
    # English: inflections, prefixes, authors, short names, tags.
    Case("reasoning", {"cot", "self_consistency", "react"}, exactly=True),
    Case("reason", {"cot", "self_consistency", "react"}, exactly=True),
    Case("instruction", {"instructgpt"}, exactly=True),
    Case("align", {"instructgpt", "dpo"}, exactly=True),
    Case("transformers", {"transformer", "bert"}, {"lora"}),
    Case("fine tuning", {"lora", "llama2", "qlora"}),  # the glossary: fine-tuning = finetuning = 微调
    Case("finetuning", {"qlora"}),
    Case("Vaswani", {"transformer"}, exactly=True),
    Case("denny zhou", {"cot", "self_consistency"}, exactly=True),
    Case("DPO", {"dpo"}, exactly=True),
    Case("knowledge", {"rag", "distillation"}, exactly=True),
    Case("scaling laws", {"scaling"}, exactly=True),
    Case("language model", {"lora", "cot", "self_consistency", "instructgpt", "dpo", "react", "scaling"}),
    # Mixed queries: every term must match.
    Case("lora 微调", {"lora", "qlora"}, {"llama2"}, exactly=True),
    Case("RLHF 奖励模型", {"instructgpt"}, {"dpo"}, exactly=True),
    Case("chain 推理", {"cot", "self_consistency"}, {"react"}, exactly=True),
    # Full-width letters and accents fold.
    Case("ＬｏＲＡ", {"lora", "qlora"}, exactly=True),
    Case("nothing-like-this-anywhere", set(), exactly=True),
]


def make_corpus(db: Session) -> dict[str, Paper]:
    """The papers above, with their notes in one list; keyed as in PAPERS."""
    source = make_source(db, "awesome-test-corpus", language="zh")
    papers = {}
    for key, (title, short_name, authors, tags, summary, note) in PAPERS.items():
        paper = make_paper(db, title, short_name=short_name, authors=authors, tags=tags, summary=summary)
        if note:
            make_source_entry(db, source, paper, note=note)
        papers[key] = paper
    return papers
