"""Tests of the regulation parser (apps.policies.parsing). Plain pytest, no DB."""

from __future__ import annotations

import datetime
import io
import json
import os
import re
from pathlib import Path

import pytest

from apps.policies.parsing import (
    Node,
    ParseInputError,
    ParseResult,
    flatten_articles,
    iter_nodes,
    parse_text,
    read_upload,
    to_json,
)
from apps.policies.parsing.noise import without_removed
from apps.policies.parsing.numerals import cn_to_int, int_to_cn
from apps.policies.parsing.parser import normalise_input

DOCS = Path(__file__).resolve().parent / "parser_docs"
# shared/ sits beside the clone in CI; a worktree elsewhere names it with OPSPORTAL_SEEDS.
SEEDS = Path(
    os.environ.get("OPSPORTAL_SEEDS") or (Path(__file__).resolve().parents[3] / ".." / "shared" / "seeds")
).resolve()
TEXT_DOCS = sorted(p.name for p in DOCS.glob("*.txt") if p.name not in {"empty.txt", "binary.txt"})


# -- helpers ------------------------------------------------------------------


def assert_keeps_every_character(text: str, result: ParseResult) -> None:
    """Title, preamble, labels, headings and texts in document order give back
    the input's non-whitespace characters exactly: nothing dropped or doubled."""
    parts = [result.front_matter, result.title or "", result.preamble]
    for node, _ in iter_nodes(result.nodes):
        parts += [node.label, node.heading, node.text]
    rebuilt = re.sub(r"\s", "", "".join(parts))
    # Scraping noise the parser removed (and warned about) is the only thing allowed to go.
    original = re.sub(r"\s", "", without_removed(normalise_input(text), result.removed))
    if rebuilt != original:
        at = next(
            (i for i, (a, b) in enumerate(zip(rebuilt, original, strict=False)) if a != b),
            min(len(rebuilt), len(original)),
        )
        pytest.fail(
            f"text differs at {at}: rebuilt {rebuilt[at - 20 : at + 20]!r} vs input {original[at - 20 : at + 20]!r}"
        )


def assert_slugs_unique_and_ascii(result: ParseResult) -> None:
    slugs = [n.slug for n, _ in iter_nodes(result.nodes)]
    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z0-9-]+", s) for s in slugs), slugs


def parse_doc(name: str) -> tuple[str, ParseResult]:
    text = read_upload(name, (DOCS / name).read_bytes())
    result = parse_text(text)
    assert_keeps_every_character(text, result)
    assert_slugs_unique_and_ascii(result)
    return text, result


def by_label(nodes: list[Node], label: str) -> Node:
    return next(n for n, _ in iter_nodes(nodes) if n.label == label)


def labels(nodes: list[Node]) -> list[str]:
    return [n.label for n in nodes]


def articles(result: ParseResult) -> list[Node]:
    return [n for n, _ in iter_nodes(result.nodes) if n.kind == "article"]


# -- every document -------------------------------------------------------------


@pytest.mark.parametrize("name", TEXT_DOCS)
def test_every_document_keeps_every_character_and_has_unique_slugs(name):
    _, result = parse_doc(name)
    assert result.nodes


def test_there_are_enough_test_documents():
    assert len(TEXT_DOCS) >= 8


# -- structure ----------------------------------------------------------------------


def test_line_broken_document_has_chapters_articles_and_items():
    _, result = parse_doc("line_broken.txt")
    assert result.title == "员工考勤管理制度"
    assert result.preamble == ""
    assert [(c.label, c.heading) for c in result.nodes] == [
        ("第一章", "总则"),
        ("第二章", "工作时间"),
        ("第三章", "请假管理"),
        ("第四章", "考勤统计与奖惩"),
        ("第五章", "附则"),
    ]
    assert [a.number for a in articles(result)] == list(range(1, 17))
    third = by_label(result.nodes, "第三条")
    assert third.heading == "" and third.text == "考勤管理遵循以下原则："
    assert labels(third.children) == ["（一）", "（二）", "（三）"]
    assert third.children[0].text == "公平公正，一视同仁；"
    assert third.slug == "a3" and third.children[1].slug == "a3-i2"
    assert result.effective_date == datetime.date(2026, 1, 1)
    assert result.effective_on_publish is False
    assert result.interpreter == "人力资源部"
    assert result.warnings == []


