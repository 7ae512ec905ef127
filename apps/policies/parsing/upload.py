"""Read an uploaded regulation file (.txt, .docx, .doc/.wps, .pdf) into plain text.

.docx keeps its tables and Word's automatic numbering (``docx_reader``); .doc and
.wps are converted to .docx by LibreOffice headless (``soffice``, Debian package
libreoffice-writer-nogui); a .pdf gives its text layer (PDFium, via pypdfium2), and a scan
without one is refused with a message saying so.

Text files come from many Windows machines: UTF-8 with or without BOM, GBK /
GB18030 (what Notepad on a Chinese Windows writes), UTF-16 with BOM. Errors are
raised as ``ParseInputError`` with a Chinese message meant for the uploader.
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

SUPPORTED_EXTENSIONS = (".txt", ".docx", ".doc", ".wps", ".pdf")
CONVERT_TIMEOUT_S = 120
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 and WPS files are OLE containers
MIN_PDF_TEXT_CHARS = 20  # fewer non-space characters than this in a whole PDF: no text layer
# Share of decoded characters that may be control/unassigned before we call
# the decoding wrong (a few stray control characters do occur in real files).
MAX_ODD_CHAR_SHARE = 0.02


class ParseInputError(ValueError):
    """The upload cannot be read; ``str(error)`` is a Chinese message for the user."""


def read_upload(filename: str, data: bytes) -> str:
    """Plain text of an uploaded .txt or .docx file (line breaks as ``\\n``)."""
    ext = PurePath(filename or "").suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        shown = ext or "（无扩展名）"
        raise ParseInputError(f"不支持的文件类型 {shown}，请上传 .txt、.docx、.doc、.wps 或 .pdf 文件")
    if not data:
        raise ParseInputError("文件为空")
    if ext == ".docx":
        text = _read_docx(data)
    elif ext in (".doc", ".wps"):
        if not data.startswith(OLE_SIGNATURE):
            raise ParseInputError(f"这不是有效的 {ext} 文件（可能是改了扩展名的文件），请另存为 .docx 后上传")
        text = _read_docx(convert_to_docx(data, ext))
        if not _looks_like_text(text):
            raise ParseInputError(f"无法读取这个 {ext} 文件（文件可能已损坏），请另存为 .docx 后上传")
    elif ext == ".pdf":
        text = _read_pdf(data)
    else:
        text = _decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise ParseInputError("文件为空（没有可读取的文字）")
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
                raise ParseInputError(f"文件声明为 {encoding.upper()} 编码，但内容无法解码") from None
    if b"\x00" in data:
        raise ParseInputError("这不是文本文件（含有二进制内容），请上传 .txt 或 .docx 文件")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
        raise ParseInputError("这不是文本文件（含有大量不可显示的字符），请上传 .txt 或 .docx 文件")
    raise ParseInputError("无法识别文件编码，请另存为 UTF-8 或 GBK 编码的文本文件后重新上传")


def _looks_like_text(text: str) -> bool:
    odd = sum(
        1 for c in text if c == "\ufffd" or c not in "\n\r\t\f" and unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs")
    )
    return odd <= MAX_ODD_CHAR_SHARE * max(len(text), 1)


def _read_docx(data: bytes) -> str:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ParseInputError("这不是有效的 .docx 文件（可能是旧版 .doc 或改了扩展名的文件），请用 Word 另存为 .docx")
    from .docx_reader import docx_text

    try:
        return docx_text(data)
    except Exception as exc:  # python-docx raises several unrelated types here
        raise ParseInputError("这不是有效的 .docx 文件，文件可能已损坏") from exc


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(data: bytes, ext: str) -> bytes:
    """A .doc / .wps converted by LibreOffice headless, in a private profile and folder
    (so conversions running at the same time do not share LibreOffice's lock)."""
    soffice = soffice_path()
    if soffice is None:
        raise ParseInputError(
            f"服务器未安装 LibreOffice，暂时无法读取 {ext} 文件，请用 Word 或 WPS 另存为 .docx 后上传"
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
            raise ParseInputError(f"{ext} 文件转换超时，请另存为 .docx 后上传") from None
        target = Path(tmp) / "upload.docx"
        if not target.exists():
            raise ParseInputError(
                f"无法读取这个 {ext} 文件（文件可能已损坏或不是 Word/WPS 文档），请另存为 .docx 后上传"
            )
        return target.read_bytes()


def _read_pdf(data: bytes) -> str:
    # PDFium (pypdfium2, the engine pdfplumber itself ships with) reads a 300-page text
    # layer in about a second; pdfminer's pure-Python layout analysis took half a minute.
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ParseInputError("这不是有效的 PDF 文件")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ParseInputError("PDF 文件有密码保护，请先取消密码后上传") from None
        raise ParseInputError("这不是有效的 PDF 文件，文件可能已损坏") from exc
    pages, images = [], 0
    try:
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_bounded())
            images += sum(1 for _ in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE], max_depth=2))
            textpage.close()
            page.close()
    finally:
        document.close()
    text = "\n".join(pages).replace("\r\n", "\n")
    if len(re.sub(r"\s", "", text)) < MIN_PDF_TEXT_CHARS:
        if images:
            raise ParseInputError(
                f"这个 PDF 是扫描件（{len(pages)} 页图片），没有可提取的文字。"
                "请上传文字版 PDF 或 Word 文件，或先用文字识别（OCR）转换"
            )
        raise ParseInputError("PDF 中没有可提取的文字")
    return text
