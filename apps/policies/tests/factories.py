"""Build policies through the real services (parse, approve, publish), or in bulk for
query-count tests."""

from datetime import date

from apps.policies import services
from apps.policies.models import (
    AckScope,
    Category,
    Policy,
    PolicyNode,
    PolicyStatus,
    PolicyVersion,
    VersionStatus,
)

_counter = [0]


def regulation_text(title: str = "测试管理制度", articles: int = 5, chapters: int = 1, extra: str = "") -> str:
    from apps.policies.demo_texts import _cn

    lines, n = [title], 0
    per = max(1, articles // chapters)
    for c in range(1, chapters + 1):
        lines.append(f"第{_cn(c)}章 第{c}部分")
        for _ in range(per if c < chapters else articles - per * (chapters - 1)):
            n += 1
            lines.append(f"第{_cn(n)}条 这是第{n}条的内容，规定了{extra}相关事项。")
    return "\n".join(lines)


def next_code(prefix: str = "T") -> str:
    _counter[0] += 1
    return f"{prefix}-{_counter[0]:05d}"


def make_draft(
    *, actor, owning_department, text: str | None = None, code: str | None = None, **kwargs
) -> PolicyVersion:
    return services.policy_create(
        actor=actor,
        code=code or next_code(),
        title="",
        owning_department=owning_department,
        text=text or regulation_text(),
        **kwargs,
    )


def decide(version: PolicyVersion, operation: str = "approve", *, opinion: str = "ok", today: date | None = None):
    """The approver whose task is waiting on the version's approval request decides."""
    from apps.approvals import services as approvals
    from apps.approvals.models import Task

    request = services.approval_of(version)
    task = Task.objects.filter(request=request, status=Task.Status.PENDING).select_related("assignee").first()
    assert task is not None, "nobody is asked"
    approvals.act(request=request, actor=task.assignee, operation=operation, opinion=opinion, today=today)
    return task.assignee


def publish(version: PolicyVersion, *, head=None, ops, today: date | None = None) -> PolicyVersion:
    """Submitted by `ops`, then every stage of the approval flow approves (the engine asks
    the owning head, then an operations member who is neither the author nor an earlier
    approver)."""
    services.version_submit(version=version, actor=ops, comment="ok", today=today)
    while services.approval_of(version).status == "pending":
        decide(version, today=today)
    version.refresh_from_db()
    return version


def make_published(*, org, owning=None, text=None, **kwargs) -> PolicyVersion:
    owning = owning or org["sales_dept"]
    version = make_draft(actor=org["ops"], owning_department=owning, text=text, **kwargs)
    return publish(version, head=owning.head, ops=org["ops"])


def bulk_policies(
    *, owning, count: int, articles: int, category: Category | None = None, ack_everyone=False
) -> list[Policy]:
    """Many published policies fast (no parsing), for query-count tests."""
    start = Policy.objects.count()
    policies = Policy.objects.bulk_create(
        [
            Policy(
                code=f"B-{start + i:05d}",
                title=f"批量制度{start + i}",
                owning_department=owning,
                category=category,
                status=PolicyStatus.PUBLISHED,
            )
            for i in range(count)
        ]
    )
    versions = PolicyVersion.objects.bulk_create(
        [
            PolicyVersion(
                policy=p,
                label="V1",
                title=p.title,
                status=VersionStatus.PUBLISHED,
                effective_date=date(2025, 1, 1),
                article_count=articles,
                ack_scope=AckScope.EVERYONE if ack_everyone else AckScope.NONE,
            )
            for p in policies
        ]
    )
    nodes = []
    for v in versions:
        nodes.append(
            PolicyNode(
                version=v, ordinal=0, depth=0, kind="chapter", label="第一章", number=1, heading="总则", slug="c1"
            )
        )
        for a in range(1, articles + 1):
            nodes.append(
                PolicyNode(
                    version=v,
                    ordinal=a,
                    depth=1,
                    kind="article",
                    label=f"第{a}条",
                    number=a,
                    text=f"第{a}条的内容。",
                    slug=f"a{a}",
                )
            )
    PolicyNode.objects.bulk_create(nodes, batch_size=2000)
    for p, v in zip(policies, versions, strict=False):
        p.current_version = v
    Policy.objects.bulk_update(policies, ["current_version"])
    return policies
