"""Word lists the synthetic catalogue is written from: English prose, Chinese notes, names, venues."""

from __future__ import annotations


def _split(text: str, separator: str | None = "|") -> tuple[str, ...]:
    return tuple(dict.fromkeys(text.split(separator)))  # unique, in order


ADJECTIVES = _split(
    "efficient scalable robust sparse adaptive unified hierarchical multilingual lightweight interpretable "
    "contrastive generative discriminative compositional faithful controllable parameter-efficient "
    "self-supervised instruction-following long-context multimodal retrieval-augmented causal structured "
    "zero-shot few-shot continual federated distributed low-rank quantized verifiable grounded",
    None,
)

METHODS = _split(
    "transformer|attention mechanism|language model|decoder|encoder|mixture of experts|adapter|prompt|"
    "tokenizer|reward model|policy optimization scheme|distillation method|pruning method|"
    "quantization scheme|"
    "embedding model|memory module|planner|agent framework|curriculum|training objective|benchmark|dataset|"
    "pipeline|estimator|retriever|verifier|critic|state-space model|diffusion model|graph network"
)

TASKS = _split(
    "question answering|code generation|machine translation|summarization|mathematical reasoning|"
    "dialogue|information retrieval|text classification|named entity recognition|instruction tuning|"
    "preference alignment|tool use|program synthesis|theorem proving|speech recognition|"
    "image captioning|visual question answering|knowledge editing|fact verification|long document "
    "understanding|table reasoning|clinical prediction|protein design|recommendation|web navigation|"
    "hallucination detection|watermarking|red teaming|data selection|model merging"
)

DOMAINS = _split(
    "large language models|low-resource languages|scientific literature|legal documents|medicine|"
    "software engineering|education|finance|chemistry|robotics|open-domain settings|edge devices|"
    "multilingual corpora|social media|mathematics"
)

PROPERTIES = _split(
    "scaling behaviour|robustness|calibration|emergent abilities|limits|sample efficiency|"
    "generalization|memorization|training dynamics|safety|faithfulness|energy cost"
)

TECHNIQUES = _split(
    "reinforcement learning from human feedback|direct preference optimization|low-rank adaptation|"
    "chain-of-thought prompting|in-context learning|speculative decoding|knowledge distillation|"
    "contrastive pre-training|self-consistency|synthetic data|curriculum learning|sparse attention|"
    "rotary position embeddings|retrieval augmentation|model editing|test-time compute"
)

TITLE_PATTERNS = (
    "{adj} {method} for {task}",
    "{adj} {task} with {technique}",
    "towards {adj} {task} in {domain}",
    "on the {prop} of {method}s",
    "{technique} improves {task}",
    "a survey of {technique} for {domain}",
    "rethinking {technique} for {adj} {task}",
    "{adj} {method}s are {adj} {task} learners",
    "scaling {technique} to {domain}",
    "when does {technique} help {task}?",
)

SENTENCE_PATTERNS = (
    "We propose a {adj} {method} for {task} in {domain}.",
    "Our approach combines {technique} with a {adj} {method}.",
    "Experiments on {task} show that {technique} improves {prop}.",
    "We study the {prop} of {method}s trained with {technique}.",
    "Compared with strong baselines, the {adj} variant reduces cost while keeping {prop}.",
    "This work introduces a benchmark for {task} and evaluates {adj} {method}s on it.",
    "We find that {technique} is crucial for {adj} {task}.",
    "The {method} is trained on data from {domain} and transfers to {task}.",
    "Ablations reveal how {technique} affects the {prop} of the model.",
    "Code and data are released to support research on {task}.",
)

# Curators' notes as the Chinese lists write them; some mention 微调 (fine-tuning), as real notes do.
CHINESE_NOTES = (
    "提出了一种高效的微调方法，显著降低了显存占用",
    "大语言模型的对齐研究，使用人类反馈强化学习",
    "研究指令微调对模型泛化能力的影响",
    "讨论了思维链提示在复杂推理任务上的作用",
    "提出新的检索增强生成框架，减少幻觉",
    "多模态大模型，支持图像和文本输入",
    "研究模型规模与性能之间的缩放规律",
    "一种参数高效的适配器结构，适合低资源场景",
    "用于代码生成的预训练模型及其评测基准",
    "长上下文建模，改进位置编码",
    "基于人类偏好的奖励模型训练方法",
    "面向中文的大模型预训练与评测",
    "智能体规划与工具调用的系统研究",
    "模型量化与推理加速，适合端侧部署",
    "对比学习得到通用的句向量表示",
    "知识蒸馏：用大模型教小模型",
    "数学推理能力的评测与提升",
    "混合专家模型，稀疏激活降低计算量",
    "安全对齐与红队测试",
    "综述：大模型的训练、微调与应用",
)

