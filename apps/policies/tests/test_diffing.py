"""Tests of the article diff engine (apps.policies.diffing). Plain pytest, no DB."""

from __future__ import annotations

from dataclasses import dataclass

from apps.policies.diffing import Article, diff_articles, render_inline_html, tokenize, word_diff
from apps.policies.parsing import flatten_articles, parse_text


def art(n: int, text: str, heading: str = "") -> dict:
    label = f"第{'一二三四五六七八九十'[n - 1]}条" if n <= 10 else f"第{n}条"
    return {"key": f"a{n}", "label": label, "heading": heading, "text": text, "path": label}


BASE = [
    art(1, "为规范公司运营管理，提高工作效率，特制定本制度。"),
    art(2, "本制度适用于公司全体员工，包括试用期员工和实习生。"),
    art(3, "员工应当在每月5日前提交上月工作总结。"),
    art(4, "本制度由运营管理部负责解释。"),
]


def kinds(changes) -> list[tuple[str, str | None, str | None]]:
    return [(c.kind, c.old_label, c.new_label) for c in changes]


def test_identical_versions_are_unchanged():
    changes = diff_articles(BASE, BASE)
    assert kinds(changes) == [("unchanged", a["label"], a["label"]) for a in BASE]
    assert all(c.similarity == 1.0 and not c.text_changed for c in changes)


def test_renumbering_after_an_insert_is_a_move_not_delete_and_add():
    new = [
        BASE[0],
        art(2, "公司实行弹性工作制，核心工作时间为10:00至16:00。"),
        {**BASE[1], "label": "第三条", "key": "a3"},
        {**BASE[2], "label": "第四条", "key": "a4"},
        {**BASE[3], "label": "第五条", "key": "a5"},
    ]
    changes = diff_articles(BASE, new)
    assert kinds(changes) == [
        ("unchanged", "第一条", "第一条"),
        ("added", None, "第二条"),
        ("moved", "第二条", "第三条"),
        ("moved", "第三条", "第四条"),
        ("moved", "第四条", "第五条"),
    ]
    assert not changes[2].text_changed
    assert changes[2].old_key == "a2" and changes[2].new_key == "a3"
    assert changes[1].segments == [("insert", new[1]["text"])]


def test_move_with_a_change_keeps_word_segments():
    new = [
        BASE[0],
        art(2, "新增条款。"),
        {**BASE[1], "label": "第三条", "text": "本制度适用于公司全体员工，包括试用期员工。"},
    ]
    changes = diff_articles(BASE[:2], new)
    moved = changes[-1]
    assert (moved.kind, moved.old_label, moved.new_label) == ("moved", "第二条", "第三条")
    assert moved.text_changed and 0.6 <= moved.similarity < 1
    assert ("delete", "和实习生") in moved.segments


def test_word_level_change():
    new = [*BASE[:2], art(3, "员工应当在每月10日前提交上月工作总结和下月计划。"), BASE[3]]
    changes = diff_articles(BASE, new)
    assert kinds(changes)[2] == ("changed", "第三条", "第三条")
    assert changes[2].segments == [
        ("equal", "员工应当在每月"),
        ("delete", "5"),
        ("insert", "10"),
        ("equal", "日前提交上月工作总结"),
        ("insert", "和下月计划"),
        ("equal", "。"),
    ]
    assert render_inline_html(changes[2].segments) == (
        "员工应当在每月<del>5</del><ins>10</ins>日前提交上月工作总结<ins>和下月计划</ins>。"
    )


def test_removed_article_appears_where_it_used_to_be():
    new = [BASE[0], BASE[1], {**BASE[3], "label": "第三条", "key": "a3"}]
    changes = diff_articles(BASE, new)
    assert kinds(changes) == [
        ("unchanged", "第一条", "第一条"),
        ("unchanged", "第二条", "第二条"),
        ("removed", "第三条", None),
        ("moved", "第四条", "第三条"),
    ]
    assert changes[2].segments == [("delete", BASE[2]["text"])]


def test_added_at_the_end_and_removed_at_the_start():
    new = [*BASE[1:], art(5, "本制度自2026年1月1日起施行。")]
    changes = diff_articles(BASE, new)
    assert [c.kind for c in changes] == ["removed", "unchanged", "unchanged", "unchanged", "added"]


def test_unrelated_text_under_the_same_label_is_remove_and_add():
    new = [*BASE[:3], art(4, "出差人员应当在返回后五个工作日内报销差旅费用。")]
    changes = diff_articles(BASE, new)
    assert kinds(changes)[3:] == [("added", None, "第四条"), ("removed", "第四条", None)] or kinds(changes)[3:] == [
        ("removed", "第四条", None),
        ("added", None, "第四条"),
    ]


def test_heading_changes_count_as_changes():
    old = [art(1, "正文。", heading="总则")]
    new = [art(1, "正文。", heading="总 则 与 适用范围")]
    (change,) = diff_articles(old, new)
    assert change.kind == "changed"
    assert ("insert", "与适用范围") in change.segments or any(op == "insert" for op, _ in change.segments)


