"""The minutes as a document: one plain dict (stored as the issued version's snapshot, so an
old version reads as it was issued), rendered to the print page and to .docx."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.core.versions import version_label

from .models import MinutesVersion


def minutes_document(meeting, version: MinutesVersion | None, *, live: bool = False) -> dict:
    """The document of `version`: the snapshot when it was issued, else built from the rows."""
    if version is not None and version.snapshot and not live:
        return version.snapshot
    attendees = list(meeting.attendees.select_related("user", "delegate"))
    return {
        "title": meeting.title,
        "type": meeting.get_type_display(),
        "date": f"{meeting.date:%Y-%m-%d}",
        "time": f"{meeting.start_time:%H:%M}",
        "place": meeting.place or meeting.link,
        "department": meeting.department.name,
        "organiser": meeting.organiser.name,
        "minute_taker": meeting.minute_taker.name if meeting.minute_taker else "",
        "version": version.number if version else 0,
        "summary": version.summary if version else "",
        "attendance": [
            {
                "name": a.user.name,
                "status": a.get_attendance_display(),
                "delegate": a.delegate.name if a.delegate else "",
            }
            for a in attendees
        ],
        "agenda": [
            {
                "title": item.title,
                "presenter": item.presenter.name if item.presenter else "",
                "notes": item.notes,
            }
            for item in meeting.agenda.select_related("presenter")
        ],
        "decisions": [d.text for d in meeting.decisions.all()],
        "actions": [
            {
                "title": a.title,
                "owner": a.owner.name,
                "due": f"{a.due_date:%Y-%m-%d}",
                "expected": a.expected_result,
            }
            for a in meeting.actions.select_related("owner")
        ],
    }


def to_docx(doc: dict) -> bytes:
    from docx import Document
    from docx.shared import Pt

    out = Document()
    out.styles["Normal"].font.size = Pt(11)
    out.add_heading(doc["title"] + " " + _("Minutes"), level=0)
    meta = out.add_table(rows=0, cols=2)
    meta.style = "Table Grid"
    for label, value in (
        (_("Date"), f"{doc['date']} {doc['time']}"),
        (_("Place"), doc["place"] or "—"),
        (_("Department"), doc["department"]),
        (_("Organiser"), doc["organiser"]),
        (_("Minute-taker"), doc["minute_taker"] or "—"),
        (_("Version"), version_label(doc["version"])),
    ):
        cells = meta.add_row().cells
        cells[0].text, cells[1].text = label, value
    out.add_heading(_("Attendance"), level=1)
    table = out.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text, table.rows[0].cells[2].text = (
        _("Name"),
        _("Attendance"),
        pgettext("meeting", "Delegate"),
    )
    for row in doc["attendance"]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = row["name"], row["status"], row["delegate"]
    if doc["summary"]:
        out.add_heading(_("Summary"), level=1)
        out.add_paragraph(doc["summary"])
    out.add_heading(_("Agenda and minutes"), level=1)
    for i, item in enumerate(doc["agenda"], start=1):
        heading = f"{i}. {item['title']}" + (f"（{item['presenter']}）" if item["presenter"] else "")
        out.add_heading(heading, level=2)
        if item["notes"]:
            out.add_paragraph(item["notes"])
    out.add_heading(pgettext("meeting", "Decisions"), level=1)
    for i, text in enumerate(doc["decisions"], start=1):
        out.add_paragraph(f"{i}. {text}")
    out.add_heading(_("Action items"), level=1)
    table = out.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, label in zip(
        table.rows[0].cells, (_("Action"), _("Owner"), _("Due date"), _("Expected result")), strict=True
    ):
        cell.text = label
    for a in doc["actions"]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text, cells[3].text = a["title"], a["owner"], a["due"], a["expected"]
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


UNSAFE_START = ("=", "+", "-", "@")


def safe_cell(value):
    """Text that a spreadsheet would run as a formula is written as text (a leading ')."""
    if isinstance(value, str) and value.startswith(UNSAFE_START):
        return "'" + value
    return value


def to_xlsx(sheets: list[tuple[str, list[list]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title[:31])
        for row in rows:
            sheet.append([safe_cell(c) for c in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for col in sheet.columns:
            sheet.column_dimensions[col[0].column_letter].width = 18
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
