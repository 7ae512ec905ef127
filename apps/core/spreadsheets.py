"""Reading uploaded tables: the parts every import shares (CSV decoding, header matching).
Each import keeps its own columns, cell handling and messages about its own data."""

import csv
import io

from django.utils.translation import gettext as _


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


def read_csv_rows(data: bytes) -> list[list[str]]:
    """Rows of a CSV file saved as UTF-8 (with or without BOM) or GBK/GB18030, as Excel in
    China writes it."""
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
    return list(csv.reader(io.StringIO(text)))


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
