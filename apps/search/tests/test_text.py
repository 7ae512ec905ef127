"""Tokenisation, query parsing and highlighting: pure functions, no database."""

import pytest

from apps.search.highlight import highlight, match_spans
from apps.search.text import cn_number, document_vectors, fold, lexemes, parse_query, pinyin_lexemes


def words(text):
    return {lex for lex, _pos in lexemes(text)[0]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("運營管理", "运营管理"),  # Traditional -> Simplified
        ("報銷與發票", "报销与发票"),
        ("ＯＰＳ－ＺＤ－００１", "ops-zd-001"),  # full-width letters, digits and dash
        ("ERP系统", "erp系统"),
        ("第十條", "第十条"),
    ],
)
def test_fold_one_script_one_width_one_case(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "n"), [("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105), ("两千零三十", 2030), ("12", 12)]
)
def test_chinese_numerals(text, n):
    assert cn_number(text) == n


def test_cjk_text_gives_characters_and_bigrams_at_the_same_positions():
    pairs, _next = lexemes("报销发票")
    assert ("报", 1) in pairs and ("报销", 1) in pairs
    assert ("销发", 2) in pairs and ("发票", 3) in pairs and ("票", 4) in pairs
    assert not any(lex == "票" + "x" for lex, _ in pairs)


def test_punctuation_breaks_bigrams_and_phrases():
    lexs = words("报销，发票。")
    assert {"报销", "发票"} <= lexs
    assert "销发" not in lexs  # no bigram across the comma


def test_mixed_english_and_chinese_and_codes():
    lexs = words("依据OPS-ZD-001使用ERP系统 (SAP) v2.0")
    assert {"ops-zd-001", "ops", "zd", "001", "erp", "系统", "sap", "v2.0", "依据"} <= lexs


def test_traditional_and_full_width_text_index_like_simplified():
    assert words("運營管理部負責解釋") == words("运营管理部负责解释")
    assert words("ＥＲＰ系統") == words("ERP系统")


def test_article_numbers_in_both_forms_give_one_lexeme():
    assert "第12条" in words("依照第十二条的规定")
    assert "第12条" in words("依照第12条的规定")
    assert "第3章" in words("第三章 职责分工")
    assert "第105条" in words("第一百零五条")


def test_pinyin_of_names_full_initials_and_inner_runs():
    lexs = pinyin_lexemes("绩效考核管理办法")
    assert {"jixiaokaoheguanlibanfa", "jxkhglbf", "kaoheguanlibanfa", "khglbf"} <= set(lexs)
    people = set(pinyin_lexemes("张伟"))
    assert {"zhangwei", "zw", "wei", "zhang"} <= people


def test_document_vectors_weights_title_heading_body():
    v = document_vectors(title="费用报销管理制度", heading="第三章 报销流程", body="发票应当真实")
    assert "'报销':" in v.title and "'第3章':" in v.heading
    assert "A" in v.combined and "B" in v.combined and "C" in v.combined


@pytest.mark.parametrize(
    ("raw", "tsquery"),
    [
        ("制", "'制'"),
        ("制度", "'制度'"),
        ("绩效考核", None),  # checked below: one or two words, each a phrase of bigrams
        ("报销 发票", "'报销' & '发票'"),
        ("发票   报销", "'发票' & '报销'"),
        ("第十条", "'第10条'"),
        ("第10条", "'第10条'"),
        ("第 10 条", "'第10条'"),
        ("kaohe", "'kaohe':*"),
        ("ＫＡＯＨＥ", "'kaohe':*"),
        ("OPS-ZD-001", "('ops-zd-001' | 'ops' <-> 'zd' <-> '001')"),
        ("報銷", "'报销'"),
        ("运营管理部", None),
    ],
)
def test_query_parsing(raw, tsquery):
    q = parse_query(raw)
    assert not q.empty
    if tsquery is not None:
        assert q.tsquery == tsquery


def test_longer_runs_are_phrases_of_bigrams():
    q = parse_query('"运营管理部"')
    assert q.tsquery == "('运营' <2> '管理' <1> '理部')"
    assert parse_query('"绩效考核"').tsquery == "('绩效' <2> '考核')"
    assert parse_query('"考核表"').tsquery == "('考核' <1> '核表')"


def test_a_question_becomes_its_words_and_keeps_the_exact_phrase_for_ranking():
    q = parse_query("报销要谁审批?")
    assert q.tsquery == "'报销' & '审批'"
    assert q.phrase_tsquery and "'要谁'" in q.phrase_tsquery
    assert parse_query("报销 发票").phrase_tsquery is None


def test_quoted_phrase_is_not_split():
    q = parse_query("“费用报销管理”")
    assert "&" not in q.tsquery
    assert q.phrase_tsquery is None


@pytest.mark.parametrize("raw", ["", "   ", "，。！", "的", "'\\"])
def test_nothing_to_search(raw):
    q = parse_query(raw)
    if q.empty:
        assert q.tsquery == ""
    else:  # a single stop character alone is still searched for
        assert q.tsquery == "'的'"


def test_query_lexemes_are_quoted_safely():
    q = parse_query("o'brien \\x")
    assert "''" not in q.tsquery or q.tsquery.count("'") % 2 == 0


def test_highlight_marks_matches_and_escapes_the_rest():
    html = highlight("<b>报销</b>须附發票 & 清单", parse_query("报销 发票").needles)
    assert html == "&lt;b&gt;<mark>报销</mark>&lt;/b&gt;须附<mark>發票</mark> &amp; 清单"


def test_highlight_article_numbers_pinyin_prefix_and_window():
    assert "<mark>第十条</mark>" in highlight("依照第十条执行", parse_query("第10条").needles)
    assert "<mark>ERP2</mark>" in highlight("使用ERP2系统", parse_query("erp").needles)
    long = "甲" * 200 + "报销" + "乙" * 200
    html = highlight(long, parse_query("报销").needles, window=60)
    assert html.startswith("…") and html.endswith("…") and "<mark>报销</mark>" in html
    assert len(html) < 120


def test_match_spans_merge_overlaps():
    assert match_spans("绩效考核", parse_query("绩效考核 考核").needles) == [(0, 4)]
