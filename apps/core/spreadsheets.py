"""Spreadsheets in and out of the portal: the one place every import reads and every export
writes a table (CSV or XLSX).

Reading is bounded: the upload's size, the rows of the first sheet, its columns and, for
.xlsx (a zip), the declared uncompressed size of every member are checked before openpyxl
parses anything, so a small crafted file cannot hold a worker or fill its memory.

Writing is safe to open: a text cell that a spreadsheet program would take for a formula
(starting with = + - @, a tab or a carriage return) is written as text. In XLSX the cell is
typed as a string with Excel's quote prefix, so the value stays exactly what was stored; in
CSV, which has no types, it gets a leading apostrophe (OWASP's advice), which reading a CSV
back removes again. Numbers, dates and empty cells stay what they are.

Every XLSX export goes through `XlsxWriter` (or `xlsx_bytes` / `table_download` on top of
it), so each sheet has a bold, frozen header row with an autofilter and columns as wide as
their content; an export of several kinds of rows (one appraisal template each) adds a
sheet per kind with `add_sheet`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
EXTENSIONS = (".csv", ".xlsx")

# Text that a spreadsheet program evaluates when it starts the cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


class Formula(str):
    """A cell of an uploaded XLSX that holds a formula, not a value."""


def limits() -> dict:
    """The bounds of one upload, from settings (SPREADSHEET_* with sensible defaults)."""
    return {
        "bytes": getattr(settings, "SPREADSHEET_MAX_UPLOAD_BYTES", 10 * 1024 * 1024),
        "rows": getattr(settings, "SPREADSHEET_MAX_ROWS", 20000),
        "columns": getattr(settings, "SPREADSHEET_MAX_COLUMNS", 60),
        "unzipped": getattr(settings, "SPREADSHEET_MAX_UNZIPPED_BYTES", 100 * 1024 * 1024),
    }


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}"


def validate_spreadsheet_upload(upload) -> None:
    """Form-field validator: a .csv or .xlsx within the size limit (checked before reading)."""
    if PurePath(upload.name or "").suffix.lower() not in EXTENSIONS:
        raise ValidationError(_("Unsupported file type: please upload a .csv or .xlsx file."))
    validate_upload_size(upload)


def validate_upload_size(upload) -> None:
    """Form-field validator for any document upload: within the upload size limit."""
    if upload.size > limits()["bytes"]:
        raise ValidationError(
            _("The file is larger than %(mb)s MB; split it into smaller files.") % {"mb": _megabytes(limits()["bytes"])}
        )


# --- reading ---------------------------------------------------------------------------
def read_rows(filename: str, data: bytes, *, max_rows: int | None = None, progress=None) -> list[list]:
    """The non-blank rows of a .csv or the first sheet of an .xlsx, header included;
    progress(rows_read, rows_expected), when given, is called every PROGRESS_EVERY rows.

    XLSX cells keep their type (numbers, dates); a formula cell is a ``Formula``. Raises
    ImportFileError with a message for the user when the file is unreadable, empty, has a
    header only, or is beyond the limits."""
    bounds = limits()
    max_rows = max_rows or bounds["rows"]
    if len(data) > bounds["bytes"]:
        raise ImportFileError(
            _("The file is larger than %(mb)s MB; split it into smaller files.") % {"mb": _megabytes(bounds["bytes"])}
        )
    ext = PurePath(filename or "").suffix.lower()
    if ext == ".xlsx":
        rows = _read_xlsx(
            data, max_rows=max_rows, max_columns=bounds["columns"], max_unzipped=bounds["unzipped"], progress=progress
        )
    elif ext == ".csv":
        rows = _read_csv(data, max_rows=max_rows, max_columns=bounds["columns"], progress=progress)
    else:
        raise ImportFileError(_("Unsupported file type: please upload a .csv or .xlsx file."))
    if not rows:
        raise ImportFileError(_("The file is empty: the first sheet has no rows."))
    if len(rows) == 1:
        raise ImportFileError(_("The file has a header but no rows."))
    return rows


def _too_many_rows(max_rows: int) -> ImportFileError:
    return ImportFileError(_("The file has more than %(max)d rows.") % {"max": max_rows})


def _is_blank(cells) -> bool:
    return not any(str(c if c is not None else "").strip() for c in cells)


PROGRESS_EVERY = 500


def _read_csv(data: bytes, *, max_rows: int, max_columns: int, progress=None) -> list[list[str]]:
    text = decode_csv(data)
    expected = text.count("\n")
    rows = []
    try:
        for cells in csv.reader(io.StringIO(text)):
            if _is_blank(cells):
                continue
            if len(rows) > max_rows:  # header + max_rows already read
                raise _too_many_rows(max_rows)
            rows.append([_unquote(c) for c in cells[:max_columns]])
            if progress and len(rows) % PROGRESS_EVERY == 0:
                progress(len(rows), expected)
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc
    return rows


def decode_csv(data: bytes) -> str:
    """Text of a CSV saved as UTF-8 (with or without BOM) or GBK/GB18030, as Excel in China
    writes it."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("The CSV file is neither UTF-8 nor GBK encoded."))
    if "\x00" in text:
        raise ImportFileError(_("This does not look like a CSV text file."))
    return text


