"""Importing .docx (tables, Word auto-numbering), .doc/.wps (LibreOffice), .pdf (text
layer; scans refused with a clear message); tables rendered and compared cell by cell."""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.policies import services
from apps.policies.diffing import diff_table
from apps.policies.models import Policy, PolicyVersion
from apps.policies.parsing import ParseInputError, iter_nodes, parse_text, read_upload

from .documents import docx_to_doc, make_docx, make_pdf, make_scanned_pdf, soffice
from .test_import_roundtrip import form_data
from .test_parsing import DOCS

# LibreOffice is a Debian package .ci/run installs when missing: in CI these tests run.
needs_soffice = pytest.mark.skipif(
    soffice() is None and not os.environ.get("CI"), reason="LibreOffice (soffice) not installed"
)

BLOCKS = [
    "差旅管理办法",
    ("num", 0, "为规范差旅管理，制定本办法。"),
    ("num", 0, "报销范围如下："),
    ("num", 1, "交通费；"),
    ("num", 2, "火车票；"),
    ("num", 2, "机票。"),
    ("num", 1, "住宿费。"),
    ("num", 0, "住宿标准见下表："),
    ("table", [["级别", "住宿（元/晚）"], ["经理", "500"], ["员工", "300"]]),
    ("num", 0, "本办法由财务部负责解释，自2026年1月1日起施行。"),
]
LABELS = {0: ["第一条", "第二条", "第三条", "第四条"], 1: ["（一）", "（二）"], 2: ["1.", "2."]}


def written_out(blocks):
    """The same document with the labels typed in (no auto-numbering)."""
    counters, out = {0: 0, 1: 0, 2: 0}, []
    for block in blocks:
        if isinstance(block, tuple) and block[0] == "num":
            _, level, text = block
            label = LABELS[level][counters[level]]
            counters[level] += 1
            for deeper in range(level + 1, 3):
                counters[deeper] = 0
            out.append(f"{label} {text}")
        else:
            out.append(block)
    return out


def shape(result):
    return [(len(a), n.kind, n.label.strip(), n.heading + n.text) for n, a in iter_nodes(result.nodes)]


EXPECTED = [
    (0, "article", "第一条", "为规范差旅管理，制定本办法。"),
    (0, "article", "第二条", "报销范围如下："),
    (1, "item", "（一）", "交通费；"),
    (2, "subitem", "1.", "火车票；"),
    (2, "subitem", "2.", "机票。"),
    (1, "item", "（二）", "住宿费。"),
    (0, "article", "第三条", "住宿标准见下表："),
    (1, "table", "", "| 级别 | 住宿（元/晚） |\n| 经理 | 500 |\n| 员工 | 300 |"),
    (0, "article", "第四条", "本办法由财务部负责解释，自2026年1月1日起施行。"),
]


@pytest.mark.parametrize("numbered", [True, False], ids=["auto-numbering", "typed-labels"])
def test_docx_keeps_numbering_and_tables(numbered):
    blocks = BLOCKS if numbered else written_out(BLOCKS)
    result = parse_text(read_upload("差旅.docx", make_docx(blocks, numbered=numbered)))
    assert result.title == "差旅管理办法"
    assert shape(result) == EXPECTED
    table = next(n for n, _ in iter_nodes(result.nodes) if n.kind == "table")
    assert table.rows == [["级别", "住宿（元/晚）"], ["经理", "500"], ["员工", "300"]]
    assert result.interpreter == "财务部"


def test_docx_merged_cells_appear_once():
    import io

    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合并"
    table.cell(0, 2).text = "丙"
    for c, v in enumerate(["1", "2", "3"]):
        table.cell(1, c).text = v
    buffer = io.BytesIO()
    document.save(buffer)
    assert read_upload("t.docx", buffer.getvalue()).strip().split("\n") == ["| 合并 | 丙 |", "| 1 | 2 | 3 |"]


@pytest.mark.parametrize("cell_boxes", [False, True], ids=["border-lines", "stroked-cell-boxes"])
def test_text_pdf_imports_with_its_structure_and_its_ruled_tables(cell_boxes):
    result = parse_text(read_upload("差旅.pdf", make_pdf([*written_out(BLOCKS), "- 1 -"], cell_boxes=cell_boxes)))
    assert shape(result) == EXPECTED  # the table read from its rules, not as text
    table = next(n for n, _ in iter_nodes(result.nodes) if n.kind == "table")
    assert table.rows == [["级别", "住宿（元/晚）"], ["经理", "500"], ["员工", "300"]]
    assert "已删除页码行：- 1 -" in [str(w) for w in result.warnings]