def test_inline_document_without_line_breaks():
    text, result = parse_doc("inline.txt")
    assert "\n" not in text.strip()
    assert result.title == "采购管理制度"
    assert [(c.label, c.heading) for c in result.nodes] == [
        ("第一章", "总则"),
        ("第二章", "采购计划"),
        ("第三章", "供应商管理"),
        ("第四章", "附则"),
    ]
    assert [a.number for a in articles(result)] == list(range(1, 12))
    assert by_label(result.nodes, "第一条").text.startswith("为规范公司采购行为")
    sixth = by_label(result.nodes, "第六条")
    assert sixth.text == "采购计划的审批权限如下："
    # The items lost their final punctuation; （二） still continues （一）.
    assert [(i.label, i.text) for i in sixth.children] == [
        ("（一）", "单笔金额5万元以下的，由采购部负责人审批"),
        ("（二）", "单笔金额5万元至50万元的，由分管副总经理审批"),
        ("（三）", "单笔金额50万元以上的，由总经理办公会审议"),
    ]
    assert [(i.label, i.text) for i in by_label(result.nodes, "第八条").children] == [
        ("1.", "产品质量"),
        ("2.", "交货及时率"),
        ("3.", "价格水平"),
        ("4.", "售后服务"),
    ]
    assert result.effective_on_publish is True and result.effective_date is None
    assert result.interpreter == "运营管理部"
    assert result.warnings == []


def test_chapter_heading_ends_at_the_next_label_when_inline():
    result = parse_text("第一章总则第一条为规范管理，制定本制度。第二章运营流程管理的内容和要求第二条公司应当……")
    assert [(c.heading, labels(c.children)) for c in result.nodes] == [
        ("总则", ["第一条"]),
        ("运营流程管理的内容和要求", ["第二条"]),
    ]


def test_chapter_without_articles_keeps_zongze_as_heading():
    result = parse_text(
        "第一章总则为规范运营部的工作流程，提高工作效率，制定本制度。\n第二章工作职责\n1. 运营部负责产品运营。"
    )
    first, second = result.nodes
    assert (first.heading, first.text) == ("总则", "为规范运营部的工作流程，提高工作效率，制定本制度。")
    assert second.heading == "工作职责"
    assert labels(second.children) == ["1."]


def test_traditional_script_parts_chapters_sections_articles():
    _, result = parse_doc("traditional.txt")
    assert result.title == "資訊安全管理辦法"
    assert [(p.kind, p.label, p.heading) for p in result.nodes] == [
        ("part", "第一編", "總則"),
        ("part", "第二編", "管理規範"),
    ]
    chapter3 = by_label(result.nodes, "第三章")
    assert chapter3.kind == "chapter" and chapter3.slug == "c3"
    assert [(s.kind, s.label, s.heading, s.slug) for s in chapter3.children] == [
        ("section", "第一節", "帳號管理", "c3-s1"),
        ("section", "第二節", "密碼管理", "c3-s2"),
    ]
    fifth = by_label(result.nodes, "第五條")
    assert (fifth.kind, fifth.number, fifth.slug) == ("article", 5, "a5")
    assert [a.number for a in articles(result)] == list(range(1, 15))
    assert labels(by_label(result.nodes, "第九條").children) == ["（一）", "（二）", "（三）"]
    assert result.effective_date == datetime.date(2026, 3, 1)
    assert result.warnings == []


