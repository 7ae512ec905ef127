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

    return [
        {"name": "parse a 300-article regulation", "run": parse_long_regulation},
        {"name": "diff first and last version of the most revised policy", "run": diff_most_revised},
        {"name": "publish due versions (scheduled job scan)", "run": publish_due},
    ]
