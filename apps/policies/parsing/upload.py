"""Read an uploaded regulation file (.txt or .docx) into plain text.

Text files come from many Windows machines: UTF-8 with or without BOM, GBK /
GB18030 (what Notepad on a Chinese Windows writes), UTF-16 with BOM. Errors are
raised as ``ParseInputError`` with a Chinese message meant for the uploader.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import PurePath

SUPPORTED_EXTENSIONS = (".txt", ".docx")
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
        raise ParseInputError(f"不支持的文件类型 {shown}，请上传 .txt 或 .docx 文件")
    if not data:
        raise ParseInputError("文件为空")
    text = _read_docx(data) if ext == ".docx" else _decode_text(data)
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
    odd = sum(1 for c in text if c not in "\n\r\t\f" and unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs"))
    return odd <= MAX_ODD_CHAR_SHARE * max(len(text), 1)


def _read_docx(data: bytes) -> str:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ParseInputError("这不是有效的 .docx 文件（可能是旧版 .doc 或改了扩展名的文件），请用 Word 另存为 .docx")
    try:
        import docx  # python-docx; imported here so the parser runs without it
    except ImportError as exc:  # pragma: no cover - deployment problem
        raise ParseInputError("服务器缺少 python-docx 组件，暂时无法读取 .docx 文件") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types here
        raise ParseInputError("这不是有效的 .docx 文件，文件可能已损坏") from exc
    return "\n".join(p.text for p in document.paragraphs)