def test_numerals_past_twenty_in_a_long_document():
    _, result = parse_doc("long_numbers.txt")
    arts = articles(result)
    assert [a.number for a in arts] == list(range(1, 113))
    assert len(result.nodes) == 12
    for label, number in (("第二十三条", 23), ("第一百条", 100), ("第一百零五条", 105), ("第一百一十二条", 112)):
        node = by_label(result.nodes, label)
        assert (node.number, node.slug) == (number, f"a{number}")
        assert f"（本条编号{number}）" in node.text or number == 112
    assert by_label(result.nodes, "第十二章").heading == "附则"
    assert result.effective_date == datetime.date(2026, 7, 1)
    assert result.warnings == []


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十三", 23),
        ("九十九", 99),
        ("一百", 100),
        ("一百零五", 105),
        ("一百一十二", 112),
        ("一百二十", 120),
        ("两", 2),
        ("两百", 200),
        ("〇", 0),
        ("零", 0),
        ("一〇五", 105),
    ],
)
def test_chinese_numerals(numeral, value):
    assert cn_to_int(numeral) == value


def test_int_to_cn_round_trips():
    assert [cn_to_int(int_to_cn(n)) for n in range(0, 1000)] == list(range(0, 1000))
    assert int_to_cn(105) == "一百零五" and int_to_cn(112) == "一百一十二" and int_to_cn(12) == "十二"


def test_arabic_article_numbers():
    # A gap at a line start (an excerpt, an amended text) keeps the article, with a warning.
    result = parse_text("第1条 总则性规定。\n第2条 适用范围。\n第12条 节选的条文。")
    assert [a.number for a in articles(result)] == [1, 2, 12]
    assert "第2条 后出现 第12条（缺少第3条至第11条），可能是节选或修订后的文本" in [str(w) for w in result.warnings]


def test_outline_family_nests_four_levels():
    _, result = parse_doc("outline_family.txt")
    assert result.title == "会议管理办法"
    assert result.preamble.startswith("为提高会议效率")
    assert [(c.kind, c.label, c.heading) for c in result.nodes] == [
        ("clause", "一、", "会议类型"),
        ("clause", "二、", "会议组织"),
        ("clause", "三、", "会议纪律"),
        ("clause", "四、", "会议纪要的归档"),
        ("clause", "五、", "附则"),
    ]
    first = result.nodes[0]
    assert [(i.kind, i.label, i.heading) for i in first.children] == [
        ("item", "（一）", "公司例会"),
        ("item", "（二）", "部门周例会"),
    ]
    notice = first.children[0].children[1]
    assert (notice.kind, notice.label) == ("subitem", "2.")
    assert notice.text.startswith("经营分析会")
    points = by_label(result.nodes[1].children, "（一）").children[1].children
    assert [(p.kind, p.label, p.text) for p in points] == [
        ("point", "（1）", "会议时间、地点；"),
        ("point", "（2）", "参会人员；"),
        ("point", "（3）", "会议议题及需要准备的材料。"),
    ]
    assert points[0].slug == "h2-i1-n2-p1"
    # A list entry with a full sentence is text, not heading.
    discipline = result.nodes[2].children[0]
    assert discipline.heading == "" and discipline.text.startswith("参会人员应当准时到会")
    assert result.effective_date == datetime.date(2026, 2, 1)


def test_mixed_families_inside_articles_and_items_restart_per_article():
    _, result = parse_doc("mixed_families.txt")
    third = by_label(result.nodes, "第三条")
    assert labels(third.children) == ["（一）", "（二）", "（三）"]
    assert labels(third.children[0].children) == ["1.", "2.", "3."]
    fourth = by_label(result.nodes, "第四条")
    assert [(c.kind, c.label) for c in fourth.children] == [
        ("subitem", "1、"),
        ("subitem", "2、"),
        ("subitem", "3、"),
        ("subitem", "4、"),
    ]
    fifth = by_label(result.nodes, "第五条")
    assert labels(fifth.children) == ["（一）", "（二）", "（三）", "（四）"]
    score = fifth.children[1]
    assert labels(score.children) == ["1.", "2."]
    assert labels(score.children[1].children) == ["（1）", "（2）"]
    assert {third.children[0].slug, fifth.children[0].slug} == {"a3-i1", "a5-i1"}
    assert result.interpreter == "公司人力资源部"
    assert result.effective_date == datetime.date(2026, 1, 1)  # full-width digits
    assert result.warnings == []


