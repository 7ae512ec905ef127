"""`seed_demo` part: a few reminders due today for the demo logins, and the reminder scan set
to every minute (seed_demo runs only with DEBUG), so `make run` shows them arriving in the
bell and in the console mail within a minute."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .models import OutboundEmail
from .services import plan_reminder

DEMO_REMINDERS = [
    # username, object id, title, body, url name
    ("staff", 1, "请完成《员工手册（2026版）》宣贯确认", "制度已发布 7 天，您尚未确认已阅读。", "policies:list"),
    ("manager", 2, "市场部 10 月指标数据尚未填报", "期末已过 5 天：客户满意度、市场占有率待填报。", "kpis:overview"),
    ("ops", 3, "《采购管理制度》定期修订评审今天到期", "请组织评审并在门户中记录评审结论。", "policies:list"),
    ("hr", 4, "第三季度绩效考核自评阶段 3 天后截止", "仍有 12 人未提交自评。", "appraisals:home"),
    ("gm", 5, "2 项流程变更申请等待您审批超过 3 个工作日", "《客户投诉处理流程》《供应商准入流程》", "processes:list"),
]


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return reverse("notifications:list")


def seed(ctx: dict) -> None:
    # The modules seeded after us notify as they build their history; after_all() keeps
    # those from flooding the console mail.
    ctx.setdefault("notifications_seed_started", timezone.now())
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[r[0] for r in DEMO_REMINDERS])}
    for username, object_id, title, body, url_name in DEMO_REMINDERS:
        if username in users:
            plan_reminder(
                recipient=users[username],
                kind="reminders.planned",
                object_type="demo.item",
                object_id=object_id,
                due_date=ctx["today"],
                title=title,
                body=body,
                url=_url(url_name),
            )
    if settings.DEBUG:
        _scan_every_minute()
    ctx["stdout"].write("notifications: demo reminders due today; reminders.scan runs every minute (DEBUG)")


def _scan_every_minute() -> None:
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    every_minute, _ = CrontabSchedule.objects.get_or_create(
        minute="*", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone=settings.TIME_ZONE
    )
    PeriodicTask.objects.filter(name="reminders.scan").exclude(crontab=every_minute).update(crontab=every_minute)


def after_all(ctx: dict) -> None:
    """Once every module has seeded: the notifications the modules wrote while building their
    demo history stay in the bell but are not mailed, so the console of `make run` shows the
    reminders the beat schedule sends in its first minute, not hundreds of history mails."""
    since = ctx.get("notifications_seed_started")
    if since is None:
        return
    dropped, _ = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING, created_at__gte=since).delete()
    if dropped:
        ctx["stdout"].write(f"notifications: {dropped} mails of the demo history not sent (they stay in the bell)")
