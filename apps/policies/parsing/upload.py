"""Read an uploaded regulation file (.txt, .docx, .doc/.wps, .pdf) into plain text.

.docx keeps its tables and Word's automatic numbering (``docx_reader``); .doc and
.wps are converted to .docx by LibreOffice headless (``soffice``, Debian package
libreoffice-writer-nogui); a .pdf gives its text layer (PDFium, via pypdfium2) with its ruled
tables read as tables (``pdf_reader``), and a scan without one is refused with a message saying so.

Text files come from many Windows machines: UTF-8 with or without BOM, GBK /
GB18030 (what Notepad on a Chinese Windows writes), UTF-16 with BOM. Errors are
raised as ``ParseInputError`` with a message for the uploader in the active language.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from pathlib import Path, PurePath

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SUPPORTED_EXTENSIONS = (".txt", ".docx", ".doc", ".wps", ".pdf")
CONVERT_TIMEOUT_S = 120
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 and WPS files are OLE containers
MIN_PDF_TEXT_CHARS = 20  # fewer non-space characters than this in a whole PDF: no text layer
# Share of decoded characters that may be control/unassigned before we call
# the decoding wrong (a few stray control characters do occur in real files).
MAX_ODD_CHAR_SHARE = 0.02
# Word and LibreOffice set a little space between Chinese and Latin letters or digits (autospace),
# which PDFium reads back as a space: "自 2026 年 1 月" where the author typed "自2026年1月".
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_AUTOSPACE = re.compile(rf"(?<=[{_CJK}]) (?=[0-9A-Za-z])|(?<=[0-9A-Za-z]) (?=[{_CJK}])")


class ParseInputError(ValueError):
    """The upload cannot be read; ``str(error)`` is a message for the user in their language."""


def read_upload(filename: str, data: bytes) -> str:
    """Plain text of an uploaded .txt or .docx file (line breaks as ``\\n``)."""
    ext = PurePath(filename or "").suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        shown = ext or _("(no extension)")
        raise ParseInputError(
            _("Files of type %(ext)s are not supported; upload a .txt, .docx, .doc, .wps or .pdf file") % {"ext": shown}
        )
    if not data:
        raise ParseInputError(_("The file is empty"))
    if ext == ".docx":
        text = _read_docx(data)
    elif ext in (".doc", ".wps"):
        if not data.startswith(OLE_SIGNATURE):
            raise ParseInputError(
                _("This is not a valid %(ext)s file (perhaps another file renamed); save it as .docx and upload that")
                % {"ext": ext}
            )
        text = _read_docx(convert_to_docx(data, ext))
        if not _looks_like_text(text):
            raise ParseInputError(
                _("This %(ext)s file cannot be read (it may be damaged); save it as .docx and upload that")
                % {"ext": ext}
            )
    elif ext == ".pdf":
        text = _read_pdf(data)
    else:
        text = _decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise ParseInputError(_("The file is empty (it has no readable text)"))
    return text


def _decode_text(data: bytes) -> str:
    # A BOM is authoritative; UTF-32 must be tested before UTF-16 (same prefix).
    for bom, encoding in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise ParseInputError(
                    _("The file says it is %(encoding)s but its content cannot be decoded")
                    % {"encoding": encoding.upper()}
                ) from None
    if b"\x00" in data:
        raise ParseInputError(_("This is not a text file (it holds binary content); upload a .txt or .docx file"))
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
        raise ParseInputError(
            _("This is not a text file (it holds many characters that cannot be shown); upload a .txt or .docx file")
        )
    raise ParseInputError(_("The file's encoding is not recognised; save it as UTF-8 or GBK text and upload it again"))


def _looks_like_text(text: str) -> bool:
    odd = sum(
        1 for c in text if c == "\ufffd" or c not in "\n\r\t\f" and unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs")
    )
    return odd <= MAX_ODD_CHAR_SHARE * max(len(text), 1)


def _read_docx(data: bytes) -> str:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ParseInputError(
            _("This is not a valid .docx file (perhaps an old .doc or another file renamed); save it as .docx in Word")
        )
    from .docx_reader import docx_text

    try:
        return docx_text(data)
    except Exception as exc:  # python-docx raises several unrelated types here
        raise ParseInputError(_("This is not a valid .docx file; it may be damaged")) from exc


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(data: bytes, ext: str) -> bytes:
    """A .doc / .wps converted by LibreOffice headless, in a private profile and folder
    (so conversions running at the same time do not share LibreOffice's lock)."""
    soffice = soffice_path()
    if soffice is None:
        raise ParseInputError(
            _(
                "LibreOffice is not installed on the server, so %(ext)s files cannot be read; "
                "save it as .docx in Word or WPS and upload that"
            )
            % {"ext": ext}
        )
    with tempfile.TemporaryDirectory(prefix="opsportal-convert-") as tmp:
        source = Path(tmp) / f"upload{ext}"
        source.write_bytes(data)
        try:
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{tmp}/profile",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "docx:MS Word 2007 XML",
                    "--outdir",
                    tmp,
                    str(source),
                ],
                check=False,
                capture_output=True,
                timeout=CONVERT_TIMEOUT_S,
                env={**os.environ, "HOME": tmp},
            )
        except subprocess.TimeoutExpired:
            raise ParseInputError(
                _("Converting the %(ext)s file took too long; save it as .docx and upload that") % {"ext": ext}
            ) from None
        target = Path(tmp) / "upload.docx"
        if not target.exists():
            raise ParseInputError(
                _(
                    "This %(ext)s file cannot be read (it may be damaged or not a Word/WPS document); "
                    "save it as .docx and upload that"
                )
                % {"ext": ext}
            )
        return target.read_bytes()


