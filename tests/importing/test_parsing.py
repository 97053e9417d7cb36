"""The markdown parser over fixtures imitating each list shape and trap, and over the clean seed lists."""

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.importing.parsing import ParsedEntry, ParsedList, parse_markdown

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).parents[2] / "seeds"


def parse_fixture(name: str) -> ParsedList:
    return parse_markdown((FIXTURES / name).read_text(encoding="utf-8"))


def by_title(parsed: ParsedList, title: str) -> list[ParsedEntry]:
    return [entry for entry in parsed.entries if entry.title == title]


def one(parsed: ParsedList, title: str) -> ParsedEntry:
    (entry,) = by_title(parsed, title)
    return entry


def warnings_of(parsed: ParsedList) -> list[tuple[int, str]]:
    return [(warning.line, warning.code) for warning in parsed.warnings]


# --- tables with Chinese notes and ✡ importance marks -------------------------------------------


@pytest.fixture(scope="module")
def ranked() -> ParsedList:
    return parse_fixture("chinese_ranked_tables.md")


def test_ranked_tables_document_shape(ranked):
    assert ranked.title == "Paper Reading Notes"
    assert ranked.formats == ("table",)
    assert len(ranked.entries) == 15


def test_ranked_tables_section_paths_are_cleaned(ranked):
    paths = {entry.section_path for entry in ranked.entries}
    assert paths == {
        ("基础语言大模型",),  # "⾔⼤" are CJK radicals folded by NFKC
        ("LLM的关键技术",),  # trailing full-width colon dropped
        ("LLM的关键技术", "ICL"),  # "1. ## ICL" is a heading written as a list item
        ("LLM的关键技术", "CoT"),  # "2.2CoT"
        ("LLM的关键技术", "RLHF"),
        ("LLM的关键技术", "PEFT"),
        ("类ChatGPT开源模型",),
    }


def test_ranked_tables_stars_and_numbers(ranked):
    gpt3 = one(ranked, "Language Models are Few-Shot Learners")
    assert (gpt3.list_number, gpt3.stars, gpt3.position) == ("2", 5, 2)
    codex = one(ranked, "Evaluating Large Language Models Trained on Code")
    assert (codex.list_number, codex.stars) == ("3", 0)  # numbered but unmarked: rated 0
    unnumbered = one(ranked, "Illustrating Reinforcement Learning from Human Feedback")
    assert (unnumbered.list_number, unnumbered.stars) == (None, None)  # never rated


def test_ranked_tables_warnings_have_lines(ranked):
    assert warnings_of(ranked) == [
        (31, "duplicate-number"),
        (47, "no-title"),
        (48, "unparsed"),
        (49, "empty-row"),
    ]
    duplicate = ranked.warnings[0]
    assert "line 30" in duplicate.message


def test_ranked_tables_keep_both_rows_numbered_alike(ranked):
    icl = [entry for entry in ranked.entries if entry.section_path == ("LLM的关键技术", "ICL")]
    assert [entry.list_number for entry in icl] == ["1", "2", "2", "3"]
    assert [entry.position for entry in icl] == [1, 2, 3, 4]


def test_ranked_tables_keep_the_same_paper_twice(ranked):
    twice = by_title(ranked, "Fine-Tuning Language Models from Human Preferences")
    assert [entry.line for entry in twice] == [44, 45]  # the second title had a trailing space
    assert {entry.stars for entry in twice} == {5, 1}


def test_ranked_tables_links_year_and_note(ranked):
    attention = one(ranked, "Attention Is All You Need")
    assert attention.url == attention.pdf_url == "https://arxiv.org/pdf/1706.03762"
    assert attention.year == 2017  # from the arXiv id
    survey = one(ranked, "A Survey on In-context Learning")
    assert survey.note is not None
    assert survey.note.startswith("ICL 综述 **[Paper List](https://github.com/dqxiu/ICL_PaperList)**")
    assert survey.extra_links == [
        ("Paper List", "https://github.com/dqxiu/ICL_PaperList"),
        ("", "https://github.com/microsoft/LMOps"),
    ]
    assert survey.code_url is None  # links inside a note describe other things
    gpt1 = one(ranked, "Improving Language Understanding by Generative Pre-Training")
    assert gpt1.year is None  # no arXiv link, no date
    assert gpt1.note == "GPT原始论文，提出了解码器架构"  # "⽂" folded to "文"


