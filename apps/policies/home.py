"""Home page card: regulations waiting for my acknowledgement (drafts waiting for my approval
are in the approvals engine's card, with every other kind)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.plugins import WorkItem, WorkPanel

from .selectors import policies_needing_ack

SHOWN = 5


def my_work(user) -> list[WorkPanel]:
    panels = []
    pending = list(
        policies_needing_ack(user)
        .select_related("current_version")
        .order_by("-current_version__published_at")[: SHOWN + 1]
    )
    count = len(pending) if len(pending) <= SHOWN else policies_needing_ack(user).count()
    panels.append(
        WorkPanel(
            key="policies-ack",
            title=_("Regulations to read and acknowledge"),
            icon="bi-journal-check",
            order=10,
            items=[
                WorkItem(
                    title=p.title,
                    url=p.get_absolute_url(),
                    detail=f"{p.code} · {p.current_version.label}",
                    badge=_("To acknowledge"),
                    badge_tone="warning",
                )
                for p in pending[:SHOWN]
            ],
            count=count,
            more_url=reverse("policies:list") + "?needs_ack=on",
            empty_text=_("You have acknowledged every regulation that asks you to."),
        )
    )
    return panels


# --- how things stand ----------------------------------------------------------------------
RECENT = 5


def role_panels(user) -> list[WorkPanel]:
    from apps.departments.permissions import team_departments

    panels = []
    if user.has_perm("departments.view_company_overview"):
        panels += [_review_panel(user), _ack_panel(user, within=None, order=230)]
    team = team_departments(user)
    if team:
        panels.append(_ack_panel(user, within=team, order=310))
    return [p for p in panels if p is not None]


def _review_panel(user) -> WorkPanel:
    from django.utils import timezone

    from .selectors import review_counts

    counts = review_counts(user, today=timezone.localdate())
    url = reverse("policies:review_list")
    return WorkPanel(
        key="policies-review-dates",
        title=_("Regulations due for review"),
        icon="bi-calendar-check",
        order=220,
        template="policies/home_review.html",
        data={
            "rows": [
                {"label": _("Overdue"), "n": counts["overdue"], "url": url + "?overdue=1", "tone": "danger"},
                {"label": _("Due within 30 days"), "n": counts["soon"], "url": url, "tone": "warning"},
            ]
        },
    )


def _ack_panel(user, *, within, order: int) -> WorkPanel | None:
    """Completion of the most recent regulations that ask for acknowledgement: the company's,
    or a head's team (with a nudge for those who have not confirmed)."""
    from django.utils import timezone

    from apps.departments.permissions import team_scope_key
    from apps.notifications.nudges import nudged_today

    from .selectors import ack_summaries, ack_versions

    versions = list(ack_versions(user)[: RECENT * 3 if within else RECENT])
    summaries = ack_summaries(versions, within=within)
    if within:
        versions = [v for v in versions if summaries[v.pk][0]][:RECENT]
        done_today = nudged_today(kind=NUDGE_KIND, scope=team_scope_key(user), day=timezone.localdate())
    rows = []
    for v in versions:
        required, confirmed = summaries[v.pk]
        url = reverse("policies:ack_report", args=[v.policy.code, v.label])
        row = {
            "label": v.policy.title,
            "url": url,
            "done": confirmed,
            "total": required,
            "pct": round(100 * confirmed / required) if required else 100,
            "detail": f"{v.policy.code} · {v.label}",
        }
        if within and required > confirmed:
            row["nudge"] = {
                "id": f"nudge-ack-{v.pk}",
                "action": reverse("policies:nudge_ack", args=[v.policy.code, v.label]),
                "fields": {},
                "people": required - confirmed,
                "done_today": f"v{v.pk}" in done_today,
                "what": _("acknowledge “%(title)s”") % {"title": v.policy.title},
            }
        rows.append(row)
    if within and not rows:
        return None
    return WorkPanel(
        key="policies-acks-team" if within else "policies-acks",
        title=_("My team's acknowledgements") if within else _("Acknowledgement of recent regulations"),
        icon="bi-people",
        order=order,
        more_url=reverse("policies:ack_overview"),
        template="policies/home_acks.html",
        data={"rows": rows},
        empty_text=_("No regulation in force asks for acknowledgement."),
    )


NUDGE_KIND = "policies.ack_reminder"
