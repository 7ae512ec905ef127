"""`generate_scale_data` part for appraisals: --appraisal-quarters N closed quarters (default
4) with published results for everybody, and the current quarter open in manager review
(most self-assessments in, part of the reviews done). Bulk inserts only: the rows are
built and filled in memory and written with bulk_create."""

import random
import time
from datetime import date, timedelta

from django.utils import timezone

from apps.core.statemachine import create_in

from .defaults import ensure_default_template
from .machines import CYCLE
from .models import DEFAULT_FORCED_DISTRIBUTION, DEFAULT_GRADE_BANDS, Appraisal, Cycle, Stage, TemplateSnapshot
from .opening import build_appraisals, default_dates, eligible_people, parse_period
from .simulate import cap_excellent, fill

BATCH = 2000


def add_arguments(parser) -> None:
    parser.add_argument(
        "--appraisal-quarters", type=int, default=4, help="closed appraisal quarters before the open one (default 4)"
    )


def _quarter_codes(today: date, closed: int) -> list[str]:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    codes = []
    for _ in range(closed + 1):
        codes.append(f"{year}Q{quarter}")
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return codes[::-1]  # oldest first; the last one is the open quarter


def _cycle(code: str, today: date, stage: str) -> Cycle:
    kind, start, end = parse_period(code)
    opened = min(today, end + timedelta(days=8)) if stage != Stage.REVIEW else today - timedelta(days=12)
    dates = default_dates(end, opened)
    if stage == Stage.REVIEW:
        dates["self_deadline"] = today - timedelta(days=2)
        dates["review_deadline"] = max(dates["review_deadline"], today + timedelta(days=7))
        dates["calibration_deadline"] = dates["review_deadline"] + timedelta(days=7)
        dates["close_date"] = dates["calibration_deadline"] + timedelta(days=14)
    return create_in(
        Cycle,
        machine=CYCLE,
        status=stage,
        code=code,
        kind=kind,
        period_start=start,
        period_end=end,
        grade_bands=DEFAULT_GRADE_BANDS,
        forced_distribution=DEFAULT_FORCED_DISTRIBUTION,
        published_at=timezone.now() if stage == Stage.CLOSED else None,
        **dates,
    )


def generate(ctx: dict, options: dict) -> None:
    rng: random.Random = ctx["rng"]
    today = ctx["today"]
    ensure_default_template()
    codes = _quarter_codes(today, options.get("appraisal_quarters", 4))
    total = 0
    for code in codes:
        if Cycle.objects.filter(code=code).exists():
            continue
        started = time.monotonic()
        is_open = code == codes[-1]
        cycle = _cycle(code, today, Stage.REVIEW if is_open else Stage.CLOSED)
        people = list(eligible_people(cycle).values("id", "department_id", "position_id", "manager_id"))
        rows = build_appraisals(cycle, people)
        forms = {s.pk: s for s in TemplateSnapshot.objects.filter(cycle=cycle)}
        for a in rows:
            a.form = forms[a.form_id]
            if is_open:
                roll = rng.random()
                if roll < 0.9:
                    fill(a, rng, review_done=roll < 0.45)
            else:
                fill(a, rng, published=True, acknowledged=rng.random() < 0.85)
        if not is_open:
            cap_excellent(rows, 20)
        Appraisal.objects.bulk_create(rows, batch_size=BATCH)
        total += len(rows)
        ctx["timings"].append({"name": f"appraisals {code}", "seconds": time.monotonic() - started, "items": len(rows)})
    ctx["stdout"].write(f"  appraisals: {total} appraisals in {len(codes)} cycles (open: {codes[-1]})")