def test_pdf_by_libreoffice_from_a_word_file_gives_the_same_tables_as_the_word_file():
    """parser_docs/tables.pdf is parser_docs/tables.docx exported by LibreOffice 7
    (`soffice --headless --convert-to pdf tables.docx`): Word's "Table Grid" borders, a cell
    merged across two columns, a cell with three lines of text and one with a | in it."""
    from_word = parse_text(read_upload("tables.docx", (DOCS / "tables.docx").read_bytes()))
    from_pdf = parse_text(read_upload("tables.pdf", (DOCS / "tables.pdf").read_bytes()))
    tables = [n.rows for n, _ in iter_nodes(from_pdf.nodes) if n.kind == "table"]
    assert tables == [n.rows for n, _ in iter_nodes(from_word.nodes) if n.kind == "table"]
    assert tables[1] == [
        ["岗位与职级", "职责"],
        ["运营专员", "P3", "负责运营数据的收集、整理与分析，按月编制运营分析报告并提交部门负责人审核"],
        ["财务 ｜ 出纳", "P2", "现金收付"],
    ]
    assert [(n.kind, n.label) for n, _ in iter_nodes(from_pdf.nodes)] == [
        ("article", "第一条"),
        ("article", "第二条"),
        ("table", ""),
        ("article", "第三条"),
        ("table", ""),
        ("article", "第四条"),
    ]
    assert from_pdf.interpreter == "财务部"


