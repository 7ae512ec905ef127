"""Importing an existing risk register from XLSX/CSV: every row checked, errors listed per row,
and nothing saved unless every row is valid (then all rows in one transaction)."""

from dataclasses import dataclass, field
from io import BytesIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.spreadsheets import ImportFileError, map_header, read_csv_rows
from apps.departments.models import Department

from . import services
from .models import Category, Risk, Strategy
from .selectors import scale_size

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

COLUMNS = {
    "code": ("code", "编号", "风险编号"),
    "title": ("title", "名称", "风险名称", "标题"),
    "category": ("category", "类别", "风险类别"),
    "department": ("department", "部门", "责任部门"),
    "owner": ("owner", "责任人", "负责人"),
    "likelihood": ("likelihood", "可能性"),
    "impact": ("impact", "影响", "影响程度"),
    "residual_likelihood": ("residual likelihood", "剩余可能性"),
    "residual_impact": ("residual impact", "剩余影响"),
    "controls": ("controls", "现有控制措施", "控制措施"),
    "strategy": ("response", "strategy", "应对策略"),
    "description": ("description", "描述", "风险描述"),
    "causes": ("causes", "原因", "风险成因"),
    "consequences": ("consequences", "后果"),
}
REQUIRED = ("title", "category", "department")


@dataclass
class Row:
    number: int
    values: dict
    errors: list[str] = field(default_factory=list)


def read_rows(filename: str, data: bytes) -> list[list]:
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB."))
    name = filename.lower()
    if name.endswith(".csv"):
        return read_csv_rows(data)
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise ImportFileError(_("The file could not be read as an Excel workbook (.xlsx)."))
        rows = []
        for row in wb.active.iter_rows(values_only=True):
            rows.append(["" if v is None else v for v in row])
            if len(rows) > MAX_ROWS + 1:
                raise ImportFileError(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
        return rows
    raise ImportFileError(_("Upload an .xlsx or .csv file."))


def _int(value):
    if value in ("", None):
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return "bad"
    return int(number) if number == int(number) else "bad"


def validate(raw: list[list]) -> list[Row]:
    if not raw:
        raise ImportFileError(_("The file is empty."))
    mapping = map_header(raw[0], COLUMNS)
    missing = [k for k in REQUIRED if k not in mapping]
    if missing:
        raise ImportFileError(_("Missing columns: %(cols)s.") % {"cols": ", ".join(COLUMNS[k][-1] for k in missing)})
    categories = {}
    for c in Category.objects.all():
        for key in (c.code, c.name, c.name_en):
            if key:
                categories[key.strip().lower()] = c.pk
    departments = {}
    for code, name, pk in Department.objects.values_list("code", "name", "pk"):
        departments[code.lower()] = pk
        departments.setdefault(name.strip().lower(), pk)
    users = {u.lower(): pk for u, pk in get_user_model().objects.filter(is_active=True).values_list("username", "pk")}
    codes_taken = set(Risk.objects.values_list("code", flat=True))
    max_l, max_i = scale_size()
    strategies = {}
    for value, label in Strategy.choices:
        strategies[value] = value
        strategies[str(label).lower()] = value
    strategies.update({"规避": "avoid", "降低": "reduce", "转移": "transfer", "接受": "accept"})
    rows, seen_codes = [], set()
    for number, cells in enumerate(raw[1:], start=2):
        get = {k: str(cells[i]).strip() if i < len(cells) and cells[i] is not None else "" for k, i in mapping.items()}
        if not any(get.values()):
            continue
        row = Row(number=number, values=dict(get))
        for key in REQUIRED:
            if not get.get(key):
                row.errors.append(_("%(col)s is empty.") % {"col": COLUMNS[key][-1]})
        if get.get("category") and get["category"].lower() not in categories:
            row.errors.append(_("Unknown category: %(v)s.") % {"v": get["category"]})
        if get.get("department") and get["department"].lower() not in departments:
            row.errors.append(_("Unknown department: %(v)s.") % {"v": get["department"]})
        if get.get("owner") and get["owner"].lower() not in users:
            row.errors.append(_("Unknown person (login): %(v)s.") % {"v": get["owner"]})
        code = get.get("code", "")
        if code and (code in codes_taken or code in seen_codes):
            row.errors.append(_("The code %(v)s is used already.") % {"v": code})
        seen_codes.add(code)
        scores = {}
        for key, top in (
            ("likelihood", max_l),
            ("impact", max_i),
            ("residual_likelihood", max_l),
            ("residual_impact", max_i),
        ):
            value = _int(get.get(key))
            if value == "bad" or (value is not None and not 1 <= value <= top):
                row.errors.append(
                    _("%(col)s must be a whole number from 1 to %(n)s.") % {"col": COLUMNS[key][-1], "n": top}
                )
            scores[key] = value if value != "bad" else None
        given = [scores[k] is not None for k in ("likelihood", "impact")]
        if any(given) and not all(given):
            row.errors.append(_("Give both likelihood and impact, or neither."))
        if (scores["residual_likelihood"] is None) != (scores["residual_impact"] is None):
            row.errors.append(_("Give both residual likelihood and residual impact, or neither."))
        if get.get("strategy") and get["strategy"].lower() not in strategies:
            row.errors.append(_("Unknown response: %(v)s.") % {"v": get["strategy"]})
        row.values.update(
            {
                "category_id": categories.get(get.get("category", "").lower()),
                "department_id": departments.get(get.get("department", "").lower()),
                "owner_id": users.get(get.get("owner", "").lower()),
                "strategy_value": strategies.get(get.get("strategy", "").lower(), ""),
                **{f"{k}_n": v for k, v in scores.items()},
            }
        )
        rows.append(row)
    if not rows:
        raise ImportFileError(_("The file has no rows below its header."))
    return rows


@transaction.atomic
def apply(rows: list[dict], *, actor) -> int:
    """Save every row (already validated); an error in any row rolls back all of them."""
    from django.utils import timezone

    for v in rows:
        risk = Risk.objects.create(
            code=v.get("code") or services.next_code(timezone.localdate().year),
            title=v["title"][:200],
            description=v.get("description", ""),
            causes=v.get("causes", ""),
            consequences=v.get("consequences", ""),
            category_id=v["category_id"],
            department_id=v["department_id"],
            owner_id=v.get("owner_id"),
            reported_by=actor,
            status=Risk.Status.OPEN,
            strategy=v.get("strategy_value", ""),
        )
        if v.get("likelihood_n"):
            services.assess(
                risk=risk,
                actor=actor,
                likelihood=v["likelihood_n"],
                impact=v["impact_n"],
                residual_likelihood=v.get("residual_likelihood_n") or v["likelihood_n"],
                residual_impact=v.get("residual_impact_n") or v["impact_n"],
                controls=v.get("controls", ""),
                note=str(_("Imported")),
            )
    return len(rows)