def test_ranked_tables_short_name_and_repository_titles(ranked):
    lamda = one(ranked, "Language Models for Dialog Applications")
    assert lamda.short_name == "LaMDA"
    assert lamda.year == 2022
    chatglm = one(ranked, "ChatGLM-6B")
    assert chatglm.url == chatglm.code_url == "https://github.com/THUDM/ChatGLM-6B"
    assert chatglm.extra_links == [("General Language Model (GLM)", "https://github.com/THUDM/GLM")]


def test_ranked_tables_raw_is_the_row_as_written(ranked):
    entry = one(ranked, "Offsite-Tuning: Transfer Learning without Full Model")
    assert entry.raw.startswith("| 3✡     | [Offsite-Tuning")
    assert entry.line == entry.end_line == 32
    assert entry.note is None


# --- tables with Chinese headers, dates and no links ---------------------------------------------


def test_chinese_headers_without_links():
    parsed = parse_fixture("chinese_headers_no_links.md")
    assert parsed.title == "awesome-llm-notes"
    assert len(parsed.entries) == 5
    assert parsed.warnings == []
    sparse = one(parsed, "Generating Long Sequences with Sparse Transformers")
    assert sparse.section_path == ("论文整理", "模型结构优化")
    assert (sparse.year, sparse.published) == (2019, "2019-04")
    assert sparse.note == "一种更加高效的Transformer结构设计"
    assert sparse.url is None
    bigtrans = [entry for entry in parsed.entries if entry.title.startswith("BigTrans: Augmenting")]
    assert [entry.section_path[-1] for entry in bigtrans] == ["多语言大模型", "计算层优化"]
    literal = one(parsed, "Do GPTs Produce Less Literal Translations?")
    assert literal.published == "2023-05"  # from "2023年5月"


# --- English tables: rating columns, venues, code, badges ---------------------------------------


@pytest.fixture(scope="module")
def columns() -> ParsedList:
    return parse_fixture("ratings_and_columns.md")


@pytest.mark.parametrize(
    ("title", "stars"),
    [
        ("Scaling Laws for Neural Language Models", 3),  # ★★★☆☆
        ("Training Compute-Optimal Large Language Models", 4),  # ⭐⭐⭐⭐
        ("Emergent Abilities of Large Language Models", 4),  # 4/5
        ("Sparks of Artificial General Intelligence", 4),  # 8/10
        ("The Curse of Recursion", None),  # empty rating cell
    ],
)
def test_rating_column_forms(columns, title, stars):
    assert one(columns, title).stars == stars


def test_table_columns_by_header(columns):
    attention = one(columns, "Attention Is All You Need")
    assert attention.venue == "NeurIPS"  # the citation badge after <br> is dropped
    assert attention.published == "2017-06"
    assert attention.note == "keywords: Transformers\nInstitute: Google"
    llava = one(columns, "Visual Instruction Tuning")  # [**title**](url) between a badge and <br>
    assert (llava.venue, llava.year, llava.published) == ("NeurIPS", 2023, "2023-04")
    assert llava.code_url == "https://github.com/haotian-liu/LLaVA"
    assert llava.extra_links == [("Demo", "https://llava.hliu.cc/")]
    assert llava.note is None
    kaplan = one(columns, "Scaling Laws for Neural Language Models")
    assert kaplan.authors == ["Jared Kaplan", "Sam McCandlish"]
    assert (kaplan.list_number, kaplan.year) == ("1", 2020)


def test_table_row_missing_its_title_cell_is_reported(columns):
    assert warnings_of(columns) == [(26, "unparsed")]
    assert len(columns.entries) == 9