def test_full_width_digits_and_punctuation():
    _, result = parse_doc("fullwidth.txt")
    fourth = by_label(result.nodes, "第４条")
    assert (fourth.number, fourth.slug) == (4, "a4")
    assert [(c.kind, c.label, c.number) for c in fourth.children] == [
        ("subitem", "１．", 1),
        ("subitem", "２．", 2),
        ("subitem", "３．", 3),
        ("subitem", "４．", 4),
    ]
    assert labels(fourth.children[2].children) == ["（１）", "（２）", "（３）"]
    assert labels(by_label(result.nodes, "第９条").children) == ["１、", "２、"]
    assert by_label(result.nodes, "第１０条").number == 10
    assert "４．５分" in by_label(result.nodes, "第８条").text
    assert result.effective_date == datetime.date(2026, 4, 1)
    assert result.warnings == []


# -- false headings -------------------------------------------------------------------


def test_false_heading_traps_stay_text():
    _, result = parse_doc("traps.txt")
    assert [a.number for a in articles(result)] == list(range(1, 20))
    for label in (
        "第一条",
        "第二条",
        "第三条",
        "第四条",
        "第六条",
        "第七条",
        "第九条",
        "第十条",
        "第十三条",
        "第十六条",
    ):
        assert by_label(result.nodes, label).children == [], label
    assert "依照本办法第四条规定的权限审批" in by_label(result.nodes, "第三条").text
    assert "（详见第五条）" in by_label(result.nodes, "第四条").text
    assert "2026.1.1至2026.12.31，根据第八条规定" in by_label(result.nodes, "第七条").text
    assert "第十四条规定的情形除外" in by_label(result.nodes, "第十三条").text
    assert labels(by_label(result.nodes, "第十一条").children) == ["（一）", "（二）", "（三）"]
    twelfth = by_label(result.nodes, "第十二条")
    assert labels(twelfth.children) == ["1.", "2.", "3."]
    assert twelfth.children[0].children == []  # "第（二）项" is a reference
    assert result.interpreter == "财务部"
    assert result.warnings == []


@pytest.mark.parametrize(
    "sentence",
    [
        "本制度适用于市场、销售、财务等部门。",
        "考核档次分为第一、第二、第三档。",
        "费用分为一、二、三类。",
        "坚持统一、规范、高效的原则。",
        "加班费按工资的1.5倍支付。",
        "本制度于2026.1.1修订。",
        "审批时限为3、5个工作日。",
        "具体权限依照本制度第二条规定执行（详见第二条）。",
        "根据第二条规定处理。",
        "本制度分为1.总则和2.分则两部分内容进行说明，具体如下。",
    ],
)
def test_numbers_inside_a_sentence_never_start_a_node(sentence):
    text = f"第一条 {sentence}\n第二条 其他事项。"
    result = parse_text(text)
    assert_keeps_every_character(text, result)
    assert [(n.label, n.children) for n in result.nodes] == [("第一条", []), ("第二条", [])]
    assert result.nodes[0].text == sentence


def test_reference_to_the_next_article_inline():
    text = "第一条为规范管理，制定本制度。第二条员工依照本制度第三条规定申请。第三条本制度自发布之日起施行。"
    result = parse_text(text)
    assert_keeps_every_character(text, result)
    assert [(a.label, a.text) for a in result.nodes] == [
        ("第一条", "为规范管理，制定本制度。"),
        ("第二条", "员工依照本制度第三条规定申请。"),
        ("第三条", "本制度自发布之日起施行。"),
    ]


