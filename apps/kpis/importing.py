"""Figures in and out of spreadsheets (XLSX or CSV), one format both ways.

Columns: 指标编码, 指标名称, 期间, 单位, 目标值, 实际值, 说明. Only the code, the period and
the actual are read back (name, unit and target are there for the person filling it in);
a row with an empty actual is skipped. Every row is checked before anything is saved,
and the file is applied only when every row is valid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from apps.core.spreadsheets import Formula, ImportFileError, csv_text, map_header, read_rows, xlsx_bytes

from .forms import out_of_range_message, parse_number
from .models import Indicator
from .periods import Period, not_begun, not_begun_message

HEADER = ["指标编码", "指标名称", "期间", "单位", "目标值", "实际值", "说明"]
COLUMNS = {
    "code": ("指标编码", "编码", "code", "indicator code"),
    "period": ("期间", "period"),
    "value": ("实际值", "实际", "actual", "value"),
    "note": ("说明", "备注", "note"),
}
REQUIRED = ("code", "period", "value")


@dataclass
class Row:
    line: int
    values: dict
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    indicator: Indicator | None = None
    period: Period | None = None
    number: object = None
    old: object = None  # the figure already saved for this indicator and period (overwritten)

    @property
    def overwrites(self) -> bool:
        return self.old is not None and self.number is not None and self.old != self.number


# --- reading -----------------------------------------------------------------------
def read_table(filename: str, data: bytes, progress=None) -> list[dict]:
    rows = read_rows(filename, data, progress=progress)
    header, body = rows[0], rows[1:]
    mapping = _map_header(header)
    return [{key: _cell(cells[idx]) if idx < len(cells) else "" for key, idx in mapping.items()} for cells in body]


# A large file is read by a worker (apps/core/imports.py), which stores it through this.
IMPORT_KIND = "kpis.figures"


def store_batch(*, user_id: int, filename: str, rows: list[dict]) -> str:
    from django.urls import reverse

    from .models import FigureImport

    batch = FigureImport.objects.create(created_by_id=user_id, filename=filename[:200], rows=rows)
    return reverse("kpis:import_preview", args=[batch.pk])


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, Formula):
        return {"formula": str(value)}
    if isinstance(value, datetime):
        return value.strftime("%Y-%m")
    if isinstance(value, date):
        return value.strftime("%Y-%m")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _map_header(header: list) -> dict[str, int]:
    mapping = map_header(header, COLUMNS)
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in mapping]
    if missing:
        raise ImportFileError(
            _("Missing columns: %(cols)s. Download the template to see the expected header.")
            % {"cols": "、".join(missing)}
        )
    return mapping


# --- checking ----------------------------------------------------------------------
def validate_rows(raw_rows: list[dict], *, user, today: date | None = None) -> list[Row]:
    """Check every row against the database and the other rows; a fixed number of queries.
    Each valid row knows the figure it would overwrite (`old`)."""
    from django.utils import timezone

    from .selectors import locks, visible_indicators

    today = today or timezone.localdate()

    rows = [Row(line=i + 2, values=r) for i, r in enumerate(raw_rows)]
    codes = {r.values.get("code") for r in rows if isinstance(r.values.get("code"), str)}
    inds = {i.code: i for i in visible_indicators(user).filter(code__in=codes).select_related("department")}
    periods = []
    for row in rows:
        v, err = row.values, row.errors
        for key in ("code", "period", "value", "note"):
            if isinstance(v.get(key), dict):
                err.append(
                    _("Column %(col)s holds a formula (%(f)s); paste the value instead.")
                    % {"col": COLUMNS[key][0], "f": v[key]["formula"]}
                )
                v = {**v, key: None}  # named once; the other checks skip it
        code = v.get("code", "")
        if code is None:
            pass
        elif not code:
            err.append(_("The indicator code is empty."))
        elif code not in inds:
            err.append(_("Unknown indicator code “%(v)s”.") % {"v": code})
        else:
            row.indicator = inds[code]
            if not user.has_perm("kpis.enter_indicator", row.indicator):
                err.append(_("You may not enter figures for “%(v)s”.") % {"v": row.indicator.name})
        try:
            row.period = Period.parse(v.get("period", "")) if v.get("period") is not None else None
        except ValueError:
            err.append(_("Period “%(v)s” is not like 2026-03, 2026-Q1 or 2026.") % {"v": v.get("period", "")})
        if row.indicator and row.period and row.period.frequency != row.indicator.frequency:
            err.append(
                _("“%(code)s” is reported %(freq)s; period “%(p)s” does not fit.")
                % {"code": code, "freq": row.indicator.get_frequency_display(), "p": v.get("period")}
            )
            row.period = None
        if row.period and not_begun(row.period, today):
            err.append(not_begun_message(row.period))
            row.period = None
        try:
            row.number = parse_number(v.get("value", ""))  # None for an empty or formula cell
        except ValueError:
            err.append(_("Actual “%(v)s” is not a number.") % {"v": v.get("value")})
        if row.number is not None and row.indicator:
            warning = out_of_range_message(row.indicator, row.number)
            if warning:
                row.warnings.append(warning)
        if len(v.get("note") or "") > 500:
            err.append(_("The note is longer than 500 characters."))
        if row.period:
            periods.append(row.period)
    locked = locks(periods) if periods else set()
    _old_figures(rows)
    may_override = user.has_perm("kpis.enter_locked")
    seen: dict[tuple, int] = {}
    for row in rows:
        if row.indicator and row.period:
            key = (row.indicator.pk, row.period.key)
            if key in seen:
                row.errors.append(
                    _("This indicator and period are repeated (also on row %(line)d).") % {"line": seen[key]}
                )
            seen.setdefault(key, row.line)
            if (row.period.frequency, row.period.year, row.period.index) in locked and not may_override:
                row.errors.append(_("Period %(p)s is locked.") % {"p": row.period.label})
    return rows


def _old_figures(rows: list[Row]) -> None:
    """Fill each row's `old` from the figures already saved (one query)."""
    from django.db.models import Q

    from .models import Measurement

    keyed = [r for r in rows if r.indicator and r.period]
    if not keyed:
        return
    where = Q()
    for r in keyed:
        where |= Q(indicator_id=r.indicator.pk, year=r.period.year, index=r.period.index)
    saved = {
        (i, y, n): v
        for i, y, n, v in Measurement.objects.filter(where, value__isnull=False).values_list(
            "indicator_id", "year", "index", "value"
        )
    }
    for r in keyed:
        r.old = saved.get((r.indicator.pk, r.period.year, r.period.index))


# --- writing -----------------------------------------------------------------------
def export_rows(entry_rows: list[dict]) -> list[list]:
    out = [HEADER]
    for r in entry_rows:
        ind, fig, m = r["indicator"], r["figure"], r["measurement"]
        out.append(
            [
                ind.code,
                ind.name,
                r["period"].key,
                ind.unit,
                _plain(fig.target),
                _plain(m.value if m else None),
                m.note if m else "",
            ]
        )
    return out


def _plain(value):
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def to_xlsx(rows: list[list]) -> bytes:
    # text cells stay text; actual and target are written as numbers when they are numbers
    cells = [[_maybe_number(c) if i in (4, 5) and n else c for i, c in enumerate(row)] for n, row in enumerate(rows)]
    return xlsx_bytes(cells, title="指标实际值", widths=(14, 28, 10, 8, 12, 12, 30))


def _maybe_number(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return int(number) if number.is_integer() else number


def to_csv(rows: list[list]) -> str:
    return csv_text(rows)
