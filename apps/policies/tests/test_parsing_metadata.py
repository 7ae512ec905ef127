"""Metadata found in a regulation's text (issue 16): document number, issuing
department, effective date in all its forms, trial, placeholder dates,
interpreting body and abolished regulations. Plain pytest, no DB."""

from __future__ import annotations

import datetime

import pytest

from apps.policies.parsing import parse_text, to_json
from apps.policies.tests.test_parsing import assert_keeps_every_character

OFFICIAL = """运营发〔2019〕12号
员工考勤管理办法（试行）
第一条 为规范考勤管理，制定本办法。
第二条 本办法由人力资源部负责解释。
第三条 本办法自2019年元月1日起试行，原《员工考勤管理规定》（人字〔2015〕3号）和《加班管理暂行办法》同时废止。
北京某某科技有限公司人力资源部
2018年12月20日
"""


def test_official_document_metadata():
    result = parse_text(OFFICIAL)
    assert_keeps_every_character(OFFICIAL, result)
    meta = result.metadata
    assert result.front_matter == "运营发〔2019〕12号"
    assert result.title == "员工考勤管理办法（试行）"
    assert meta.doc_number == "运营发〔2019〕12号"
    assert meta.effective_date == datetime.date(2019, 1, 1)
    assert meta.trial is True
    assert meta.interpreter == "人力资源部"
    assert meta.issuer == "北京某某科技有限公司人力资源部"
    assert meta.abolishes == ["员工考勤管理规定", "加班管理暂行办法"]
    assert to_json(result)["metadata"]["effective_date"] == "2019-01-01"


@pytest.mark.parametrize(
    ("sentence", "date", "on_publish", "trial"),
    [
        ("本办法自2026年1月1日起施行。", datetime.date(2026, 1, 1), False, False),
        ("本办法自二〇二六年元月一日起施行。", datetime.date(2026, 1, 1), False, False),
        ("本办法自2026年3月1日起试行。", datetime.date(2026, 3, 1), False, True),
        ("本辦法自發佈之日起試行。", None, True, True),
        ("本辦法自2026年5月1日起實施。", datetime.date(2026, 5, 1), False, False),
    ],
)
def test_effective_date_forms(sentence, date, on_publish, trial):
    meta = parse_text(f"第一条 {sentence}").metadata
    assert (meta.effective_date, meta.effective_on_publish, meta.trial) == (date, on_publish, trial)


@pytest.mark.parametrize("placeholder", ["XXX年XX月XX日", "××××年××月××日", "    年  月  日"])
def test_placeholder_date_is_flagged(placeholder):
    result = parse_text(f"第一条 本制度自{placeholder}起施行。")
    assert result.effective_date is None
    assert result.metadata.effective_placeholder.startswith("自")
    assert any(w.startswith("施行日期是未填写的占位符") for w in map(str, result.warnings))


def test_traditional_document_number_issuer_and_abolition():
    text = (
        "人字［2020］第3號\n請假管理辦法\n"
        "第一條 本辦法自2020年6月1日起施行，《舊請假規定》同時廢止。\n發布部門：人力資源部\n"
    )
    meta = parse_text(text).metadata
    assert meta.doc_number == "人字［2020］第3號"
    assert meta.abolishes == ["舊請假規定"]
    assert meta.issuer == "人力資源部"


def test_replacement_wording_and_references_that_are_not_abolitions():
    meta = parse_text("第一条 本制度替代《采购管理办法》。\n第二条 按照《合同管理办法》执行。").metadata
    assert meta.abolishes == ["采购管理办法"]


def test_no_metadata_in_a_plain_text():
    meta = parse_text("第一条 员工应当遵守纪律。").metadata
    assert (meta.doc_number, meta.issuer, meta.abolishes, meta.trial) == ("", "", [], False)
