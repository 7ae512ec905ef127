"""Structure the parser recognises beyond chapters/articles/lists (issue 16):
第X条之一, 款, numbering gaps, appendices, tables, English and Roman headings,
第X部分, and the recognition rules in Traditional script. Plain pytest, no DB."""

from __future__ import annotations

import pytest

from apps.policies.parsing import iter_nodes, parse_text
from apps.policies.parsing.tables import find_tables, table_rows
from apps.policies.tests.test_parsing import assert_keeps_every_character, assert_slugs_unique_and_ascii


def parsed(text: str):
    result = parse_text(text)
    assert_keeps_every_character(text, result)
    assert_slugs_unique_and_ascii(result)
    return result


def tree(result) -> list[tuple[int, str, str, str]]:
    return [(len(a), n.kind, n.label, n.heading + n.text) for n, a in iter_nodes(result.nodes)]


def test_article_zhi_yi_is_its_own_article_and_keeps_the_count():
    result = parsed("第五条 事先申请。\n第五条之一 紧急出差可以事后补办。\n第五条之二 三日内补办。\n第六条 报销。")
    assert [(n.label, n.number, n.sub, n.slug) for n in result.nodes] == [
        ("第五条", 5, 0, "a5"),
        ("第五条之一", 5, 1, "a5x1"),
        ("第五条之二", 5, 2, "a5x2"),
        ("第六条", 6, 0, "a6"),
    ]


def test_zhi_yi_inline_and_as_a_reference():
    result = parsed("第一条 甲。第一条之一 乙，依照第一条之一的规定。第二条 丙。")
    assert [n.label for n in result.nodes] == ["第一条", "第一条之一", "第二条"]
    assert "依照第一条之一的规定" in result.nodes[1].text


def test_kuan_after_the_list_belong_to_the_article():
    result = parsed(
        "第六条 报销范围如下：\n（一）交通费；\n（二）住宿费。\n"
        "前款规定的标准由财务部另行制定。\n超出部分由个人承担。\n第七条 附则。"
    )
    article = result.nodes[0]
    assert [(c.kind, c.label, c.text) for c in article.children] == [
        ("item", "（一）", "交通费；"),
        ("item", "（二）", "住宿费。"),
        ("paragraph", "", "前款规定的标准由财务部另行制定。"),
        ("paragraph", "", "超出部分由个人承担。"),
    ]
    assert [c.slug for c in article.children[2:]] == ["a6-k2", "a6-k3"]


def test_xiang_and_mu_nest_under_the_article():
    result = parsed("第八条 审批权限：\n（一）金额在一万元以下的：\n1. 部门负责人审批；\n2. 财务复核。\n（二）其他。")
    assert tree(result) == [
        (0, "article", "第八条", "审批权限："),
        (1, "item", "（一）", "金额在一万元以下的："),
        (2, "subitem", "1.", "部门负责人审批；"),
        (2, "subitem", "2.", "财务复核。"),
        (1, "item", "（二）", "其他。"),
    ]


def test_a_numbering_gap_keeps_later_articles_as_articles():
    result = parsed("第一条 甲。\n第二条 乙。\n第十条 丙。\n第十一条 丁。")
    assert [n.number for n in result.nodes] == [1, 2, 10, 11]
    assert [str(w) for w in result.warnings] == ["第二条 后出现 第十条（缺少第三条至第九条），可能是节选或修订后的文本"]


def test_a_gap_mid_sentence_is_still_text():
    result = parsed("第一条 甲。\n第二条 乙，参见下文第十条中的规定。")
    assert [n.number for n in result.nodes] == [1, 2]


def test_appendices_are_their_own_parts_with_their_own_numbering():
    result = parsed(
        "报销办法\n第一条 甲。\n第二条 乙，详见附件1。\n附件1：报销标准\n一、交通\n二、住宿\n"
        "附件2：申请单填写说明\n第一条 本人填写。\n第二条 负责人签字。"
    )
    assert [(n.kind, n.label, n.heading, n.slug) for n in result.nodes] == [
        ("article", "第一条", "", "a1"),
        ("article", "第二条", "", "a2"),
        ("appendix", "附件1：", "报销标准", "ap1"),
        ("appendix", "附件2：", "申请单填写说明", "ap2"),
    ]
    assert [c.slug for c in result.nodes[3].children] == ["ap2-a1", "ap2-a2"]
    assert not any("重新开始编号" in w for w in map(str, result.warnings))
    assert "详见附件1。" in result.nodes[1].text