# --- numbered bibliographic entries ---------------------------------------------------------------


@pytest.fixture(scope="module")
def bibliography() -> ParsedList:
    return parse_fixture("bibliographic.md")


def test_bibliography_skips_the_table_of_contents_and_cleans_icons(bibliography):
    assert bibliography.title == "大语言模型"
    assert bibliography.formats == ("bibliographic",)
    assert len(bibliography.entries) == 9
    assert bibliography.entries[0].section_path == ("规模定律",)
    assert not any("#" in (entry.url or "") for entry in bibliography.entries[:1])


def test_bibliography_entry_fields(bibliography):
    attention = one(bibliography, "Attention is all you need")
    assert attention.section_path == ("大语言模型架构概览",)
    assert attention.url == attention.pdf_url == "https://arxiv.org/pdf/1706.03762"
    assert (attention.venue, attention.year) == ("NeurIPS", 2017)
    assert attention.authors[:2] == ["Ashish Vaswani", "Noam Shazeer"]
    assert (attention.line, attention.end_line) == (18, 19)
    assert attention.note is None


def test_bibliography_skipped_numbering_and_non_arxiv_pdfs(bibliography):
    encoders = [e for e in bibliography.entries if e.section_path == ("基于 Encoder-only 架构的大语言模型",)]
    assert [entry.list_number for entry in encoders] == ["1", "2", "4", "5"]
    assert [entry.position for entry in encoders] == [1, 2, 3, 4]
    bert = encoders[1]
    assert bert.pdf_url == "https://aclanthology.org/N19-1423.pdf"
    assert bert.code_url == "https://github.com/google-research/bert"
    assert (bert.venue, bert.year) == ("NAACL", 2018)
    flan = encoders[3]  # spread over three lines
    assert (flan.line, flan.end_line) == (31, 33)
    assert flan.venue == "Journal of Machine Learning Research"
    assert flan.pdf_url == "https://www.jmlr.org/papers/volume25/23-0870/23-0870.pdf"
    assert flan.code_url is not None
    assert flan.code_url.endswith("#flan-t5-checkpoints")
    assert flan.year == 2024


def test_bibliography_empty_section_and_author_forms(bibliography):
    assert warnings_of(bibliography) == [(37, "empty-item")]
    assert not [e for e in bibliography.entries if e.section_path == ("基于 Decoder-only 架构的大语言模型",)]
    assert one(bibliography, "PaLM 2 Technical Report").authors == ["Google"]
    ttt = one(bibliography, "Learning to (Learn at Test Time): RNNs with Expressive Hidden States")
    assert ttt.authors == ["Yu Sun", "Xinhao Li", "Karan Dalal", "Sanmi Koyejo"]
    rwkv = one(bibliography, "RWKV: Reinventing RNNs for the Transformer Era")
    assert rwkv.authors[-1] == "Rui-Jie Zhu"
    assert rwkv.list_number == "3"


# --- link lists ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def links() -> ParsedList:
    return parse_fixture("awesome_link_list.md")


def test_link_list_document(links):
    assert links.title == "Awesome Language Agents"  # the badge in the H1 is dropped
    assert links.formats == ("link-list",)
    titles = [entry.title for entry in links.entries]
    assert "Agents" not in titles  # the table of contents is not a list of papers
    assert "Contribution guidelines" not in titles
    assert "Not a paper" not in titles  # inside a code block
    assert "Hidden paper" not in titles  # inside an HTML comment
    assert len(links.entries) == 11