def test_article_right_after_short_list_entry_inline():
    text = "第一条内容包括:(一)流程设计(二)流程执行第二条各部门应当设计工作流程。"
    result = parse_text(text)
    assert [(a.label, labels(a.children)) for a in result.nodes] == [
        ("第一条", ["(一)", "(二)"]),
        ("第二条", []),
    ]
    assert result.nodes[0].children[1].text == "流程执行"


# -- warnings -----------------------------------------------------------------------------


def test_gaps_and_duplicates_are_reported():
    _, result = parse_doc("gaps.txt")
    assert "第七条 后出现 第九条（缺少第八条）" in [str(w) for w in result.warnings]
    assert "（二） 后出现 （四）（缺少（三））" in [str(w) for w in result.warnings]
    assert "第三章 后出现 第五章（缺少第四章）" in [str(w) for w in result.warnings]
    assert any(w.startswith("无法归位的编号 第十一条") for w in [str(w) for w in result.warnings])
    assert [a.number for a in articles(result)] == [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15]
    # The duplicate stays as text of the article before it.
    assert "第十一条 行政部每季度" in by_label(result.nodes, "第十一条").text


def test_numbering_that_starts_over_is_a_new_document():
    text = "甲制度\n第一章 总则\n第一条 甲。\n第二条 乙。\n乙制度第一章总则第一条丙。\n第二条 丁。"
    result = parse_text(text)
    assert_keeps_every_character(text, result)
    assert_slugs_unique_and_ascii(result)
    assert [(c.label, labels(c.children)) for c in result.nodes] == [
        ("第一章", ["第一条", "第二条"]),
        ("第一章", ["第一条", "第二条"]),
    ]
    assert result.nodes[1].slug == "c1-2" and result.nodes[1].children[0].slug == "a1-2"
    assert any("重新开始编号" in w for w in [str(w) for w in result.warnings])


def test_second_document_on_the_same_line_after_a_full_stop():
    text = "甲制度第一章总则第一条甲。第二条乙。乙制度第一章总则第一条丙。第二条丁。"
    result = parse_text(text)
    assert_keeps_every_character(text, result)
    assert result.title == "甲制度"
    assert [(c.label, labels(c.children)) for c in result.nodes] == [
        ("第一章", ["第一条", "第二条"]),
        ("第一章", ["第一条", "第二条"]),
    ]
    assert result.nodes[0].children[1].text == "乙。乙制度"


def test_list_starting_over_after_a_title_line():
    text = "一、甲\n二、乙\n另一份方案一、目标\n1. 明确目标。\n二、组织\n"
    result = parse_text(text)
    assert_keeps_every_character(text, result)
    assert [(n.label, n.heading) for n in result.nodes] == [
        ("一、", "甲"),
        ("二、", "乙"),
        ("一、", "目标"),
        ("二、", "组织"),
    ]
    assert result.nodes[1].text == "另一份方案"


def test_kangxi_radical_numerals_from_pdf_conversion():
    result = parse_text("\u2f00、总则\n\u2f06、范围")
    assert [(n.kind, n.number, n.label) for n in result.nodes] == [
        ("clause", 1, "\u2f00、"),
        ("clause", 2, "\u2f06、"),
    ]


def test_long_single_line_text_is_parsed_whole():
    one_doc = (DOCS / "inline.txt").read_text(encoding="utf-8")
    text = one_doc * 50
    result = parse_text(text)
    assert_keeps_every_character(text, result)
    assert len(articles(result)) == 11 * 50


# -- title, preamble, effective date, interpreter -----------------------------------------


def test_no_title_when_the_first_line_is_a_heading():
    result = parse_text("第一章 总则\n第一条 为规范管理，制定本制度。")
    assert result.title is None and result.preamble == ""


