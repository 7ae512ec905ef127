"""Test helpers shared by the appraisal tests (importable, unlike conftest)."""

from apps.appraisals import services
from apps.appraisals.models import Appraisal, Cycle, Stage


def set_stage(cycle: Cycle, stage: str) -> Cycle:
    Cycle.objects.filter(pk=cycle.pk).update(stage=stage)
    cycle.refresh_from_db()
    return cycle


def appraisal_of(cycle, user) -> Appraisal:
    return Appraisal.objects.select_related("cycle", "form", "employee", "reviewer").get(cycle=cycle, employee=user)


def full_scores(appraisal, score="85", comment="好"):
    return {str(c["id"]): {"score": str(score), "comment": comment} for c in appraisal.form.criteria}


def post_scores(appraisal, score="85", summary="季度总结", **extra):
    data = {"summary": summary, **extra}
    for c in appraisal.form.criteria:
        data[f"score-{c['id']}"] = str(score)
        data[f"comment-{c['id']}"] = "评语"
    return data


def review_all(cycle, score_of=lambda a: "85"):
    """Every live appraisal of the cycle reviewed by its reviewer (manager review stage)."""
    set_stage(cycle, Stage.REVIEW)
    for a in Appraisal.objects.filter(cycle=cycle, is_excluded=False).select_related(
        "cycle", "form", "reviewer", "employee"
    ):
        if a.reviewer is None:  # the top of the company: HR would assign or exclude
            Appraisal.objects.filter(pk=a.pk).update(is_excluded=True, excluded_reason="最高负责人")
            continue
        services.appraisal_save_review(
            appraisal=a, actor=a.reviewer, scores=full_scores(a, score_of(a)), summary="评语", submit=True
        )
    return cycle


def publish(cycle, hr):
    set_stage(cycle, Stage.CALIBRATION)
    return services.cycle_transition(cycle=cycle, action="publish", actor=hr)