def read_csv_rows(data: bytes) -> list[list[str]]:
    """Every row of a CSV (blank ones included), within the row limit."""
    return _read_csv(data, max_rows=limits()["rows"], max_columns=limits()["columns"])


def _unquote(text: str) -> str:
    """Undo the apostrophe our CSV exports put before formula-like text."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


def check_archive(data: bytes, max_unzipped: int | None = None) -> None:
    """Refuse a zip bomb from the archive's directory, before anything is decompressed
    (zipfile never unpacks a member beyond the size its directory declares). Also used for
    .docx uploads, which are zips too."""
    max_unzipped = max_unzipped or limits()["unzipped"]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: the format's own reader says so in its words
    with archive:
        members = archive.infolist()
        total = sum(m.file_size for m in members)
        if total > max_unzipped:
            raise ImportFileError(
                _("The file unpacks to more than %(mb)s MB; save a smaller file.") % {"mb": _megabytes(max_unzipped)}
            )


def _not_xlsx() -> ImportFileError:
    return ImportFileError(_("This is not a valid Excel .xlsx file (is it another format renamed to .xlsx?)."))


def _read_xlsx(data: bytes, *, max_rows: int, max_columns: int, max_unzipped: int, progress=None) -> list[list]:
    from openpyxl import load_workbook

    check_archive(data, max_unzipped)
    try:
        # read_only streams the sheet; data_only=False keeps a formula a formula, so an
        # import can name it instead of trusting a cached result that may be stale.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _not_xlsx() from exc
    try:
        if not book.worksheets:
            return []
        sheet = book.worksheets[0]
        rows, seen = [], 0
        # max_col: a crafted <dimension> must not make each row 16,384 cells wide
        for row in sheet.iter_rows(max_col=max_columns):
            seen += 1
            if seen > 4 * max_rows + 1000:  # a sheet of mostly blank rows is still bounded
                raise _too_many_rows(max_rows)
            cells = [_xlsx_value(cell) for cell in row]
            while cells and cells[-1] is None:  # read_only pads every row to max_col
                cells.pop()
            if _is_blank(cells):
                continue
            if len(rows) > max_rows:
                raise _too_many_rows(max_rows)
            rows.append(cells)
            if progress and len(rows) % PROGRESS_EVERY == 0:
                progress(len(rows), min(sheet.max_row or 0, max_rows + 1))
        return rows
    except ImportFileError:
        raise
    except Exception as exc:
        raise _not_xlsx() from exc
    finally:
        book.close()


def _xlsx_value(cell):
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f":
        return Formula(value)
    return value


def map_header(header: list, columns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """{field: column index} for each field whose accepted spellings (lower-case) appear in
    the header row; the caller decides which missing fields are an error."""
    names = [str(h or "").strip().lower() for h in header]
    mapping = {}
    for key, spellings in columns.items():
        for idx, name in enumerate(names):
            if name in spellings:
                mapping[key] = idx
                break
    return mapping


# --- writing ---------------------------------------------------------------------------
def is_formula_like(text: str) -> bool:
    return bool(text) and text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(text)


def export_value(value):
    """Numbers, dates and None as they are (a moment in the portal's time zone, as spreadsheets
    have none); anything else as text."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, (bool, int, float, Decimal, date, datetime)):
        return value
    return str(value)