def test_no_title_when_the_first_line_is_a_sentence():
    result = parse_text("为规范管理，制定本制度。\n第一条 适用范围。")
    assert result.title is None
    assert result.preamble == "为规范管理，制定本制度。"


@pytest.mark.parametrize(
    ("sentence", "date", "on_publish"),
    [
        ("本制度自2026年1月1日起施行。", datetime.date(2026, 1, 1), False),
        ("本制度自2026年01月01日起实施。", datetime.date(2026, 1, 1), False),
        ("本办法自 2026 年 10 月 8 日起执行。", datetime.date(2026, 10, 8), False),
        ("本制度自二〇二六年三月十五日起施行。", datetime.date(2026, 3, 15), False),
        ("本制度自２０２６年１２月３１日起生效。", datetime.date(2026, 12, 31), False),
        ("本制度自发布之日起施行。", None, True),
        ("本规定自印发之日起实施。", None, True),
        ("本制度自XXX年XX月XX日起执行。", None, False),
        ("本制度自2026年2月30日起施行。", None, False),
        ("本制度由总经理办公会审议通过。", None, False),
    ],
)
def test_effective_date(sentence, date, on_publish):
    result = parse_text(f"第一条 {sentence}")
    assert (result.effective_date, result.effective_on_publish) == (date, on_publish)


def test_invalid_effective_date_is_a_warning():
    assert any("施行日期无效" in w for w in map(str, parse_text("本制度自2026年2月30日起施行。").warnings))


@pytest.mark.parametrize(
    ("sentence", "interpreter"),
    [
        ("本制度由运营管理部负责解释。", "运营管理部"),
        ("本制度由公司人力资源部负责解释。", "公司人力资源部"),
        ("如有未尽事宜，由公司董事会负责解释。", "公司董事会"),
        ("本制度由运营部负责人负责解释。", "运营部负责人"),
        ("本办法由财务部解释。", "财务部"),
        ("本制度解释权归运营管理部所有。", "运营管理部"),
        ("本制度的解释权属于人力资源部。", "人力资源部"),
        ("本制度自发布之日起施行。", None),
    ],
)
def test_interpreter(sentence, interpreter):
    assert parse_text(f"第一条 {sentence}").interpreter == interpreter


# -- headings of list entries -------------------------------------------------------------------


def test_short_list_entry_before_a_child_or_line_break_is_a_heading():
    result = parse_text(
        "一、流程设计\n（一）需求分析应当由业务部门提出。\n二、本制度适用于全体员工。\n三、流程执行（一）分工合作。"
    )
    first, second, third = result.nodes
    assert (first.heading, first.text) == ("流程设计", "")
    assert (second.heading, second.text) == ("", "本制度适用于全体员工。")
    assert (third.heading, third.text) == ("流程执行", "")


def test_heading_then_text_on_following_lines():
    result = parse_text("第一章 总则\n本章规定基本原则。\n第一条 为规范管理，制定本制度。")
    chapter = result.nodes[0]
    assert (chapter.heading, chapter.text) == ("总则", "本章规定基本原则。")


# -- serialisation and flattening ------------------------------------------------------------------


def test_to_json_is_serialisable_and_nested():
    _, result = parse_doc("mixed_families.txt")
    data = to_json(result)
    json.dumps(data, ensure_ascii=False)
    assert data["title"] == "绩效考核管理制度"
    assert data["effective_date"] == "2026-01-01"
    assert data["interpreter"] == "公司人力资源部"
    chapter = data["nodes"][0]
    assert {"label", "heading", "text", "children"} <= set(chapter)
    assert chapter["label"] == "第一章" and chapter["children"][0]["label"] == "第一条"
    assert to_json(parse_text(""))["title"] == ""