def test_link_list_shapes(links):
    react = one(links, "ReAct: Synergizing Reasoning and Acting in Language Models")
    assert react.section_path == ("Agents",)  # "🔥 Agents"
    assert react.note == "Interleaves reasoning traces with actions."
    assert react.code_url == "https://github.com/ysymyth/ReAct"  # from the stars badge's link
    assert react.year == 2022
    toolformer = one(links, "Toolformer: Language Models Can Teach Themselves to Use Tools")
    assert toolformer.note == "the model decides which API to call."
    agents = one(links, "Generative Agents: Interactive Simulacra of Human Behavior")
    assert (agents.year, agents.stars, agents.note) == (2023, 3, "A town of 25 agents.")
    voyager = one(links, "Voyager: An Open-Ended Embodied Agent with Large Language Models")
    assert voyager.url == "https://arxiv.org/abs/2305.16291"
    assert voyager.code_url == "https://github.com/MineDojo/Voyager"
    assert voyager.extra_links == [("project", "https://voyager.minedojo.org/")]
    assert voyager.note is None


def test_link_list_nested_note_belongs_to_its_parent(links):
    autogpt = one(links, "AutoGPT")
    assert autogpt.note == "An autonomous GPT-4 experiment; see also [the docs](https://docs.agpt.co)."
    assert autogpt.extra_links == [("the docs", "https://docs.agpt.co")]
    assert (autogpt.line, autogpt.end_line) == (22, 23)


def test_link_list_warnings(links):
    assert warnings_of(links) == [(24, "empty-item"), (25, "unparsed")]


def test_link_list_details_summary_and_reference_links(links):
    consistency = one(links, "Self-Consistency Improves Chain of Thought Reasoning in Language Models")
    assert consistency.section_path == ("Prompting", "Chain of Thought")
    assert consistency.url == "https://arxiv.org/abs/2203.11171"  # a reference-style link
    zero_shot = one(links, "Large Language Models are Zero-Shot Reasoners")
    assert zero_shot.section_path == ("Prompting", "Chain of Thought", "Zero-shot")
    after = one(links, "Chain-of-Thought Prompting Elicits Reasoning in Large Language Models")
    assert after.section_path == ("Prompting",)  # </details> closes the summary's section


def test_lazy_numbering_is_not_a_duplicate(links):
    retrieval = [entry for entry in links.entries if entry.section_path == ("Retrieval",)]
    assert [entry.list_number for entry in retrieval] == ["1", "1", "1"]
    dpr = retrieval[2]
    assert dpr.pdf_url == "https://aclanthology.org/2020.emnlp-main.550.pdf"
    assert dpr.year is None


# --- bibliographic reading lists with plain-text venues -------------------------------------------


def test_reading_list_shapes():
    parsed = parse_fixture("reading_list_bibliographic.md")
    assert parsed.warnings == []
    assert parsed.formats == ("bibliographic", "link-list")
    elmo = one(parsed, "Deep contextualized word representations")
    assert (elmo.venue, elmo.year) == ("NAACL", 2018)
    assert elmo.authors[-1] == "Luke Zettlemoyer"
    assert elmo.extra_links == [("project", "https://allennlp.org/elmo")]
    assert elmo.note == "(**ELMo**)"
    survey = one(parsed, "Pre-trained Models for Natural Language Processing: A Survey")
    assert (survey.venue, survey.year) == ("Science China Technological Sciences", 2020)
    gpt2 = one(parsed, "Language Models are Unsupervised Multitask Learners")
    assert (gpt2.venue, gpt2.year, gpt2.code_url) == ("OpenAI Blog", 2019, "https://github.com/openai/gpt-2")
    cot = one(parsed, "Chain of Thought Prompting Elicits Reasoning in Large Language Models")
    assert (cot.authors, cot.venue, cot.year) == (["Wei"], "NeurIPS", 2022)
    tot = one(parsed, "Tree of Thoughts: Deliberate Problem Solving with Large Language Models")
    assert (tot.published, tot.note) == ("2023-05", "Search over thoughts.")
    react = one(parsed, "ReAct: Synergizing Reasoning and Acting in Language Models")
    assert (react.venue, react.year) == ("ICLR", 2023)
    self_instruct = one(parsed, "Self-Instruct: Aligning Language Models with Self-Generated Instructions")
    assert (self_instruct.venue, self_instruct.year) == ("ACL", 2023)
    assert self_instruct.url == "https://aclanthology.org/2023.acl-long.754/"
    zhao = one(parsed, "A Survey of Large Language Models")
    assert (zhao.authors, zhao.venue, zhao.year) == (["Zhao"], "arXiv", 2023)


