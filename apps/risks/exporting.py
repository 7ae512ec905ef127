"""The register as XLSX, and chart data for a key risk indicator."""

from django.utils.translation import gettext as _

from apps.core.spreadsheets import XlsxWriter

from .models import KeyRiskIndicator
from .scoring import Level


def register_rows(risks) -> list[list]:
    header = [
        _("Code"),
        _("Title"),
        _("Category"),
        _("Department"),
        _("Owner"),
        _("Status"),
        _("Likelihood"),
        _("Impact"),
        _("Inherent score"),
        _("Inherent level"),
        _("Residual likelihood"),
        _("Residual impact"),
        _("Residual score"),
        _("Residual level"),
        _("Response"),
        _("Early warning"),
        _("Next review"),
        _("Description"),
        _("Causes"),
        _("Consequences"),
    ]
    rows = [header]
    for r in risks.iterator(chunk_size=2000):
        rows.append(
            [
                r.code,
                r.title,
                r.category.label,
                r.department.name,
                r.owner.username if r.owner_id else "",
                r.get_status_display(),
                r.likelihood,
                r.impact,
                r.inherent_score,
                Level(r.inherent_level).label if r.inherent_level else "",
                r.residual_likelihood,
                r.residual_impact,
                r.residual_score,
                Level(r.residual_level).label if r.residual_level else "",
                r.get_strategy_display(),
                _("yes") if r.in_warning else "",
                r.review_date,
                r.description,
                r.causes,
                r.consequences,
            ]
        )
    return rows


def register_xlsx(risks) -> bytes:
    """Through the portal's one spreadsheet writer: bold frozen header, autofilter, widths."""
    rows = iter(register_rows(risks.select_related("category", "department", "owner")))
    writer = XlsxWriter(
        str(_("Risk register")),
        next(rows),
        widths=[14, 36, 12, 18, 14, 12, 8, 8, 8, 8, 8, 8, 8, 8, 10, 8, 12, 40, 30, 30],
    )
    for row in rows:
        writer.append(row)
    return writer.to_bytes()


def kri_chart(kri: KeyRiskIndicator) -> dict:
    """The bound indicator's last 12 periods with the threshold, for Chart.js."""
    from apps.kpis.selectors import indicator_history

    history = indicator_history(kri.indicator, length=12)
    return {
        "labels": [str(f.period.label) for f in history],
        "actual": [float(f.actual) if f.actual is not None else None for f in history],
        "threshold": float(kri.threshold),
        "unit": kri.indicator.unit,
    }