@needs_soffice
def test_pdf_converted_now_by_libreoffice_keeps_the_tables(tmp_path):
    import subprocess

    source = tmp_path / "t.docx"
    source.write_bytes(make_docx(["差旅管理办法", *written_out(BLOCKS)]))
    _word_borders(source)
    subprocess.run(
        [soffice(), f"-env:UserInstallation=file://{tmp_path}/p", "--headless", "--convert-to", "pdf", "--outdir"]
        + [str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    result = parse_text(read_upload("t.pdf", (tmp_path / "t.pdf").read_bytes()))
    assert shape(result) == [(0, "article", "第一条", "为规范差旅管理，制定本办法。"), *EXPECTED[1:]]


def _word_borders(path):
    import docx

    document = docx.Document(str(path))
    for table in document.tables:
        table.style = "Table Grid"
    document.save(str(path))


def test_a_lone_rule_is_no_table_and_text_beside_a_table_is_kept():
    import io

    from reportlab.pdfgen import canvas

    make_pdf(["x"])  # registers the Chinese font
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(600, 800))
    pdf.setFont("STSong-Light", 10)
    pdf.drawString(40, 760, "费用管理办法")
    pdf.line(40, 750, 560, 750)  # a rule under the title: not a table
    pdf.drawString(40, 720, "第一条 标准如下：")
    for r in range(3):
        pdf.line(40, 700 - 20 * r, 240, 700 - 20 * r)
    for x in (40, 140, 240):
        pdf.line(x, 700, x, 660)
    for (x, y), value in {(44, 686): "甲", (144, 686): "乙", (44, 666): "1", (144, 666): "2"}.items():
        pdf.drawString(x, y, value)
    pdf.drawString(300, 680, "（旁注：单位为元）")  # beside the table
    pdf.drawString(40, 620, "第二条 本办法自发布之日起施行。")
    pdf.showPage()
    pdf.save()
    text = read_upload("t.pdf", buffer.getvalue())
    assert text.split("\n") == [
        "费用管理办法",
        "第一条 标准如下：",
        "| 甲 | 乙 |",
        "| 1 | 2 |",
        "（旁注：单位为元）",
        "第二条 本办法自发布之日起施行。",
    ]


def test_scanned_pdf_is_refused_with_a_clear_message():
    with pytest.raises(ParseInputError, match="扫描件"):
        read_upload("scan.pdf", make_scanned_pdf())


@pytest.mark.parametrize("data", [b"%PDF-1.4 broken", b"not a pdf at all"])
def test_broken_pdf_is_refused(data):
    with pytest.raises(ParseInputError, match="PDF"):
        read_upload("x.pdf", data)


@needs_soffice
@pytest.mark.parametrize("ext", [".doc", ".wps"])
def test_doc_and_wps_are_converted_by_libreoffice(ext):
    data = docx_to_doc(make_docx(BLOCKS, numbered=True))
    result = parse_text(read_upload(f"差旅{ext}", data))
    assert shape(result) == EXPECTED


@needs_soffice
def test_a_damaged_doc_is_refused():
    with pytest.raises(ParseInputError, match=".doc"):
        read_upload("x.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 40)


# -- through the pages ------------------------------------------------------------------


def test_upload_preview_shows_tree_warnings_and_metadata_and_saves_nothing(org, client_for):
    blocks = ["运营发〔2026〕3号", *BLOCKS[:-1], ("num", 0, "本办法自XXX年XX月XX日起试行。")]
    upload = SimpleUploadedFile("差旅.docx", make_docx(blocks, numbered=True))
    data = {**form_data(org, text=""), "upload": upload, "preview": "1"}
    data.pop("save")
    response = client_for(org["ops"]).post(reverse("policies:create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "运营发〔2026〕3号" in page  # metadata
    assert "施行日期是未填写的占位符" in page  # warnings
    assert "bi-table" in page and "第四条" in page  # the tree, with its table
    assert not Policy.objects.exists()


def test_saved_table_is_rendered_and_compared_cell_by_cell(org, client_for):
    client = client_for(org["ops"])
    upload = SimpleUploadedFile("差旅.docx", make_docx(BLOCKS, numbered=True))
    response = client.post(reverse("policies:create"), {**form_data(org, text=""), "upload": upload})
    assert response.status_code == 302
    version = PolicyVersion.objects.get(policy__code="IMP-001")
    page = client.get(version.get_absolute_url()).content.decode()
    assert '<th scope="col">住宿（元/晚）</th>' in page and "<td>500</td>" in page

    text = services.version_as_text(version).replace("| 经理 | 500 |", "| 经理 | 550 |")
    services.draft_update(
        version=version,
        actor=org["ops"],
        text=text + "\n| 实习生 | 200 |",
        title="",
        label="V1",
        effective_date=None,
        change_summary="",
        ack_scope="none",
    )
    from .factories import publish

    publish(version, head=org["manager"], ops=org["ops_head"])
    draft = services.draft_from_current(policy=version.policy, actor=org["ops"])
    services.draft_update(
        version=draft,
        actor=org["ops"],
        text=services.version_as_text(draft).replace("| 经理 | 550 |", "| 经理 | 600 |"),
        title="",
        label=draft.label,
        effective_date=None,
        change_summary="",
        ack_scope="none",
    )
    compare = client.get(reverse("policies:compare", args=["IMP-001"])).content.decode()
    assert '<td class="diff-cell-changed"><del>550</del> <ins>600</ins></td>' in compare
    assert '<td class="diff-cell-equal">经理</td>' in compare


def test_diff_table_aligns_rows_then_cells():
    old = [["级别", "住宿"], ["经理", "500"], ["员工", "300"]]
    new = [["级别", "住宿"], ["总监", "800"], ["经理", "550"], ["员工", "300"]]
    assert diff_table(old, new) == [
        [("equal", "级别", "级别"), ("equal", "住宿", "住宿")],
        [("added", "", "总监"), ("added", "", "800")],
        [("equal", "经理", "经理"), ("changed", "500", "550")],
        [("equal", "员工", "员工"), ("equal", "300", "300")],
    ]
    assert diff_table([["甲", "1"], ["乙", "2"]], [["甲", "1"]]) == [
        [("equal", "甲", "甲"), ("equal", "1", "1")],
        [("removed", "乙", ""), ("removed", "2", "")],
    ]


def test_a_renamed_file_is_not_a_doc():
    with pytest.raises(ParseInputError, match="改了扩展名"):
        read_upload("x.doc", "第一条 甲。".encode())


def test_numbering_carried_by_a_paragraph_style():
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("报销须知")
    for text in ("提交发票。", "部门审核。", "财务付款。"):
        document.add_paragraph(text, style="List Number")  # the style holds the numbering
    buffer = io.BytesIO()
    document.save(buffer)
    result = parse_text(read_upload("须知.docx", buffer.getvalue()))
    assert [(n.label, n.text) for n in result.nodes] == [
        ("1.", "提交发票。"),
        ("2.", "部门审核。"),
        ("3.", "财务付款。"),
    ]
