"""`generate_scale_data` part: open reminder-worthy items (planned reminders due now or in the
past, not yet sent) for the reminder scan, and a bench user with a long notification history."""

import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from .models import Notification, Reminder

POLICIES = [
    "员工手册",
    "采购管理制度",
    "安全生产管理规定",
    "财务报销制度",
    "信息安全管理办法",
    "合同管理制度",
    "客户投诉处理办法",
    "绩效考核管理办法",
    "固定资产管理制度",
    "印章使用管理规定",
    "差旅费管理办法",
]
PROCESSES = ["供应商准入流程", "费用报销流程", "新品立项流程", "客户退货流程", "招聘录用流程", "质量异常处理流程"]
INDICATORS = ["销售额", "市场占有率", "客户满意度", "投诉解决率", "准时交付率", "回款周期", "员工满意度"]
TEMPLATES = [
    ("policies.ack_reminder", "请完成《{p}》宣贯确认", "制度已发布 {d} 天，您尚未确认已阅读。"),
    ("policies.review_due", "《{p}》定期修订评审将于 {d} 天后到期", "请组织评审并记录评审结论。"),
    ("approvals.task", "《{f}》变更申请等待您审批", "已等待 {d} 个工作日。"),
    ("kpis.figure_missing", "{k} {m} 月数据尚未填报", "期末已过 {d} 天。"),
    ("appraisals.stage_deadline", "第{q}季度绩效自评将于 {d} 天后截止", "请在截止前提交自评。"),
]
TITLES = ["《{p}》已发布新版本", "请确认《{p}》", "《{f}》变更申请已批准", "{k} 指标数据已更新", "第{q}季度考核已启动"]


def add_arguments(parser) -> None:
    parser.add_argument(
        "--reminder-items",
        type=int,
        default=10000,
        help="open reminder-worthy items for the reminder scan (default 10000)",
    )
    parser.add_argument(
        "--bench-notifications", type=int, default=5000, help="notifications of the bench staff user (default 5000)"
    )


def _text(rng, template: str) -> str:
    return template.format(
        p=rng.choice(POLICIES),
        f=rng.choice(PROCESSES),
        k=rng.choice(INDICATORS),
        m=rng.randint(1, 12),
        q=rng.choice("一二三四"),
        d=rng.randint(1, 30),
    )


def generate(ctx: dict, options: dict) -> None:
    rng, today, user_ids = ctx["rng"], ctx["today"], ctx["user_ids"]
    started = time.perf_counter()
    reminders = []
    for i in range(options["reminder_items"]):
        kind, title, body = rng.choice(TEMPLATES)
        reminders.append(
            Reminder(
                recipient_id=rng.choice(user_ids),
                kind=kind,
                object_type="scale.item",
                object_id=i + 1,
                due_date=today - timedelta(days=rng.randint(0, 20)),
                title=_text(rng, title),
                body=_text(rng, body),
                url="/notifications/",
            )
        )
    Reminder.objects.bulk_create(reminders, batch_size=5000)
    ctx["timings"].append(
        {
            "name": "notifications: open reminder items",
            "seconds": time.perf_counter() - started,
            "items": len(reminders),
        }
    )

    started = time.perf_counter()
    bench_staff = get_user_model().objects.get(username=ctx["bench_users"]["staff"])
    now = timezone.now()
    kinds = [t[0] for t in TEMPLATES] + ["policies.ack_required", "processes.published"]
    notes = [
        Notification(
            recipient=bench_staff,
            kind=rng.choice(kinds),
            title=_text(rng, rng.choice(TITLES)),
            body=_text(rng, rng.choice(TEMPLATES)[2]),
            url="/notifications/",
            read_at=None if i % 4 == 0 else now,
        )
        for i in range(options["bench_notifications"])
    ]
    Notification.objects.bulk_create(notes, batch_size=5000)
    # Spread them over the past year (created_at is auto_now_add): one UPDATE.
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE notifications_notification SET created_at = %s - (id %% 525600) * interval '1 minute' "
            "WHERE recipient_id = %s",
            [now, bench_staff.pk],
        )
    ctx["timings"].append(
        {
            "name": "notifications: bench user's notifications",
            "seconds": time.perf_counter() - started,
            "items": len(notes),
        }
    )
    ctx["stdout"].write(
        f"  notifications: {len(reminders)} open reminder items, {len(notes)} notifications for {bench_staff.username}"
    )
