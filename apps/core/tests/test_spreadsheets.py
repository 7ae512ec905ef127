"""The one spreadsheet reader and writer: bounded reading, formula-safe writing."""

import csv
import io
import re
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from apps.core.spreadsheets import (
    Formula,
    ImportFileError,
    check_archive,
    csv_text,
    read_rows,
    xlsx_bytes,
)


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


HOSTILE = ['=HYPERLINK("http://evil","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\r=1"]


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite_sheet(data: bytes, change) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = change(content.decode()).encode()
            dst.writestr(item.filename, content)
    return out.getvalue()


def test_written_text_that_looks_like_a_formula_stays_text_in_xlsx():
    content = xlsx_bytes([["name", "n"], *[[h, 5] for h in HOSTILE], ["-12.5", Decimal("-3.5")]], title="t")
    sheet = load_workbook(io.BytesIO(content)).active
    for row, hostile in zip(sheet.iter_rows(min_row=2, max_row=len(HOSTILE) + 1), HOSTILE, strict=True):
        name, number = row
        assert name.value == hostile and name.data_type == "s" and name.quotePrefix
        assert number.value == 5 and number.data_type == "n"
    last = list(sheet.iter_rows(min_row=len(HOSTILE) + 2))[0]
    assert last[0].value == "-12.5" and not last[0].quotePrefix  # a plain number is not a formula
    assert last[1].value == -3.5 and last[1].data_type == "n"
    raw = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in raw and "<f " not in raw


def test_written_text_that_looks_like_a_formula_gets_an_apostrophe_in_csv_and_reads_back_as_typed():
    text = csv_text([["name", "n"], *[[h, 5] for h in HOSTILE], ["-12.5", Decimal("-3.5")]])
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r[0] for r in rows[1:-1]] == ["'" + h for h in HOSTILE]
    assert rows[-1] == ["-12.5", "-3.5"]
    assert [r[0] for r in read_rows("x.csv", text.encode())[1:-1]] == HOSTILE


def test_a_formula_in_an_uploaded_workbook_is_marked_as_a_formula():
    rows = read_rows("x.xlsx", xlsx([["a", "b"], ["=1+1", "=x"]]))
    assert rows[1] == [Formula("=1+1"), Formula("=x")] and isinstance(rows[1][0], Formula)
    written = read_rows("y.xlsx", xlsx_bytes([["a"], ["=1+1"]], title="t"))
    assert written[1] == ["=1+1"] and not isinstance(written[1][0], Formula)


def test_a_zip_bomb_is_refused_from_the_directory_before_anything_is_unpacked(settings):
    settings.SPREADSHEET_MAX_UNZIPPED_BYTES = 1024 * 1024
    padding = "<!--" + " " * (3 * 1024 * 1024) + "-->"
    bomb = _rewrite_sheet(xlsx([["a"], ["1"]]), lambda xml: xml.replace("<sheetData>", padding + "<sheetData>"))
    assert len(bomb) < 40 * 1024  # small on the wire
    with pytest.raises(ImportFileError, match="unpacks to more than 1 MB"):
        read_rows("bomb.xlsx", bomb)
    with pytest.raises(ImportFileError, match="unpacks"):
        check_archive(bomb)


def test_a_crafted_dimension_and_a_far_row_do_not_make_a_huge_sheet(settings):
    settings.SPREADSHEET_MAX_ROWS = 50

    def far(xml):
        xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
        return xml.replace(
            "</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
        )

    crafted = _rewrite_sheet(xlsx([["a"], ["1"]]), far)
    with pytest.raises(ImportFileError, match="more than 50 rows"):
        read_rows("far.xlsx", crafted)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_rows_beyond_the_limit_are_refused(settings, fmt):
    settings.SPREADSHEET_MAX_ROWS = 10
    rows = [["h"], *[[str(i)] for i in range(11)]]
    data = csv_text(rows).encode() if fmt == "csv" else xlsx(rows)
    with pytest.raises(ImportFileError, match="more than 10 rows"):
        read_rows(f"x.{fmt}", data)
    assert len(read_rows(f"x.{fmt}", csv_text(rows[:11]).encode() if fmt == "csv" else xlsx(rows[:11]))) == 11


def test_size_and_unreadable_csv_give_a_message_not_a_crash(settings):
    settings.SPREADSHEET_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ImportFileError, match="larger than"):
        read_rows("x.csv", b"a\n" * 1000)
    settings.SPREADSHEET_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
    with pytest.raises(ImportFileError, match="cannot be read"):
        read_rows("x.csv", b'h\n"' + b"x" * 200_000 + b'"\n')  # beyond csv's field limit
    with pytest.raises(ImportFileError, match="not a valid Excel"):
        read_rows("x.xlsx", b"PK\x03\x04 broken")
    with pytest.raises(ImportFileError, match="Unsupported"):
        read_rows("x.xls", b"whatever")


def test_labels_and_other_objects_are_written_as_text():
    from django.utils.translation import gettext_lazy

    from apps.core.spreadsheets import export_value

    label = gettext_lazy("High")
    assert export_value(label) == "High" and type(export_value(label)) is str
    content = xlsx_bytes([["level"], [label]], title="t")
    assert load_workbook(io.BytesIO(content)).active["A2"].value == "High"


def test_every_sheet_has_a_frozen_bold_header_an_autofilter_and_content_widths():
    from apps.core.spreadsheets import XlsxWriter

    writer = XlsxWriter("第一/表", ["工号", "姓名", "备注"])
    for i in range(XlsxWriter.SAMPLE_ROWS + 50):  # more rows than the writer holds back to measure
        writer.append([f"E{i:04d}", "欧阳娜娜", "很长的一段说明文字" * 3 if i == 3 else ""])
    writer.add_sheet("第一/表", ["a", "b"], widths=[30])  # same title: made unique
    writer.append([1, date(2026, 1, 2)])
    book = load_workbook(io.BytesIO(writer.to_bytes()))
    first, second = book.worksheets
    assert (first.title, second.title) == ("第一-表", "第一-表 (2)")
    assert first.freeze_panes == second.freeze_panes == "A2"
    assert first.auto_filter.ref == f"A1:C{XlsxWriter.SAMPLE_ROWS + 51}" and second.auto_filter.ref == "A1:B2"
    assert first["A1"].font.b and first["A2"].value == "E0000" and first.max_row == XlsxWriter.SAMPLE_ROWS + 51
    widths = {k: v.width for k, v in first.column_dimensions.items()}
    assert widths["A"] == 7 and widths["B"] == 10 and widths["C"] == 2 * 27 + 2  # wide characters count twice
    assert second.column_dimensions["A"].width == 30 and second.column_dimensions["B"].width == 12


def test_a_column_never_grows_beyond_the_maximum_width():
    from apps.core.spreadsheets import XlsxWriter

    book = load_workbook(io.BytesIO(xlsx_bytes([["x"], ["长" * 500]], title="t")))
    assert book.active.column_dimensions["A"].width == XlsxWriter.MAX_WIDTH
