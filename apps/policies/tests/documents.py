"""Real files for import tests, made here: .docx with Word auto-numbering and tables
(python-docx + numbering.xml), text PDFs (reportlab with its built-in Chinese CID
font, so no font file is needed) and .doc (LibreOffice converts the .docx)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from docx.oxml import parse_xml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# One list definition the way Chinese templates number regulations:
# level 0 第%1条 (Chinese counting), level 1 （%2）, level 2 %3. (decimal).
LEVELS = (("chineseCounting", "第%1条"), ("chineseCounting", "（%2）"), ("decimal", "%3."))


def _numbering_xml(abstract_id: int, num_id: int) -> tuple[str, str]:
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:suff w:val="space"/></w:lvl>'
        for i, (fmt, text) in enumerate(LEVELS)
    )
    abstract = f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract_id}">{levels}</w:abstractNum>'
    num = f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
    return abstract, num


def make_docx(blocks: list, *, numbered: bool = False) -> bytes:
    """blocks: str (a paragraph), ("num", level, text[, list]) (an auto-numbered paragraph:
    only when ``numbered``; ``list`` names a list instance whose numbering starts at 1, as
    an appendix's does) or ("table", rows)."""
    import docx

    document = docx.Document()
    instances: dict[object, int] = {}
    root = document.part.numbering_part.element if numbered else None
    if numbered:
        abstract, _ = _numbering_xml(90, 90)
        # abstractNum elements must come before num elements in numbering.xml.
        first_num = root.find(f"{{{W_NS}}}num")
        if first_num is not None:
            first_num.addprevious(parse_xml(abstract))
        else:
            root.append(parse_xml(abstract))
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        elif block[0] == "num":
            level, text = block[1], block[2]
            instance = block[3] if len(block) > 3 else "main"
            if instance not in instances:
                num_id = 90 + len(instances)
                _, num = _numbering_xml(90, num_id)
                root.append(parse_xml(num))
                instances[instance] = num_id
            paragraph = document.add_paragraph(text)
            ppr = paragraph._p.get_or_add_pPr()
            ppr.append(
                parse_xml(
                    f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{level}"/>'
                    f'<w:numId w:val="{instances[instance]}"/></w:numPr>'
                )
            )
        elif block[0] == "table":
            rows = block[1]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_pdf(lines: list, *, lines_per_page: int = 45, cell_boxes: bool = False) -> bytes:
    """A text PDF, one input line per PDF line (the caller keeps lines short enough); a
    ``("table", rows)`` entry is drawn as a ruled table: one line per border, or with
    ``cell_boxes`` one stroked rectangle per cell (as some PDF producers draw them)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    top, bottom, row_height = height - 50, 50, 20

    def new_page():
        pdf.showPage()
        pdf.setFont("STSong-Light", 10)
        return top

    pdf.setFont("STSong-Light", 10)
    y, on_page = top, 0
    for line in lines or [""]:
        if isinstance(line, tuple) and line[0] == "table":
            rows = line[1]
            if y - row_height * len(rows) < bottom:
                y, on_page = new_page(), 0
            cols = max(len(r) for r in rows)
            col_width = (width - 80) / cols
            y += 10  # the table's top border sits just under the previous line
            for r, row in enumerate(rows):
                row_top = y - r * row_height
                for c, value in enumerate(row):
                    pdf.drawString(40 + c * col_width + 4, row_top - 14, value)
                    if cell_boxes:
                        pdf.rect(40 + c * col_width, row_top - row_height, col_width, row_height, stroke=1, fill=0)
            if not cell_boxes:
                for r in range(len(rows) + 1):
                    pdf.line(40, y - r * row_height, width - 40, y - r * row_height)
                for c in range(cols + 1):
                    pdf.line(40 + c * col_width, y, 40 + c * col_width, y - len(rows) * row_height)
            y -= len(rows) * row_height + 16
            continue
        if on_page == lines_per_page or y < bottom:
            y, on_page = new_page(), 0
        pdf.drawString(40, y, line)
        y -= 16
        on_page += 1
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_scanned_pdf() -> bytes:
    """A PDF page that is only an image (what a scanner produces)."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (200, 100), 255)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawImage(ImageReader(image), 40, 500, 400, 200)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_doc(data: bytes) -> bytes:
    """The same document saved as Word 97-2003 .doc by LibreOffice."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source.docx"
        source.write_bytes(data)
        subprocess.run(
            [
                soffice(),
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "doc",
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
            env={"HOME": tmp, "PATH": "/usr/bin:/bin"},
        )
        return (Path(tmp) / "source.doc").read_bytes()