def csv_cell(value) -> str:
    value = export_value(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if is_formula_like(value) else value
    return str(value)


def csv_text(rows: Iterable[Iterable]) -> str:
    """A CSV of the rows with a BOM (so Excel opens UTF-8 Chinese correctly)."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf)
    for row in rows:
        writer.writerow([csv_cell(c) for c in row])
    return buf.getvalue()


def display_width(value) -> int:
    """About how many character cells a value takes in a spreadsheet column (Chinese and other
    wide characters take two; of a text of several lines, the longest line)."""
    value = export_value(value)
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, bool):
        return 5
    if isinstance(value, float):
        value = f"{value:.2f}".rstrip("0").rstrip(".")
    text = str(value)
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in text.split("\n"))


class _Sheet:
    def __init__(self, ws, header, widths):
        self.ws, self.header, self.widths = ws, header, list(widths)
        self.pending: list[tuple[list, bool]] = []
        self.started = False
        self.rows = 0
        self.columns = 0


class XlsxWriter:
    """A write-only workbook (thousands of rows stay light). Every sheet gets what a reader
    of an export expects: the header row (the first row given) bold, frozen and with an
    autofilter over the table, and columns as wide as their content (measured on the header
    and the first SAMPLE_ROWS rows, within MIN_WIDTH and MAX_WIDTH; `widths` overrides the
    first columns). `add_sheet` starts another sheet (e.g. one per appraisal template);
    `append` writes to the sheet added last, `append_to` to a given one."""

    SAMPLE_ROWS = 200
    MIN_WIDTH, MAX_WIDTH = 6, 60

    def __init__(self, title: str, header: Iterable | None = None, *, widths: Iterable[int] = ()):
        from openpyxl import Workbook

        self.book = Workbook(write_only=True)
        self._sheets: list[_Sheet] = []
        self._titles: set[str] = set()
        self.sheet = None
        self.add_sheet(title, header, widths=widths)

    def add_sheet(self, title: str, header: Iterable | None = None, *, widths: Iterable[int] = ()):
        """A new sheet (its title cleaned and made unique), which becomes the current one;
        returns it for `append_to`."""
        name = _sheet_title(title)
        n = 2
        while name.lower() in self._titles:
            suffix = f" ({n})"
            name = _sheet_title(title)[: 31 - len(suffix)] + suffix
            n += 1
        self._titles.add(name.lower())
        sheet = _Sheet(self.book.create_sheet(name), list(header) if header is not None else None, widths)
        self._sheets.append(sheet)
        self.sheet = sheet.ws
        self._current = sheet
        if sheet.header is not None:
            sheet.pending.append((sheet.header, True))
        return sheet

    def append(self, row: Iterable, *, bold: bool = False) -> None:
        self.append_to(self._current, row, bold=bold)

    def append_to(self, sheet: _Sheet, row: Iterable, *, bold: bool = False) -> None:
        row = list(row)
        if sheet.started:
            self._write(sheet, row, bold)
            return
        sheet.pending.append((row, bold))
        if len(sheet.pending) > self.SAMPLE_ROWS:
            self._start(sheet)

    def _start(self, sheet: _Sheet) -> None:
        """Column widths and the frozen header go before the first row (a streamed sheet
        writes them first), so they are settled from the rows held back until now."""
        from openpyxl.utils import get_column_letter

        measured: dict[int, int] = {}
        for row, _bold in sheet.pending:
            for idx, value in enumerate(row, start=1):
                measured[idx] = max(measured.get(idx, 0), display_width(value))
        for idx, width in measured.items():
            fixed = sheet.widths[idx - 1] if idx <= len(sheet.widths) else None
            width = fixed or min(max(width + 2, self.MIN_WIDTH), self.MAX_WIDTH)
            sheet.ws.column_dimensions[get_column_letter(idx)].width = width
        if sheet.header is not None:
            sheet.ws.freeze_panes = "A2"
        sheet.started = True
        for row, bold in sheet.pending:
            self._write(sheet, row, bold)
        sheet.pending = []

    def _write(self, sheet: _Sheet, row: list, bold: bool) -> None:
        sheet.ws.append([self._cell(sheet.ws, value, bold) for value in row])
        sheet.rows += 1
        sheet.columns = max(sheet.columns, len(row))

    @staticmethod
    def _cell(ws, value, bold: bool):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        value = export_value(value)
        if value is None:
            return None
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl would make "=…" a live formula
            if is_formula_like(value):
                cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        if bold:
            cell.font = Font(bold=True)
        return cell

    def to_bytes(self) -> bytes:
        from openpyxl.utils import get_column_letter

        for sheet in self._sheets:
            if not sheet.started:
                self._start(sheet)
            if sheet.header is not None and sheet.columns:
                sheet.ws.auto_filter.ref = f"A1:{get_column_letter(sheet.columns)}{sheet.rows}"
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = re.sub(r"[\\/*?:\[\]]", "-", str(title or "Sheet"))
    return cleaned[:31] or "Sheet"


def xlsx_bytes(rows: Iterable[Iterable], *, title: str, widths: Iterable[int] = ()) -> bytes:
    rows = iter(rows)
    writer = XlsxWriter(title, next(rows, None), widths=widths)
    for row in rows:
        writer.append(row)
    return writer.to_bytes()


def download(content: bytes | str, filename: str) -> HttpResponse:
    """An attachment that no shared cache keeps (exports carry personal data)."""
    content_type = CSV_TYPE if filename.lower().endswith(".csv") else XLSX_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def table_download(rows: Iterable[Iterable], *, filename: str, title: str, widths: Iterable[int] = ()) -> HttpResponse:
    """The rows (header first) as .csv or .xlsx, by the filename's extension."""
    if filename.lower().endswith(".csv"):
        return download(csv_text(rows), filename)
    return download(xlsx_bytes(rows, title=title, widths=widths), filename)