def test_whitespace_only_differences_are_unchanged():
    new = [{**BASE[0], "text": BASE[0]["text"].replace("，", "， ")}]
    assert diff_articles(BASE[:1], new)[0].kind == "unchanged"


def test_duplicate_texts_prefer_the_same_label():
    old = [art(1, "同上。"), art(2, "同上。")]
    new = [art(2, "同上。")]
    changes = diff_articles(old, new)
    assert kinds(changes) == [("removed", "第一条", None), ("unchanged", "第二条", "第二条")]


def test_accepts_dataclasses_and_objects():
    @dataclass
    class Row:
        key: str
        label: str
        heading: str
        text: str
        path: str

    old = [Row("a1", "第一条", "", "甲乙丙丁。", "第一条")]
    new = [Article("a1", "第一条", "", "甲乙丙丁戊。", "第一条")]
    (change,) = diff_articles(old, new)
    assert change.kind == "changed" and change.new is new[0]


def test_render_inline_html_escapes():
    html = render_inline_html([("equal", "a<b"), ("delete", "<script>"), ("insert", '&"')])
    assert html == "a&lt;b<del>&lt;script&gt;</del><ins>&amp;&quot;</ins>"


def test_tokenize_splits_cjk_per_character_and_keeps_words_and_numbers():
    assert tokenize("按1.5倍计算OKR，共 20 天") == [
        "按",
        "1.5",
        "倍",
        "计",
        "算",
        "OKR",
        "，",
        "共",
        " ",
        "20",
        " ",
        "天",
    ]
    text = "第一条 Hello 世界 2026年\n1.5倍"
    assert "".join(tokenize(text)) == text


def test_word_diff_does_not_leave_single_character_crumbs():
    segments = word_diff("由部门负责人审批", "经分管领导的审核")
    assert "".join(t for op, t in segments if op != "insert") == "由部门负责人审批"
    assert "".join(t for op, t in segments if op != "delete") == "经分管领导的审核"
    assert all(not (op == "equal" and len(t) == 1) for op, t in segments[1:-1])


def test_many_articles_with_renumbering_and_edits():
    old = [
        {
            "key": f"a{i}",
            "label": f"第{i}条",
            "heading": "",
            "text": f"第{i}项规定：部门{i}应当在每季度第{i % 3 + 1}个月提交编号为{i * 7}的报告，并抄送运营管理部。",
        }
        for i in range(1, 201)
    ]
    new = [{"key": "a1", "label": "第1条", "heading": "", "text": "新增的总则条款，说明本制度的目的。"}]
    for i, a in enumerate(old, start=2):
        text = a["text"].replace("运营管理部", "流程优化组") if i % 10 == 0 else a["text"]
        new.append({**a, "key": f"a{i}", "label": f"第{i}条", "text": text})
    changes = diff_articles(old, new)
    assert changes[0].kind == "added"
    assert sum(c.kind == "moved" for c in changes) == 200
    assert sum(c.text_changed for c in changes if c.kind == "moved") == 20
    assert not any(c.kind == "removed" for c in changes)


def test_diff_of_two_parsed_versions():
    v1 = (
        "考勤制度\n第一章 总则\n第一条 为规范考勤，制定本制度。\n第二条 本制度适用于全体员工。\n"
        "第二章 附则\n第三条 本制度由人力资源部负责解释。"
    )
    v2 = (
        "考勤制度\n第一章 总则\n第一条 为规范考勤，制定本制度。\n第二条 本制度适用于全体员工及实习生。\n"
        "第三条 员工应当按时打卡。\n第二章 附则\n第四条 本制度由人力资源部负责解释。"
    )
    changes = diff_articles(flatten_articles(parse_text(v1)), flatten_articles(parse_text(v2)))
    assert kinds(changes) == [
        ("unchanged", "第一条", "第一条"),
        ("changed", "第二条", "第二条"),
        ("added", None, "第三条"),
        ("moved", "第三条", "第四条"),
    ]
    assert changes[3].old.path == "第二章 > 第三条" and changes[3].new.path == "第二章 > 第四条"


def test_width_only_differences_are_unchanged():
    old = [art(1, "为规范管理,提高效率(试行)。")]
    new = [art(1, "为规范管理，提高效率（试行）。")]
    assert diff_articles(old, new)[0].kind == "unchanged"


def test_width_differences_are_not_highlighted_inside_a_real_change():
    segments = word_diff("各部门应当建立台账,定期检查(每月)。", "各部门应当建立台账，定期检查（每季度）。")
    edits = [(op, text) for op, text in segments if op != "equal"]
    assert edits == [("delete", "月"), ("insert", "季度")]
    assert "".join(t for op, t in segments if op != "delete") == "各部门应当建立台账，定期检查（每季度）。"