def _stroked(obj) -> bool:
    import ctypes

    import pypdfium2.raw as pdfium_raw

    fill, stroke = ctypes.c_int(), ctypes.c_int()
    return bool(pdfium_raw.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke)) and stroke.value)


def _read_pdf(data: bytes) -> str:
    # PDFium (pypdfium2, the engine pdfplumber itself ships with) reads a 300-page text
    # layer in about a second; pdfminer's pure-Python layout analysis took half a minute.
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

    from .pdf_reader import page_text

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ParseInputError(_("This is not a valid PDF file"))
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ParseInputError(
                _("The PDF is protected by a password; remove the password and upload it again")
            ) from None
        raise ParseInputError(_("This is not a valid PDF file; it may be damaged")) from exc
    pages, images = [], 0
    kinds = [pdfium_raw.FPDF_PAGEOBJ_IMAGE, pdfium_raw.FPDF_PAGEOBJ_PATH]
    try:
        for page in document:
            textpage = page.get_textpage()
            paths = []
            for obj in page.get_objects(filter=kinds, max_depth=2):
                if obj.type == pdfium_raw.FPDF_PAGEOBJ_IMAGE:
                    images += 1
                else:
                    paths.append((obj.get_bounds(), _stroked(obj)))
            width, height = page.get_size()
            pages.append(page_text(textpage, width, height, paths))
            textpage.close()
            page.close()
    finally:
        document.close()
    text = _AUTOSPACE.sub("", "\n".join(pages).replace("\r\n", "\n"))
    if len(re.sub(r"\s", "", text)) < MIN_PDF_TEXT_CHARS:
        if images:
            raise ParseInputError(
                ngettext(
                    "This PDF is a scan (%(pages)s page of images) with no text to extract. Upload a text PDF "
                    "or a Word file, or convert it with text recognition (OCR) first",
                    "This PDF is a scan (%(pages)s pages of images) with no text to extract. Upload a text PDF "
                    "or a Word file, or convert it with text recognition (OCR) first",
                    len(pages),
                )
                % {"pages": len(pages)}
            )
        raise ParseInputError(_("The PDF has no text to extract"))
    return text
