"""The parser stays linear on pathological input (issue 13, finding 9).

Repeated article numbers used to cost a scan of every earlier slug per node
(10,000 lines took 15 s, a 40 KB .docx 223 s). These inputs are large enough
that a quadratic parser runs into the timeout, which is generous on purpose:
the test guards against the blow-up, it does not measure speed."""

from __future__ import annotations

import io

import docx
import pytest

from apps.policies.parsing import iter_nodes, parse_text, read_upload

REPEATS = 20_000


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "line",
    ["第一条 公司员工应遵守本制度。", "一、总则", "1. 内容", "（一）内容"],
)
def test_repeated_numbers_parse_in_linear_time(line):
    result = parse_text("\n".join([line] * REPEATS))
    slugs = [n.slug for n, _ in iter_nodes(result.nodes)]
    assert len(slugs) == REPEATS
    assert len(set(slugs)) == REPEATS


@pytest.mark.timeout(60)
def test_repeated_articles_in_a_docx_parse_in_linear_time():
    document = docx.Document()
    for _ in range(REPEATS // 2):
        document.add_paragraph("第一条 内容")
    buffer = io.BytesIO()
    document.save(buffer)
    result = parse_text(read_upload("repeated.docx", buffer.getvalue()))
    assert sum(1 for n, _ in iter_nodes(result.nodes) if n.kind == "article") == REPEATS // 2


@pytest.mark.timeout(60)
def test_many_tables_and_paragraphs_in_one_parent_parse_in_linear_time():
    tables = "\n".join("| 岗位 | 职责 |\n| 经理 | 审批 |\n表后说明。" for _ in range(REPEATS // 4))
    paragraphs = "\n".join("前款规定的其他事项。" for _ in range(REPEATS))
    result = parse_text(f"第一条 如下：\n{tables}\n第二条 如下：\n（一）甲；\n{paragraphs}")
    first, second = result.nodes
    assert [c.kind for c in first.children[:4]] == ["table", "paragraph", "table", "paragraph"]
    assert len(first.children) == REPEATS // 2
    assert [c.number for c in second.children[1:4]] == [2, 3, 4]
    assert len(second.children) == REPEATS + 1