def test_flatten_articles_gives_paths_and_full_text():
    _, result = parse_doc("line_broken.txt")
    units = flatten_articles(result)
    assert len(units) == 16
    third = units[2]
    assert third["key"] == "a3" and third["label"] == "第三条"
    assert third["path"] == "第一章 > 第三条"
    assert third["text"].splitlines() == [
        "考勤管理遵循以下原则：",
        "（一） 公平公正，一视同仁；",
        "（二） 制度面前人人平等；",
        "（三） 奖惩分明，注重实效。",
    ]


def test_flatten_articles_without_articles_uses_top_list_level():
    _, result = parse_doc("outline_family.txt")
    units = flatten_articles(result)
    assert [u["label"] for u in units] == ["一、", "二、", "三、", "四、", "五、"]
    assert units[0]["heading"] == "会议类型"


# -- odd input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n", "\ufeff", "第", "（", "1.", "第一条", "一、", "\x00\x01"])
def test_odd_text_does_not_crash(text):
    result = parse_text(text)
    assert_keeps_every_character(text, result)


def test_random_fragments_keep_every_character():
    import random

    fragments = [
        "第一章",
        "第二章总则",
        "第一条",
        "第二条",
        "第三条",
        "第十二条",
        "第一节",
        "第一编",
        "一、",
        "二、",
        "三.",
        "（一）",
        "(二)",
        "（三）",
        "1.",
        "2、",
        "３．",
        "（1）",
        "(2)",
        "。",
        "；",
        "：",
        "，",
        "\n",
        " ",
        "\u3000",
        "总则",
        "本制度",
        "依照本制度",
        "规定",
        "1.5倍",
        "2026.1.1",
        "市场、销售",
        "统一、",
        "自2026年1月1日起施行",
        "由运营管理部负责解释",
        "文字内容",
        "（详见第三条）",
        "㈠",
        "\t",
    ]
    rng = random.Random(20260101)
    for _ in range(300):
        text = "".join(rng.choice(fragments) for _ in range(rng.randint(0, 60)))
        result = parse_text(text)
        assert_keeps_every_character(text, result)
        assert_slugs_unique_and_ascii(result)


def test_windows_line_endings():
    text = "标题\r\n第一条 甲。\r\n第二条 乙。\r\n"
    result = parse_text(text)
    assert result.title == "标题" and [n.text for n in result.nodes] == ["甲。", "乙。"]


# -- read_upload -----------------------------------------------------------------------------------


def test_read_utf8_and_utf8_with_bom():
    text = "员工守则\n第一条 总则。"
    assert read_upload("a.txt", text.encode("utf-8")) == text
    assert read_upload("a.TXT", b"\xef\xbb\xbf" + text.encode("utf-8")) == text


def test_read_gbk_file():
    data = (DOCS / "gbk.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = read_upload("gbk.txt", data)
    assert text.startswith("薪酬福利管理制度")
    result = parse_text(text)
    assert labels(by_label(result.nodes, "第四条").children) == ["（一）", "（二）", "（三）", "（四）"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_read_utf16_with_bom(encoding):
    text = "员工守则\r\n第一条 总则。"
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    assert read_upload("a.txt", bom + text.encode(encoding)) == "员工守则\n第一条 总则。"


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("empty.txt", (DOCS / "empty.txt").read_bytes(), "文件为空"),
        ("blank.txt", b"  \r\n \n", "文件为空"),
        ("binary.txt", (DOCS / "binary.txt").read_bytes(), "不是文本文件"),
        ("fake.docx", (DOCS / "fake.docx").read_bytes(), "不是有效的 .docx"),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 50, "不是有效的 .docx"),
        ("a.pdf", b"%PDF-1.7", "不是有效的 PDF"),
        ("a.odt", b"PK", "不支持的文件类型 .odt"),
        ("noext", b"abc", "不支持的文件类型"),
        ("latin.txt", bytes(range(0x80, 0x100)) * 4, "无法识别文件编码"),
    ],
)
def test_read_upload_rejects_bad_files(filename, data, message):
    with pytest.raises(ParseInputError) as excinfo:
        read_upload(filename, data)
    assert message in str(excinfo.value)
    assert isinstance(excinfo.value, ValueError)


