"""Attendance of a session from a spreadsheet (CSV or XLSX, through apps.core.spreadsheets).

Columns: 登录名 (the login, as on the roster) and 出勤情况 (出席 / 缺席 / 请假, also 出勤 / 缺勤, or present /
absent / excused); 姓名 and 部门 may be there for the person filling it in and are not read. Every row
is checked before anything is saved: an unknown login, someone not enrolled, an unknown
attendance or a login twice is named with its row, and the file is applied only when every
row is valid (``services.record_attendance`` writes them in one transaction)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from apps.core.spreadsheets import Formula, ImportFileError, map_header, read_rows

from .models import Attendance, Session

HEADER = ["登录名", "姓名", "部门", "出勤情况"]
COLUMNS = {
    "login": ("登录名", "账号", "工号", "login", "username", "user name"),
    "status": ("出勤情况", "出勤", "attendance", "status"),
}
RECORDED = (Attendance.PRESENT, Attendance.ABSENT, Attendance.EXCUSED)
MAX_ERRORS_SHOWN = 20


def _status_words() -> dict[str, str]:
    """Every way of writing an attendance the file may use: the code, the label in each
    language, and the words people type (到, 出勤, 缺勤, 事假…)."""
    words = {s.value: s.value for s in RECORDED}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            words.update({str(s.label).lower(): s.value for s in RECORDED})
    words.update(
        {"出勤": Attendance.PRESENT, "到": Attendance.PRESENT, "已到": Attendance.PRESENT, "签到": Attendance.PRESENT}
    )
    words.update({"缺勤": Attendance.ABSENT, "未到": Attendance.ABSENT, "旷课": Attendance.ABSENT})
    words.update({"事假": Attendance.EXCUSED, "病假": Attendance.EXCUSED, "公假": Attendance.EXCUSED})
    return words


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_attendance(*, session: Session, filename: str, data: bytes) -> dict[int, str]:
    """{person id: status} for every row, or ValidationError listing each bad row."""
    try:
        rows = read_rows(filename, data)
    except ImportFileError as exc:
        raise ValidationError(str(exc)) from None
    mapping = map_header(rows[0], COLUMNS)
    missing = [COLUMNS[key][0] for key in COLUMNS if key not in mapping]
    if missing:
        raise ValidationError(
            _("Missing columns: %(cols)s. Download the roster to get a file with the right header.")
            % {"cols": "、".join(missing)}
        )
    body = [(i + 2, cells) for i, cells in enumerate(rows[1:])]

    def cell(cells, key):
        idx = mapping[key]
        return cells[idx] if idx < len(cells) else None

    logins = {_text(cell(c, "login")) for _line, c in body}
    people = {u.username: u.pk for u in get_user_model().objects.filter(username__in=logins).only("pk", "username")}
    enrolled = set(session.enrollments.values_list("person_id", flat=True))
    words = _status_words()
    choices = "、".join(str(s.label) for s in RECORDED)
    errors, statuses, seen = [], {}, {}
    for line, cells in body:
        login, status = cell(cells, "login"), cell(cells, "status")
        if isinstance(login, Formula) or isinstance(status, Formula):
            errors.append(_("Row %(line)s: a cell holds a formula; type the value instead.") % {"line": line})
            continue
        login, written = _text(login), _text(status)
        value = words.get(written.lower())
        if not login:
            errors.append(_("Row %(line)s: the login is empty.") % {"line": line})
        elif login not in people:
            errors.append(_("Row %(line)s: nobody has the login “%(login)s”.") % {"line": line, "login": login})
        elif people[login] not in enrolled:
            errors.append(
                _("Row %(line)s: %(login)s is not enrolled in this session.") % {"line": line, "login": login}
            )
        elif login in seen:
            errors.append(
                _("Row %(line)s: %(login)s is already on row %(first)s.")
                % {"line": line, "login": login, "first": seen[login]}
            )
        if value is None:
            errors.append(
                _("Row %(line)s: “%(value)s” is not an attendance; write one of %(choices)s.")
                % {"line": line, "value": written, "choices": choices}
            )
        if login in people and login not in seen:
            seen[login] = line
            if value is not None:
                statuses[people[login]] = value
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(_("…and %(n)s more problems.") % {"n": len(errors) - MAX_ERRORS_SHOWN})
        raise ValidationError([_("Nothing was saved. Correct these rows and upload the file again:"), *shown])
    return statuses


def roster_rows(session: Session) -> list[list]:
    """The session's roster in the import's format: a file to fill in and upload again."""
    labels = dict(Attendance.choices)
    rows: list[list] = [HEADER]
    for e in session.enrollments.select_related("person", "person__department").order_by("person__username"):
        status = str(labels[e.status]) if e.status in RECORDED else ""
        rows.append([e.person.username, e.person.name, e.person.department.name if e.person.department else "", status])
    return rows
