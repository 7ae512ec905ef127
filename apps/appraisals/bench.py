"""`make bench` pages and jobs for appraisals."""

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import reverse

from .models import Appraisal, AppraisalEvent, Cycle, CycleEvent, PeerReview, Stage, TemplateSnapshot

BENCH_CODE = "2099Q1"  # a period no real cycle uses, so the job can delete and reopen it


def pages(ctx) -> list[dict]:
    out = []
    open_cycle = Cycle.objects.exclude(stage=Stage.CLOSED).exclude(code=BENCH_CODE).order_by("-period_end").first()
    closed = Cycle.objects.filter(stage=Stage.CLOSED).order_by("-period_end").first()
    manager = get_user_model().objects.filter(username=ctx["bench_users"].get("manager")).first()
    if open_cycle and manager:
        n = Appraisal.objects.filter(cycle=open_cycle, reviewer=manager).count()
        out.append(
            {
                "name": f"appraisal team page ({n} reports)",
                "path": reverse("appraisals:cycle_team", args=[open_cycle.code]),
                "role": "manager",
            }
        )
        a = Appraisal.objects.filter(cycle=open_cycle, reviewer=manager, status="submitted").first()
        if a:
            out.append(
                {
                    "name": "appraisal review form",
                    "path": reverse("appraisals:appraisal", args=[a.pk]),
                    "role": "manager",
                }
            )
    if closed:
        out.append(
            {
                "name": "company-wide calibration (closed quarter)",
                "path": reverse("appraisals:calibration", args=[closed.code]),
                "role": "hr",
            }
        )
    if open_cycle:
        out.append(
            {
                "name": "company-wide calibration (open quarter)",
                "path": reverse("appraisals:calibration", args=[open_cycle.code]),
                "role": "hr",
            }
        )
        out.append(
            {
                "name": "appraisal cycle participants",
                "path": reverse("appraisals:cycle", args=[open_cycle.code]),
                "role": "hr",
            }
        )
    out.append({"name": "my appraisals", "path": reverse("appraisals:home"), "role": "staff"})
    return out


@transaction.atomic
def discard_bench_cycle() -> None:
    """Delete the bench cycle with a handful of set-based deletes (no per-row collection)."""
    cycle = Cycle.objects.filter(code=BENCH_CODE).first()
    if cycle is None:
        return
    with connection.cursor() as cur:
        for model, column in ((AppraisalEvent, "appraisal_id"), (PeerReview, "appraisal_id")):
            cur.execute(
                f"DELETE FROM {model._meta.db_table} WHERE {column} IN "  # nosec B608 -- table and column names come from model meta
                f"(SELECT id FROM {Appraisal._meta.db_table} WHERE cycle_id = %s)",
                [cycle.pk],
            )
        for model in (Appraisal, TemplateSnapshot, CycleEvent):
            cur.execute(f"DELETE FROM {model._meta.db_table} WHERE cycle_id = %s", [cycle.pk])  # nosec B608 -- table name from model meta, value bound
        cur.execute(f"DELETE FROM {Cycle._meta.db_table} WHERE id = %s", [cycle.pk])  # nosec B608 -- table name from model meta, value bound


def jobs(ctx) -> list[dict]:
    def open_cycle() -> int:
        from .services import appraisal_cycle_open

        discard_bench_cycle()
        _cycle, created = appraisal_cycle_open(code=BENCH_CODE, notify=False)
        return created

    def export_results() -> int:
        from .exports import cycle_results

        closed = Cycle.objects.filter(stage=Stage.CLOSED).order_by("-period_end").first()
        if closed is None:
            return 0
        cycle_results(closed)
        return closed.appraisals.count()

    return [
        {"name": "open appraisal cycle (all employees)", "run": open_cycle},
        {"name": "appraisal results XLSX (closed quarter)", "run": export_results},
    ]
