"""The swimlane diagram is generated from the data: lanes, boxes, arrows, branch labels."""

import re

from ..diagram import layout, render
from ..steps import unreachable


def s(key, name, dept, nxt=()):
    return {
        "key": key,
        "name": name,
        "department_id": dept,
        "position_id": None,
        "next": [{"to": t, "condition": c} for t, c in nxt],
    }


STEPS = [
    s("s1", "提出采购申请", 1, [("s2", "")]),
    s("s2", "采购审批", 2, [("s3", "金额≥10万"), ("s4", "金额<10万")]),
    s("s3", "总经理审批", 3, [("s4", "")]),
    s("s4", "签订合同", 2, [("s1", "退回")]),
]


def test_one_lane_per_department_in_order_of_appearance_and_no_two_boxes_overlap():
    lanes, boxes = layout(STEPS)
    assert lanes == [1, 2, 3]
    assert len({(b.lane, b.col) for b in boxes.values()}) == len(boxes)
    # a step sits right of every earlier step leading to it
    assert boxes["s4"].col > boxes["s3"].col > boxes["s2"].col > boxes["s1"].col


def test_the_svg_has_lanes_boxes_arrows_and_branch_labels():
    svg = str(render(STEPS, {1: "生产部", 2: "采购部", 3: "总经理办公室"}, title="采购"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    for text in ("生产部", "采购部", "总经理办公室", "提出采购申请", "金额≥10万", "金额<10万", "退回"):
        assert text.replace("<", "&lt;") in svg
    assert len(re.findall(r'class="pd-step"', svg)) == 4
    assert svg.count("marker-end=") >= 6  # start + 5 links + end
    assert "stroke-dasharray" in svg  # the loop back is dashed


def test_names_are_escaped_and_long_names_wrapped():
    steps = [s("s1", "<script>很长很长很长很长很长很长很长很长很长的步骤名称</script>", 1)]
    svg = str(render(steps, {1: "部门"}))
    assert "<script>" not in svg and "…" in svg


def test_empty_steps_draw_nothing():
    assert render([], {}) == ""


def test_unreachable_steps_are_found():
    steps = [s("s1", "a", 1, [("s2", "")]), s("s2", "b", 1), s("s3", "c", 1)]
    assert [x["key"] for x in unreachable(steps)] == ["s3"]
