"""A small, realistic catalogue for browser journeys: real LLM papers, categories, Chinese notes, lists."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.accounts.models import Role, User
from app.catalog.models import Paper
from app.taxonomy.models import Category
from tests.factories import make_category, make_paper, make_rating, make_source, make_source_entry, make_user

PASSWORD = "correct-horse-battery"


@dataclass
class SampleCatalogue:
    papers: dict[str, Paper] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


@dataclass(frozen=True)
class SamplePaper:
    key: str
    title: str
    short_name: str | None
    year: int
    venue: str | None
    arxiv_id: str
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    summary: str
    importance: int


_PAPERS = [
    SamplePaper(
        key="transformer",
        title="Attention Is All You Need",
        short_name="Transformer",
        year=2017,
        venue="NeurIPS",
        arxiv_id="1706.03762",
        authors=("Ashish Vaswani", "Noam Shazeer", "Niki Parmar", "Jakob Uszkoreit", "Llion Jones"),
        categories=("architecture",),
        tags=("attention", "transformer"),
        summary=(
            "Introduces the Transformer, a sequence model built on attention "
            "alone, without recurrence or convolution."
        ),
        importance=5,
    ),
    SamplePaper(
        key="bert",
        title="BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
        short_name="BERT",
        year=2019,
        venue="NAACL",
        arxiv_id="1810.04805",
        authors=("Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"),
        categories=("pre-training",),
        tags=("encoder", "transformer"),
        summary=(
            "Pre-trains a bidirectional encoder with masked language modelling; "
            "fine-tuned, it set the state of the art."
        ),
        importance=4,
    ),
    SamplePaper(
        key="t5",
        title="Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer",
        short_name="T5",
        year=2020,
        venue="JMLR",
        arxiv_id="1910.10683",
        authors=("Colin Raffel", "Noam Shazeer", "Adam Roberts"),
        categories=("pre-training", "architecture"),
        tags=("encoder-decoder", "transformer"),
        summary="Google T5模型，区别于BERT的编码器架构与GPT的解码器架构，T5是encoder-decoder架构。",
        importance=3,
    ),
    SamplePaper(
        key="scaling",
        title="Scaling Laws for Neural Language Models",
        short_name=None,
        year=2020,
        venue=None,
        arxiv_id="2001.08361",
        authors=("Jared Kaplan", "Sam McCandlish", "Tom Henighan"),
        categories=("pre-training",),
        tags=("scaling",),
        summary=(
            "Loss falls as a power law in model size, data and compute; larger "
            "models are more sample-efficient."
        ),
        importance=4,
    ),
    SamplePaper(
        key="gpt3",
        title="Language Models are Few-Shot Learners",
        short_name="GPT-3",
        year=2020,
        venue="NeurIPS",
        arxiv_id="2005.14165",
        authors=("Tom B. Brown", "Benjamin Mann", "Nick Ryder", "Melanie Subbiah"),
        categories=("foundation-models",),
        tags=("few-shot", "in-context-learning", "scaling"),
        summary="Open AI GPT3原始论文，GPT-3仍然是训练当下大语言模型（如ChatGPT）的常用基线和基础模型。",
        importance=5,
    ),
    SamplePaper(
        key="instructgpt",
        title="Training language models to follow instructions with human feedback",
        short_name="InstructGPT",
        year=2022,
        venue="NeurIPS",
        arxiv_id="2203.02155",
        authors=("Long Ouyang", "Jeff Wu", "Xu Jiang"),
        categories=("rlhf", "instruction-tuning"),
        tags=("rlhf", "alignment"),
        summary="InstructGPT原始论文，使用人类反馈强化学习（RLHF）对GPT-3进行微调，也被称为描述ChatGPT背后想法的论文。",
        importance=5,
    ),
    SamplePaper(
        key="emergent",
        title="Emergent Abilities of Large Language Models",
        short_name=None,
        year=2022,
        venue="TMLR",
        arxiv_id="2206.07682",
        authors=("Jason Wei", "Yi Tay", "Rishi Bommasani"),
        categories=("foundation-models",),
        tags=("scaling", "emergence"),
        summary="Google 22年8月份，探讨大语言模型的涌现能力。",
        importance=3,
    ),
    SamplePaper(
        key="cot",
        title="Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
        short_name="CoT",
        year=2022,
        venue="NeurIPS",
        arxiv_id="2201.11903",
        authors=("Jason Wei", "Xuezhi Wang", "Dale Schuurmans"),
        categories=("chain-of-thought",),
        tags=("reasoning", "prompting"),
        summary="CoT原始论文：在提示中给出中间推理步骤，显著提升大模型的算术与常识推理能力。",
        importance=5,
    ),
    SamplePaper(
        key="zeroshot-cot",
        title="Large Language Models are Zero-Shot Reasoners",
        short_name=None,
        year=2022,
        venue="NeurIPS",
        arxiv_id="2205.11916",
        authors=("Takeshi Kojima", "Shixiang Shane Gu", "Machel Reid"),
        categories=("chain-of-thought",),
        tags=("reasoning", "zero-shot"),
        summary="“Let's think step by step”的梗即来源于此篇论文：零样本设置下的思维链推理。",
        importance=3,
    ),
    SamplePaper(
        key="icl-survey",
        title="A Survey on In-context Learning",
        short_name=None,
        year=2023,
        venue="EMNLP",
        arxiv_id="2301.00234",
        authors=("Qingxiu Dong", "Lei Li", "Damai Dai"),
        categories=("in-context-learning",),
        tags=("in-context-learning", "survey"),
        summary="ICL 综述：上下文学习的定义、训练与推理策略、分析与应用。",
        importance=3,
    ),
    SamplePaper(
        key="lora",
        title="LoRA: Low-Rank Adaptation of Large Language Models",
        short_name="LoRA",
        year=2022,
        venue="ICLR",
        arxiv_id="2106.09685",
        authors=("Edward J. Hu", "Yelong Shen", "Phillip Wallis"),
        categories=("efficient-fine-tuning",),
        tags=("fine-tuning", "peft"),
        summary="低秩适配：冻结预训练权重，只训练注入的低秩矩阵，是参数高效微调的代表方法。",
        importance=5,
    ),
    SamplePaper(
        key="qlora",
        title="QLoRA: Efficient Finetuning of Quantized LLMs",
        short_name="QLoRA",
        year=2023,
        venue="NeurIPS",
        arxiv_id="2305.14314",
        authors=("Tim Dettmers", "Artidoro Pagnoni", "Ari Holtzman", "Luke Zettlemoyer"),
        categories=("efficient-fine-tuning",),
        tags=("fine-tuning", "peft", "quantization"),
        summary=(
            "Fine-tunes a 65B model on a single 48GB GPU by backpropagating "
            "through a frozen 4-bit quantised model."
        ),
        importance=4,
    ),
    SamplePaper(
        key="rag",
        title="Retrieval-Augmented Generation for Knowledge-Intensive NLP Tasks",
        short_name="RAG",
        year=2020,
        venue="NeurIPS",
        arxiv_id="2005.11401",
        authors=("Patrick Lewis", "Ethan Perez", "Aleksandra Piktus"),
        categories=("retrieval",),
        tags=("retrieval",),
        summary=(
            "Combines a parametric seq2seq model with a dense retriever over "
            "Wikipedia for knowledge-intensive tasks."
        ),
        importance=4,
    ),
    SamplePaper(
        key="self-instruct",
        title="Self-Instruct: Aligning Language Models with Self-Generated Instructions",
        short_name=None,
        year=2023,
        venue="ACL",
        arxiv_id="2212.10560",
        authors=("Yizhong Wang", "Yeganeh Kordi", "Swaroop Mishra"),
        categories=("instruction-tuning",),
        tags=("instruction-tuning", "synthetic-data"),
        summary="从175个人工编写的种子指令出发，让模型自己生成指令数据再进行指令微调；斯坦福Alpaca沿用了这一方法。",
        importance=3,
    ),
    SamplePaper(
        key="dpo",
        title="Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
        short_name="DPO",
        year=2023,
        venue="NeurIPS",
        arxiv_id="2305.18290",
        authors=("Rafael Rafailov", "Archit Sharma", "Eric Mitchell"),
        categories=("rlhf",),
        tags=("alignment", "preference-optimization"),
        summary=(
            "Aligns a model to preferences with a simple classification loss "
            "instead of reinforcement learning."
        ),
        importance=4,
    ),
    SamplePaper(
        key="react",
        title="ReAct: Synergizing Reasoning and Acting in Language Models",
        short_name="ReAct",
        year=2023,
        venue="ICLR",
        arxiv_id="2210.03629",
        authors=("Shunyu Yao", "Jeffrey Zhao", "Dian Yu"),
        categories=("chain-of-thought",),
        tags=("agents", "reasoning"),
        summary=(
            "Interleaves reasoning traces with actions such as search, so a model "
            "can plan and gather evidence."
        ),
        importance=3,
    ),
    SamplePaper(
        key="flash",
        title="FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness",
        short_name="FlashAttention",
        year=2022,
        venue="NeurIPS",
        arxiv_id="2205.14135",
        authors=("Tri Dao", "Daniel Y. Fu", "Stefano Ermon"),
        categories=("architecture",),
        tags=("attention", "efficiency"),
        summary=(
            "An IO-aware exact attention algorithm that tiles the computation to "
            "cut reads and writes to GPU memory."
        ),
        importance=4,
    ),
    SamplePaper(
        key="llama2",
        title="Llama 2: Open Foundation and Fine-Tuned Chat Models",
        short_name="Llama 2",
        year=2023,
        venue=None,
        arxiv_id="2307.09288",
        authors=("Hugo Touvron", "Louis Martin", "Kevin Stone"),
        categories=("foundation-models",),
        tags=("open-weights", "rlhf"),
        summary="Meta开源的基础与对话模型（7B–70B），详细介绍了预训练、监督微调与RLHF的过程。",
        importance=4,
    ),
    SamplePaper(
        key="opro",
        title="Large Language Models as Optimizers",
        short_name="OPRO",
        year=2024,
        venue="ICLR",
        arxiv_id="2309.03409",
        authors=("Chengrun Yang", "Xuezhi Wang", "Yifeng Lu"),
        categories=("operations-research",),
        tags=("optimization", "prompting"),
        summary="用大语言模型作为优化器：在提示中描述优化任务，迭代生成新的解，用于线性回归、旅行商问题与提示优化。",
        importance=3,
    ),
    SamplePaper(
        key="optimus",
        title="OptiMUS: Optimization Modeling Using MIP Solvers and Large Language Models",
        short_name="OptiMUS",
        year=2023,
        venue=None,
        arxiv_id="2310.06116",
        authors=("Ali AhmadiTeshnizi", "Wenzhi Gao", "Madeleine Udell"),
        categories=("operations-research",),
        tags=("optimization", "agents"),
        summary="基于大语言模型的混合整数线性规划建模与求解智能体。",
        importance=2,
    ),
]

_CATEGORIES: list[tuple[str, str, str | None, str | None]] = [
    # (slug, English name, Chinese name, parent slug)
    ("foundation-models", "Foundation models", "基础大模型", None),
    ("architecture", "Architecture", "模型架构", "foundation-models"),
    ("pre-training", "Pre-training", "预训练", "foundation-models"),
    ("alignment", "Alignment", "对齐", None),
    ("rlhf", "RLHF", "人类反馈强化学习", "alignment"),
    ("instruction-tuning", "Instruction tuning", "指令微调", "alignment"),
    ("prompting", "Prompting", "提示学习", None),
    ("in-context-learning", "In-context learning", "上下文学习", "prompting"),
    ("chain-of-thought", "Chain of thought", "思维链", "prompting"),
    ("efficient-fine-tuning", "Efficient fine-tuning", "参数高效微调", None),
    ("retrieval", "Retrieval augmentation", "检索增强", None),
    ("operations-research", "Operations research", "运筹优化", None),
]


def fill_catalogue(session: Session) -> SampleCatalogue:
    """Insert the sample catalogue through the test factories; the caller commits."""
    catalogue = SampleCatalogue()
    for position, (slug, name_en, name_zh, parent) in enumerate(_CATEGORIES):
        catalogue.categories[slug] = make_category(
            session,
            slug,
            name_en=name_en,
            name_zh=name_zh,
            parent=catalogue.categories[parent] if parent else None,
            position=position,
        )
    curator = make_user(session, "curator", role=Role.EDITOR, password=PASSWORD)
    catalogue.users["curator"] = curator
    for name in ("lin", "mei", "omar"):
        catalogue.users[name] = make_user(session, name, password=PASSWORD)
    for sample in _PAPERS:
        catalogue.papers[sample.key] = make_paper(
            session,
            sample.title,
            short_name=sample.short_name,
            year=sample.year,
            venue=sample.venue,
            arxiv_id=sample.arxiv_id,
            url=f"https://arxiv.org/abs/{sample.arxiv_id}",
            pdf_url=f"https://arxiv.org/pdf/{sample.arxiv_id}",
            code_url="https://github.com/microsoft/LoRA" if sample.key == "lora" else None,
            authors=sample.authors,
            categories=[catalogue.categories[slug] for slug in sample.categories],
            tags=sample.tags,
            summary=sample.summary,
            importance=sample.importance,
            slug=sample.key,
        )
    _fill_sources(session, catalogue)
    for key, scores in {"transformer": (5, 5, 4), "gpt3": (5, 4), "lora": (4,), "cot": (5, 4, 3)}.items():
        for user_name, score in zip(("lin", "mei", "omar"), scores, strict=False):
            make_rating(session, catalogue.papers[key], catalogue.users[user_name], score=score)
    return catalogue


def _fill_sources(session: Session, catalogue: SampleCatalogue) -> None:
    papers = catalogue.papers
    reading = make_source(
        session,
        "llm-paper-reading",
        title="LLM_Paper_Reading: 100+ key papers of large language models",
        language="zh",
    )
    reading.repaired_from = "cp1252"
    for section, keys in (
        (("OpenAI/Google 基础语言大模型",), ["gpt3", "instructgpt", "emergent", "t5"]),
        (("LLM的关键技术", "ICL"), ["icl-survey", "self-instruct"]),
        (("LLM的关键技术", "CoT"), ["cot", "zeroshot-cot"]),
    ):
        for key in keys:
            make_source_entry(
                session,
                reading,
                papers[key],
                section_path=section,
                note=papers[key].summary,
                stars=papers[key].importance,
            )
    foundations = make_source(
        session,
        "foundations-of-llms-ch2",
        title="大语言模型 — the Foundations of LLMs paper list",
        language="zh",
    )
    for section, keys in (
        (("2.1 基于Transformer的语言模型",), ["transformer", "bert", "t5", "flash"]),
        (("2.2 大语言模型", "2.2.1 GPT系列"), ["gpt3", "instructgpt", "llama2"]),
        (("2.3 参数高效微调",), ["lora", "qlora"]),
        (("2.4 检索增强",), ["rag", "react"]),
    ):
        for key in keys:
            make_source_entry(session, foundations, papers[key], section_path=section)
    operations = make_source(session, "awesome-llm4or", title="awesome-llm4or", language="en")
    for key in ("opro", "optimus"):
        make_source_entry(
            session,
            operations,
            papers[key],
            section_path=("LLM for optimization modeling",),
            note=papers[key].summary,
        )