def test_unnumbered_appendix_and_chinese_numbered_appendix():
    result = parsed("第一条 甲。\n附件：申请表\n附件二 登记表")
    assert [(n.kind, n.number) for n in result.nodes] == [("article", 1), ("appendix", 1), ("appendix", 2)]


PIPE_TABLE = "| 级别 | 住宿（元/晚） |\n|---|---|\n| 经理 | 500 |\n| 员工 | 300 |"


def test_pipe_table_is_a_table_node_with_cells():
    result = parsed(f"第三条 住宿标准如下：\n{PIPE_TABLE}\n超出部分自理。\n第四条 其他。")
    article = result.nodes[0]
    assert [c.kind for c in article.children] == ["table", "paragraph"]
    table = article.children[0]
    assert table.slug == "a3-t1"
    assert table_rows(table.text) == [["级别", "住宿（元/晚）"], ["经理", "500"], ["员工", "300"]]
    assert article.children[1].text == "超出部分自理。"
    assert result.nodes[1].label == "第四条"


def test_aligned_columns_are_a_table_and_labels_inside_are_cells():
    text = "一、人员名单\n序号    姓名    职责\n1.      张三    第一条审核\n2.      李四    复核\n二、其他"
    result = parsed(text)
    assert [(n.kind, n.label) for n in result.nodes] == [("clause", "一、"), ("clause", "二、")]
    table = result.nodes[0].children[0]
    assert table_rows(table.text) == [["序号", "姓名", "职责"], ["1.", "张三", "第一条审核"], ["2.", "李四", "复核"]]


@pytest.mark.parametrize(
    "text",
    [
        "员工应当遵守  本制度的规定。\n未经批准不得  擅自离岗。",  # sentences with stray double spaces
        "运营管理部  2026年1月1日",  # one aligned line is not a table
        "甲 | 乙",  # one pipe line is not a table
    ],
)
def test_prose_is_not_a_table(text):
    assert find_tables(text) == []


def test_full_width_pipes_and_spaces():
    result = parsed("第一条 如下：\n｜岗位｜职责｜\n｜经理｜审批｜")
    assert table_rows(result.nodes[0].children[0].text) == [["岗位", "职责"], ["经理", "审批"]]


def test_english_headings():
    result = parsed(
        "Expense Policy\nChapter 1 General Provisions\nArticle 1 Applies to all staff, see Article 3.\n"
        "Article 2 Scope.\nChapter II Rules\nArticle 3 Claims."
    )
    assert result.title == "Expense Policy"
    assert [(c.label, c.heading, [a.label for a in c.children]) for c in result.nodes] == [
        ("Chapter 1", "General Provisions", ["Article 1", "Article 2"]),
        ("Chapter II", "Rules", ["Article 3"]),
    ]


def test_parts_roman_divisions():
    result = parsed("第一部分 总体要求\nⅠ、目标\n一、提高效率\nⅡ、范围\n第二部分 具体措施\nⅠ、流程")
    assert [(n.kind, n.label, n.slug) for n, _ in iter_nodes(result.nodes)] == [
        ("part", "第一部分", "pt1"),
        ("division", "Ⅰ、", "pt1-d1"),
        ("clause", "一、", "pt1-d1-h1"),
        ("division", "Ⅱ、", "pt1-d2"),
        ("part", "第二部分", "pt2"),
        ("division", "Ⅰ、", "pt2-d1"),
    ]


TRADITIONAL = (
    "員工請假管理辦法\n第一章 總則\n第一條 為規範請假管理，特制定本辦法。\n"
    "第二條 依據第一條之規定辦理。\n第三條 本辦法由人力資源部負責解釋。\n第四條 本辦法自2026年1月1日起施行。"
)


def test_traditional_script_rules_hold_everywhere():
    result = parsed(TRADITIONAL)
    chapter = result.nodes[0]
    assert chapter.heading == "總則"
    assert [a.label for a in chapter.children] == ["第一條", "第二條", "第三條", "第四條"]
    assert "依據第一條之規定" in chapter.children[1].text  # a cross-reference, not an article
    assert result.interpreter == "人力資源部"
    assert str(result.effective_date) == "2026-01-01"


def test_traditional_publish_date_and_interpretation_right():
    result = parsed("第一條 本辦法自發佈之日起施行。\n第二條 本辦法解釋權歸屬於總經理辦公室。")
    assert result.effective_on_publish
    assert result.interpreter == "總經理辦公室"