def _docx_bytes(paragraphs: list[str]) -> bytes:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_read_real_docx():
    data = _docx_bytes(
        [
            "差旅费管理办法",
            "第一章 总则",
            "第一条 为规范差旅费报销，制定本办法。",
            "第二条 出差审批：",
            "（一）省内出差由部门负责人审批；",
            "（二）省外出差由分管领导审批。",
            "第二章 附则",
            "第三条 本办法自2026年6月1日起施行。",
        ]
    )
    text = read_upload("差旅.docx", data)
    assert text.splitlines()[0] == "差旅费管理办法"
    result = parse_text(text)
    assert_keeps_every_character(text, result)
    assert result.title == "差旅费管理办法"
    assert [(c.heading, labels(c.children)) for c in result.nodes] == [
        ("总则", ["第一条", "第二条"]),
        ("附则", ["第三条"]),
    ]
    assert labels(by_label(result.nodes, "第二条").children) == ["（一）", "（二）"]
    assert result.effective_date == datetime.date(2026, 6, 1)


def test_docx_without_text_is_empty():
    with pytest.raises(ParseInputError, match="文件为空"):
        read_upload("blank.docx", _docx_bytes(["", "  "]))


# -- seeds (real documents, several run together, with scraping noise) ---------------------------------

SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds not present")
@pytest.mark.parametrize("path", SEED_FILES, ids=[p.name for p in SEED_FILES])
def test_seed_keeps_every_character(path):
    text = read_upload(path.name, path.read_bytes())
    result = parse_text(text)
    assert_keeps_every_character(text, result)
    assert_slugs_unique_and_ascii(result)
    assert result.nodes
    json.dumps(to_json(result), ensure_ascii=False)


def _seed(prefix: str) -> ParseResult:
    matches = [p for p in SEED_FILES if p.name.startswith(prefix)]
    if not matches:
        pytest.skip(f"seed {prefix} not present")
    return parse_text(matches[0].read_text(encoding="utf-8"))


def test_seed_000_first_document_tree():
    result = _seed("000_")
    assert result.title == "公司运营管理制度流程"
    assert "格式" not in result.preamble
    assert "已删除网站的文件信息：- 格式:docx" in [str(w) for w in result.warnings]
    first_doc = result.nodes[:3]
    assert [(c.label, c.heading) for c in first_doc] == [
        ("第一章", "总则"),
        ("第二章", "运营流程管理的内容和要求"),
        ("第三章", "运营流程管理的具体步骤"),
    ]
    assert [a.number for c in first_doc for a in c.children] == list(range(1, 12))
    eleventh = by_label(first_doc, "第十一条")
    assert [(i.label, i.heading, len(i.children)) for i in eleventh.children] == [
        ("(一)", "流程设计", 3),
        ("(二)", "流程执行", 3),
        ("(三)", "流程监控", 2),
    ]
    assert result.effective_on_publish is True


def test_seed_001_first_document_tree():
    result = _seed("001_")
    assert result.title == "运营管理 运营流程概要"
    assert [n.label for n in result.nodes[:6]] == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert "2.1 目标设定" in result.nodes[1].text  # decimal sub-numbers stay text


def test_seed_002_first_document_tree():
    result = _seed("002_")
    assert result.title == "运营管理制度"
    assert result.preamble == "品牌运营管理制度"
    first_doc = result.nodes[:5]
    assert [c.heading for c in first_doc] == [
        "总则",
        "品牌定位与规划",
        "品牌传播与推广",
        "品牌维护与监督",
        "团队建设与培训",
    ]
    assert labels(by_label(first_doc, "第三条").children) == ["1.", "2.", "3.", "4."]
