"""Home page card: my own appraisal step, the reviews waiting for me, feedback asked of me."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.plugins import WorkItem, WorkPanel

from .models import Appraisal, PeerReview, Stage, Status


def my_work(user) -> list[WorkPanel]:
    items = []
    mine = (
        Appraisal.objects.filter(employee=user, is_excluded=False)
        .filter(
            Q(status=Status.SELF, cycle__stage=Stage.SELF) | Q(status=Status.PUBLISHED, cycle__stage=Stage.PUBLISHED)
        )
        .select_related("cycle")
        .order_by("-cycle__period_end")[:2]
    )
    for a in mine:
        title = (
            _("Fill in your %(code)s self-assessment")
            if a.status == Status.SELF
            else _("Read and acknowledge your %(code)s result")
        ) % {"code": a.cycle.code}
        items.append(WorkItem(title=title, url=a.get_absolute_url(), badge=a.cycle.code, badge_tone="primary"))
    to_review = (
        Appraisal.objects.filter(reviewer=user, is_excluded=False)
        .filter(
            Q(status=Status.SUBMITTED, cycle__stage__in=[Stage.SELF, Stage.REVIEW])
            | Q(status=Status.SELF, cycle__stage=Stage.REVIEW)
        )
        .exclude(employee=user)
        .count()
    )
    if to_review:
        items.append(
            WorkItem(
                title=_("%(n)d appraisals wait for your review") % {"n": to_review},
                url=reverse("appraisals:team"),
                badge=str(to_review),
                badge_tone="warning",
            )
        )
    feedback = PeerReview.objects.filter(peer=user, submitted_at=None).count()
    if feedback:
        items.append(
            WorkItem(
                title=_("%(n)d colleagues asked for your feedback") % {"n": feedback},
                url=reverse("appraisals:home"),
                badge=str(feedback),
                badge_tone="info",
            )
        )
    if not items:
        return []
    return [
        WorkPanel(
            key="appraisals",
            title=_("Appraisals"),
            icon="bi-clipboard-check",
            items=items,
            count=len(items),
            more_url=reverse("appraisals:home"),
            order=40,
        )
    ]


# --- how things stand ----------------------------------------------------------------------
NUDGE_KIND = "appraisals.stage_deadline"
STATUS_COLOUR = {
    Status.SELF: "#adb5bd",
    Status.SUBMITTED: "#f0ad4e",
    Status.REVIEWED: "#0d6efd",
    Status.PUBLISHED: "#6f42c1",
    Status.ACKNOWLEDGED: "#198754",
    Status.OBJECTED: "#dc3545",
    Status.RESOLVED: "#20c997",
}
SHOWN_DEPARTMENTS = 6


def role_panels(user) -> list[WorkPanel]:
    from apps.departments.permissions import team_departments

    from .selectors import cycle_progress, running_cycles

    is_hr = user.has_perm("appraisals.manage")
    team = team_departments(user)
    if not is_hr and not team:
        return []
    cycles = list(running_cycles())
    if not cycles:
        return []
    panels = []
    if is_hr:
        rows = cycle_progress(cycles)
        for i, cycle in enumerate(cycles):
            panels.append(_cycle_panel(cycle, [r for r in rows if r["cycle_id"] == cycle.pk], order=240 + i))
    if team:
        cycle = cycles[0]
        panel = _cycle_panel(cycle, cycle_progress([cycle], departments=team), order=330, user=user, team=team)
        if panel.data["total"]:
            panels.append(panel)
    return panels


def _cycle_panel(cycle, rows, *, order: int, user=None, team=None) -> WorkPanel:
    """The progress of one running cycle: statuses as a stacked bar, and the current stage
    done per department (least done first). With a team: a head's view, with a nudge."""
    from django.utils import timezone

    from .selectors import WAITING_IN_STAGE

    waiting = WAITING_IN_STAGE.get(cycle.stage, ((), ""))[0]
    base = reverse("appraisals:cycle_team", args=[cycle.code]) if team else cycle.get_absolute_url()
    counts: dict[str, int] = {}
    depts: dict[str, dict] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + r["n"]
        d = depts.setdefault(
            r["department__code"] or "",
            {
                "label": r["department__name"] or _("No department"),
                "code": r["department__code"],
                "done": 0,
                "total": 0,
            },
        )
        d["total"] += r["n"]
        if r["status"] not in waiting:
            d["done"] += r["n"]
    total = sum(counts.values())
    labels = dict(Status.choices)
    segments = [
        {
            "label": labels[st],
            "n": counts.get(st, 0),
            "pct": f"{100 * counts.get(st, 0) / (total or 1):.2f}",
            "colour": STATUS_COLOUR[st],
            "url": "" if team else f"{base}?status={st}",
        }
        for st in Status.values
        if counts.get(st)
    ]
    dept_rows = []
    for d in depts.values():
        d["pct"] = round(100 * d["done"] / d["total"]) if d["total"] else 100
        d["url"] = base if team or not d["code"] else f"{base}?department={d['code']}"
        dept_rows.append(d)
    dept_rows.sort(key=lambda d: (d["pct"], d["label"]))
    done = total - sum(counts.get(st, 0) for st in waiting)
    nudge = None
    if team and waiting and done < total:
        from apps.departments.permissions import team_scope_key
        from apps.notifications.nudges import nudged_today

        from .selectors import stage_laggards

        thing = f"{cycle.code}:{cycle.stage}"
        nudge = {
            "id": "nudge-appraisals",
            "action": reverse("appraisals:nudge", args=[cycle.code]),
            "fields": {"stage": cycle.stage},
            "people": stage_laggards(cycle, departments=team).exclude(pk=user.pk).count(),
            "done_today": thing in nudged_today(kind=NUDGE_KIND, scope=team_scope_key(user), day=timezone.localdate()),
            "what": _("%(stage)s of %(code)s") % {"stage": cycle.get_stage_display(), "code": cycle.code},
        }
    return WorkPanel(
        key=f"appraisals-team-{cycle.code}" if team else f"appraisals-cycle-{cycle.code}",
        title=(_("My team's appraisals %(code)s") if team else _("Appraisal cycle %(code)s")) % {"code": cycle.code},
        icon="bi-clipboard-data",
        order=order,
        more_url=base,
        template="appraisals/home_cycle.html",
        data={
            "cycle": cycle,
            "segments": segments,
            "total": total,
            "done": done,
            "pct": round(100 * done / total) if total else 100,
            "waiting": bool(waiting),
            "departments": dept_rows[:SHOWN_DEPARTMENTS],
            "more": len(dept_rows) - SHOWN_DEPARTMENTS,
            "nudge": nudge,
        },
    )
