"""`make bench` pages and jobs for the regulations library, picked on the scale data."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from .models import AckScope, Policy, PolicyVersion, VersionStatus


def pages(ctx) -> list[dict]:
    out = [
        {"name": "policy list", "path": reverse("policies:list") + "?page=2", "role": "staff"},
        {"name": "policy list, article search", "path": reverse("policies:list") + "?q=应急预案", "role": "staff"},
        {
            "name": "policy list, needs my acknowledgement",
            "path": reverse("policies:list") + "?needs_ack=on",
            "role": "staff",
        },
        {
            "name": "policy list as ops, sorted by effective date",
            "path": reverse("policies:list") + "?sort=-effective&page=3",
            "role": "ops",
        },
    ]
    longest = (
        Policy.objects.filter(status="published", confidentiality="public")
        .order_by("-current_version__article_count", "pk")
        .select_related("current_version")
        .first()
    )
    if longest:
        out.append(
            {
                "name": f"long policy detail ({longest.current_version.article_count} articles)",
                "path": longest.get_absolute_url(),
                "role": "staff",
            }
        )
    most = (
        Policy.objects.filter(confidentiality="public")
        .annotate(n=Count("versions"))
        .filter(n__gte=2)
        .order_by("-n", "pk")
        .first()
    )
    if most:
        labels = list(most.versions.order_by("created_at", "pk").values_list("label", flat=True))
        out.append(
            {
                "name": f"version comparison ({labels[0]} → {labels[-1]})",
                "path": reverse("policies:compare", args=[most.code]) + f"?from={labels[0]}&to={labels[-1]}",
                "role": "staff",
            }
        )
        out.append({"name": "policy history", "path": reverse("policies:history", args=[most.code]), "role": "staff"})
    acked = (
        PolicyVersion.objects.filter(status=VersionStatus.PUBLISHED, ack_scope=AckScope.EVERYONE)
        .select_related("policy")
        .order_by("pk")
        .first()
    )
    if acked:
        out.append(
            {
                "name": "acknowledgement report (every employee)",
                "path": reverse("policies:ack_report", args=[acked.policy.code, acked.label]),
                "role": "hr",
            }
        )
        out.append({"name": "acknowledgement overview", "path": reverse("policies:ack_overview"), "role": "hr"})
    out.append({"name": "due for review", "path": reverse("policies:review_list"), "role": "ops"})
    return out


def jobs(ctx) -> list[dict]:
    def parse_long_regulation() -> int:
        import random

        from .parsing import parse_text
        from .scale import _nodes_for

        rows = _nodes_for(random.Random(1), 300, "综合")
        text = "综合管理制度\n" + "\n".join(f"{r['label']}{r['heading']}{r['text']}" for r in rows)
        return sum(1 for _ in parse_text(text).nodes) and len(rows)

    def diff_most_revised() -> int:
        from .diffing import diff_articles
        from .selectors import version_articles

        most = Policy.objects.annotate(n=Count("versions")).filter(n__gte=2).order_by("-n", "pk").first()
        if most is None:
            return 0
        versions = list(most.versions.order_by("created_at", "pk"))
        return len(diff_articles(version_articles(versions[0]), version_articles(versions[-1])))

    def publish_due() -> int:
        from .services import policies_publish_due

        # State-based and idempotent: on the scale data nothing is due, the job measures the scan.
        return policies_publish_due(today=timezone.localdate()) or Policy.objects.count()

    docx_data, pdf_data = _large_files()

    def import_file(name: str, data: bytes):
        def run() -> int:
            from django.db import transaction

            from apps.accounts.models import User
            from apps.departments.models import Department

            from . import services
            from .parsing import read_upload

            text = read_upload(name, data)
            with transaction.atomic():  # parsed and saved as a real draft, then rolled back
                version = services.policy_create(
                    actor=User.objects.order_by("pk").first(),
                    code="BENCH-IMPORT",
                    title="",
                    owning_department=Department.objects.order_by("pk").first(),
                    text=text,
                )
                count = version.nodes.count()
                transaction.set_rollback(True)
            return count

        return run

    return [
        {"name": "import a 1,000-article .docx (auto-numbering, tables)", "run": import_file("big.docx", docx_data)},
        {"name": "import a 300-page text PDF", "run": import_file("big.pdf", pdf_data)},
        {"name": "parse a 300-article regulation", "run": parse_long_regulation},
        {"name": "diff first and last version of the most revised policy", "run": diff_most_revised},
        {"name": "publish due versions (scheduled job scan)", "run": publish_due},
    ]


def _large_files() -> tuple[bytes, bytes]:
    """A 1,000-article .docx (Word auto-numbering, a table every 50 articles) and a
    300-page text PDF, made once per run (not measured)."""
    from .tests.documents import make_docx, make_pdf

    blocks: list = ["大型综合管理制度"]
    for k in range(1, 1001):
        if k % 100 == 1:
            blocks.append(f"第{k // 100 + 1}章 综合规定")
        blocks.append(("num", 0, "各部门应当按照本制度的规定执行，并做好相关记录和归档工作。"))
        if k % 10 == 0:
            blocks += [("num", 1, "建立台账；"), ("num", 1, "定期检查。")]
        if k % 50 == 0:
            blocks.append(("table", [["岗位", "职责", "时限"], ["经理", "审批", "三日"], ["专员", "办理", "五日"]]))
    lines, article = ["大型综合管理制度"], 0
    for k in range(1, 300 * 45):
        if k % 3:
            article += 1
            lines.append(f"第{article}条 各部门应当按照本制度执行并记录。")
        else:
            lines.append("（一）建立台账并定期检查。")
    return make_docx(blocks, numbered=True), make_pdf(lines)