@pytest.mark.parametrize(
    ("markdown", "title", "year"),
    [
        (
            "- (Un)likelihood Training [[paper](https://arxiv.org/abs/1908.04319)]",
            "(Un)likelihood Training",
            2019,
        ),
        ("- [[2023] A Bracketed Title](https://example.org/p) - note", "[2023] A Bracketed Title", None),
        ("- “Curly Quoted Title,” Someone. [pdf](https://example.org/p.pdf)", "Curly Quoted Title", None),
        ("* <b>[Title in HTML](https://arxiv.org/abs/2101.00001)</b> &amp; more", "Title in HTML", 2021),
        ('- [Title](<https://arxiv.org/abs/2101.00001> "hover")', "Title", 2021),
    ],
)
def test_single_item_shapes(markdown, title, year):
    (entry,) = parse_markdown(markdown).entries
    assert (entry.title, entry.year) == (title, year)


def test_placeholders_are_skipped_with_a_warning():
    parsed = parse_markdown(
        "## S\n- TBD\n- ...\n- **待补充**\n- [A](https://a.b/c)\n\n"
        "| Paper | Note |\n|--|--|\n| TBD | - |\n| [B](https://x.y) | ok |\n"
    )
    assert [entry.title for entry in parsed.entries] == ["A", "B"]
    assert warnings_of(parsed) == [(2, "empty-item"), (3, "empty-item"), (4, "empty-item"), (9, "empty-row")]


# --- headings ------------------------------------------------------------------------------------


def test_heading_forms():
    parsed = parse_fixture("headings_and_html.md")
    assert parsed.title == "Awesome Efficient LLMs"  # setext H1
    assert [entry.section_path for entry in parsed.entries] == [
        ("Quantization",),  # setext H2
        ("Serving",),  # <h2> with emoji
        ("高效推理",),  # "一、" numbering and a full-width colon
        ("注意力机制",),  # "第二章" and closing hashes
    ]
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("markdown", "path"),
    [
        (
            "## 2.5 Embedding/位置编码/激活函数/attention加速\n- [P](https://a.b/c)",
            ("Embedding/位置编码/激活函数/attention加速",),
        ),
        ("### 3D Vision\n- [P](https://a.b/c)", ("3D Vision",)),
        ("## 1) **Surveys** :\n- [P](https://a.b/c)", ("Surveys",)),
        ("## [Agents](https://x.y) 🤖\n- [P](https://a.b/c)", ("Agents",)),
    ],
)
def test_heading_cleaning(markdown, path):
    (entry,) = parse_markdown(markdown).entries
    assert entry.section_path == path


def test_only_the_leading_h1_is_the_title():
    parsed = parse_markdown("# Papers\n\n# Models\n- [A](https://a.b/1)\n# Data\n- [B](https://a.b/2)\n")
    assert parsed.title == "Papers"
    assert [entry.section_path for entry in parsed.entries] == [("Models",), ("Data",)]


# --- the clean seed lists -------------------------------------------------------------------------


def test_seed_foundations_of_llms():
    parsed = parse_markdown((SEEDS / "foundations-of-llms-ch2.md").read_text(encoding="utf-8"))
    assert parsed.title == "大语言模型"
    assert parsed.formats == ("bibliographic",)
    assert len(parsed.entries) == 20
    assert warnings_of(parsed) == [(66, "empty-item")]
    attention = one(parsed, "Attention is all you need")
    assert attention.url is not None
    assert "1706.03762" in attention.url
    assert attention.pdf_url == attention.url
    assert (attention.year, attention.venue) == (2017, "NeurIPS")
    assert attention.authors[0] == "Ashish Vaswani"
    assert len(attention.authors) == 8
    assert attention.section_path == ("大语言模型架构概览",)
    mt5 = one(parsed, "mT5: A Massively Multilingual Pre-trained Text-to-Text Transformer")
    assert mt5.pdf_url == "https://aclanthology.org/2021.naacl-main.41.pdf"
    assert (mt5.code_url, mt5.year) == ("https://goo.gle/mt5-code", 2021)
    sections = [entry.section_path[-1] for entry in parsed.entries]
    assert sections.count("基于 Encoder-only 架构的大语言模型") == 5
    assert sections.count("非 Transformer 架构") == 5
    assert all(entry.authors and entry.year and entry.venue for entry in parsed.entries)


