"""Scraping noise is removed before parsing and every removal is a warning (issue 16)."""

from __future__ import annotations

import pytest

from apps.policies.parsing import parse_text
from apps.policies.parsing.noise import strip_noise
from apps.policies.tests.test_parsing import assert_keeps_every_character

SCRAPED = """公司運營管理制度_第1頁
- 格式:docx
- 大小:11.11 KB
第一章 總則
第一條 為規範企業(qǐ yè)運營管理(guǎn lǐ)，特制定本制度。
第 1 页 共 2 页
第二條 本制度適用於全體員工。
- 2 -
第三條 本制度由運營管理部負責解釋。
- 1、下载文档前请自行甄别文档内容的完整性,平台不提供额外的编辑、内容补充、找答案等附加服务。
如有侵权请联系客服删除。
"""


def test_scraped_page_is_cleaned_and_every_removal_is_warned():
    result = parse_text(SCRAPED)
    assert_keeps_every_character(SCRAPED, result)
    assert result.title == "公司運營管理制度"
    chapter = result.nodes[0]
    assert [a.label for a in chapter.children] == ["第一條", "第二條", "第三條"]
    assert chapter.children[0].text == "為規範企業運營管理，特制定本制度。"
    assert chapter.children[2].text == "本制度由運營管理部負責解釋。"
    assert result.interpreter == "運營管理部"
    assert [str(w) for w in [str(w) for w in result.warnings][:2]] == [
        "已删除页眉中的页码：_第1頁（公司運營管理制度）",
        "已删除网站的文件信息：- 格式:docx",
    ]
    joined = "\n".join(map(str, result.warnings))
    for shown in ("- 大小:11.11 KB", "第 1 页 共 2 页", "- 2 -", "下载文档前请自行甄别", "如有侵权请联系客服删除。"):
        assert shown in joined
    assert "已删除拼音注音：企業(qǐ yè)、管理(guǎn lǐ)（共 2 处）" in [str(w) for w in result.warnings]


@pytest.mark.parametrize(
    "text",
    [
        "第一条 本制度所称“上传”是指员工将文件上传到系统。",  # the words alone, in a regulation's sentence
        "第一条 员工(含实习生)应当遵守本制度。",  # brackets that are not pinyin
        "第一条 报销比例为(1/2)。",
        "第二页的内容见附件。",
        "1/2 的费用由部门承担，另外 1/2 由个人承担，具体比例见下表说明以及相关规定和流程要求。",
    ],
)
def test_regulation_text_is_not_noise(text):
    assert strip_noise(text).removed == []


def test_noise_removal_can_be_switched_off():
    result = parse_text("- 格式:docx\n第一条 甲。", remove_noise=False)
    assert result.warnings == [] and "格式" in (result.title or "") + result.preamble
