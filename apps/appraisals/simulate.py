"""Plausible filled-in appraisals for the demo, the scale data and the screenshots.
Works on unsaved or loaded Appraisal objects; the caller bulk-saves them."""

import random
from decimal import Decimal

from django.utils import timezone

from . import scoring
from .models import Grade, Status

SELF_PHRASES = [
    "本季度按计划完成了主要工作任务，",
    "重点推进了部门年度目标分解的落实，",
    "积极配合跨部门项目，",
    "完成了岗位职责范围内的日常工作，",
    "牵头整理并优化了本岗位的工作流程，",
    "参与了客户回访和问题跟踪，",
]
SELF_ENDINGS = [
    "下季度将加强专业学习，提升工作效率。",
    "不足之处是个别任务进度偏慢，需要改进时间管理。",
    "今后将继续提高工作质量，减少返工。",
    "希望在沟通协调方面得到更多锻炼。",
]
MANAGER_PHRASES = [
    "工作认真负责，能按时完成任务。",
    "业务能力较强，能够独立处理复杂问题。",
    "团队协作意识好，乐于分享经验。",
    "工作质量稳定，但主动性有待提高。",
    "执行力强，关键任务完成出色。",
    "需加强计划性，避免任务积压。",
]
CRITERION_COMMENTS = ["完成情况良好", "达到岗位要求", "表现突出", "仍有提升空间", "按期完成", "质量稳定"]


def _score(rng: random.Random, base: float) -> Decimal:
    return Decimal(str(max(40.0, min(100.0, round(rng.gauss(base, 5.0)))))).quantize(Decimal("0.01"))


def fill(
    appraisal,
    rng: random.Random,
    *,
    self_done: bool = True,
    review_done: bool = True,
    published: bool = False,
    acknowledged: bool = False,
    now=None,
) -> None:
    """Fill self and manager scores (and the result) of one appraisal in memory."""
    now = now or timezone.now()
    criteria = appraisal.form.criteria
    level = rng.gauss(80, 7)
    if self_done:
        appraisal.self_scores = {
            str(c["id"]): {"score": str(_score(rng, level + 3)), "comment": rng.choice(CRITERION_COMMENTS)}
            for c in criteria
        }
        appraisal.self_summary = rng.choice(SELF_PHRASES) + rng.choice(SELF_PHRASES) + rng.choice(SELF_ENDINGS)
        appraisal.self_total = scoring.weighted_total(criteria, appraisal.self_scores)
        appraisal.self_submitted_at = now
        appraisal.status = Status.SUBMITTED
    if review_done:
        appraisal.manager_scores = {str(c["id"]): {"score": str(_score(rng, level)), "comment": ""} for c in criteria}
        appraisal.manager_summary = rng.choice(MANAGER_PHRASES) + rng.choice(MANAGER_PHRASES)
        appraisal.total = scoring.weighted_total(criteria, appraisal.manager_scores)
        appraisal.grade = scoring.grade_for(appraisal.total, appraisal.cycle.grade_bands)
        appraisal.final_grade = appraisal.grade
        appraisal.reviewed_at = now
        appraisal.status = Status.REVIEWED
    if published:
        appraisal.status = Status.ACKNOWLEDGED if acknowledged else Status.PUBLISHED
        appraisal.acknowledged_at = now if acknowledged else None
        if appraisal.final_grade == Grade.EXCELLENT and rng.random() < 0.5:
            appraisal.bonus_coefficient = Decimal("1.50")
        elif appraisal.final_grade:
            appraisal.bonus_coefficient = {
                "excellent": Decimal("1.30"),
                "good": Decimal("1.10"),
                "pass": Decimal("1.00"),
                "fail": Decimal("0.50"),
            }[appraisal.final_grade]


def cap_excellent(appraisals, max_percent: float) -> None:
    """Keep 优秀 within the forced distribution: the lowest excess ones become 良好."""
    excellent = sorted((a for a in appraisals if a.final_grade == Grade.EXCELLENT), key=lambda a: a.total)
    allowed = int(len(appraisals) * max_percent / 100)
    for a in excellent[: max(0, len(excellent) - allowed)]:
        a.final_grade = Grade.GOOD
        a.calibration_reason = "部门内横向比较后调整"


FILLED_FIELDS = [
    "self_scores",
    "self_summary",
    "self_total",
    "self_submitted_at",
    "manager_scores",
    "manager_summary",
    "total",
    "grade",
    "final_grade",
    "reviewed_at",
    "status",
    "acknowledged_at",
    "bonus_coefficient",
    "calibration_reason",
]