def test_seed_awesome_llm4or():
    parsed = parse_markdown((SEEDS / "awesome-llm4or.md").read_text(encoding="utf-8"))
    assert parsed.title == "awesome-llm4or"
    assert parsed.formats == ("table",)
    assert len(parsed.entries) == 22
    assert parsed.warnings == []
    assert {entry.section_path[-1] for entry in parsed.entries} == {
        "模型结构优化",
        "多语言大模型",
        "计算层优化",
        "大模型原理研究",
        "LLM复杂任务",
        "GPT生成检测",
        "LLM能力测评",
        "多模态大模型",
    }
    flexgen = one(
        parsed, "FlexGen: High-throughput Generative Inference of Large Language Models with a Single GPU"
    )
    assert (flexgen.year, flexgen.published, flexgen.url) == (2023, "2023-03", None)
    assert flexgen.note is not None
    assert flexgen.note.startswith("FlexGen能够在显存容量有限的GPU中运行大语言模型")
    assert len([e for e in parsed.entries if e.title.startswith("BigTrans")]) == 2
    assert all(entry.year for entry in parsed.entries)


# --- robustness and speed --------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("|-*#[]()`<>!✡⭐ \n\tab1.:中")), max_size=300))
def test_never_raises_on_arbitrary_markdown(text):
    parsed = parse_markdown(text)
    for entry in parsed.entries:
        assert entry.title
        assert 1 <= entry.line <= entry.end_line


def test_unclosed_blocks_do_not_swallow_the_rest_silently():
    parsed = parse_markdown("<details>\n<summary>Open</summary>\n\n- [A](https://a.b/1)\n")
    assert [entry.section_path for entry in parsed.entries] == [("Open",)]
    unclosed = parse_markdown("# T\n```\n- [A](https://a.b/1)\n- [B](https://a.b/2)")
    assert unclosed.entries == []
    assert warnings_of(unclosed) == [(2, "unclosed-block")]


def _big_list(sections: int) -> str:
    parts = []
    for section in range(sections):
        parts.append(f"## Section {section}\n\n| ID | Paper | Introduction |\n|---|---|---|\n")
        parts.extend(
            f"| {i}✡✡ | [Paper {section}-{i}](https://arxiv.org/abs/2301.{i:05d}) | 说明 [x](https://x.org/{i})\n"
            for i in range(1, 35)
        )
        parts.append("\n### Books\n\n")
        parts.extend(
            f"{i}. **Title {section} {i}.** `NeurIPS`\n    *Alice Smith, Bob Jones.* "
            f"[[PDF](https://arxiv.org/pdf/2101.{i:05d})][[Code](https://github.com/a/b)], 2021.\n\n"
            for i in range(1, 34)
        )
        parts.append("\n### Links\n\n")
        parts.extend(
            f"- [Link {section} {i}](https://arxiv.org/abs/2201.{i:05d}) - a note\n" for i in range(1, 34)
        )
    return "".join(parts)


def test_five_thousand_entries_parse_in_linear_time():
    text = _big_list(50)
    started = time.process_time()
    parsed = parse_markdown(text)
    elapsed = time.process_time() - started
    assert len(parsed.entries) == 5_000
    assert parsed.warnings == []
    assert elapsed < 2.5  # about 0.5 s on a laptop; anything quadratic would take minutes