ENGLISH_NOTES = (
    "Classic paper, read first.",
    "Strong baseline for {task}.",
    "Introduces {technique}.",
    "Good survey of {domain}.",
    "Widely cited; see the follow-up work.",
)

CHINESE_SUMMARY_SENTENCES = (
    "本文提出了一种新的微调策略，在多个基准上取得了更好的效果。",
    "我们研究了大语言模型在中文任务上的表现。",
    "实验表明该方法在推理和生成任务上均有提升。",
    "该工作对预训练数据的质量进行了系统分析。",
    "本文讨论了模型对齐中的若干开放问题。",
)

FIRST_NAMES = _split(
    "Ashish Noam Niki Jakob Llion Aidan Lukasz Illia Tom Jared Dario Sam Alec Ilya Jacob Ming-Wei Kenton "
    "Kristina Colin Adam Katherine Sharan Michael Yanqi Wei Peter Hugo Thibaut Gautier Xavier Marie-Anne "
    "Timothee Baptiste Naman Eric Faisal Aurelien Armand Edouard Guillaume Long Jeff Xu Diogo Carroll "
    "Pamela Chong Sandhini Katarina Alex John Jacob Fraser Luke Maddie Amanda Paul Jan Ryan Yuntao Saurav "
    "Andy Kamal Jackson Anna Nova Tristan Dawn Deep Stanislav Nelson Zac Danny Nicholas Catherine "
    "Jianfeng Yiming Xiaodong Jiawei Zhiyuan Yujia Shengding Weize Yusheng Huadong Chaojun Zhengyan "
    "Yankai Ganqu Zheni Shihao Jie Junxian Haoran Xiang Yuxiao Aohan Zhengxiao Xiao Ming Hanyu Weng "
    "Yifan Zihan Bowen Jingfeng Qian Lei Yu Hao Jun Fang Lan Na Tao Rui Kai Lin Ying Jing Yue Bo Min",
    None,
)

LAST_NAMES = _split(
    "Vaswani Shazeer Parmar Uszkoreit Jones Gomez Kaiser Polosukhin Brown Mann Ryder Subbiah Kaplan "
    "Dhariwal Neelakantan Shyam Sastry Askell Agarwal Herbert-Voss Krueger Henighan Child Ramesh Ziegler "
    "Wu Winter Hesse Chen Sigler Litwin Gray Chess Clark Berner McCandlish Radford Sutskever Amodei "
    "Devlin Chang Lee Toutanova Raffel Roberts Narang Matena Zhou Li Liu Touvron Lavril Izacard Martinet "
    "Lachaux Lacroix Roziere Goyal Hambro Azhar Rodriguez Joulin Grave Lample Ouyang Jiang Almeida "
    "Wainwright Mishkin Zhang Slama Ray Schulman Hilton Kelton Miller Simens Welinder Christiano Leike "
    "Lowe Wei Wang Schuurmans Bosma Ichter Xia Chi Le Zhou Hu Shen Wallis Allen-Zhu Yuan Lin Du Qian "
    "Yang Huang Zhao Xu Sun Ma Zhu Guo He Gao Luo Zheng Han Tang Feng Cao Deng Xie Song Ye Tan Peng Dong",
    None,
)

VENUES = _split(
    "NeurIPS|ICML|ICLR|ACL|EMNLP|NAACL|COLING|AAAI|IJCAI|CVPR|ICCV|ECCV|KDD|SIGIR|WWW|TACL|JMLR|"
    "Nature|Science|arXiv preprint"
)

SHORT_NAME_STEMS = _split(
    "Llama Orca Falcon Phoenix Qwen Baichuan Aquila Vicuna Alpaca Koala Dolly Mistral Gemma Phi Sage "
    "Atlas Retro Flan Pangu Ernie Zephyr Tulu Wizard Coder Math Star Bloom Galactica Chinchilla Gopher",
    None,
)

# Tag names beyond the shipped rules, so there are about 300 tags as in a grown catalogue.
TAG_HEADS = _split(
    "Sparse|Efficient|Multilingual|Robust|Safe|Long-form|Low-resource|Federated|Continual|Causal|"
    "Neural|Interpretable|Verifiable|Multimodal|Structured|Open-domain|Clinical|Legal|Financial|"
    "Scientific|Educational|Conversational"
)
TAG_TAILS = _split(
    "retrieval|decoding|evaluation|pre-training|fine-tuning|distillation|planning|tokenization|"
    "embeddings|generation|summarization|translation|reasoning"
)
