"""`make bench` pages and jobs for the risk register, on the scale data."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from .jobs import kri_scan
from .models import KeyRiskIndicator, Risk


def pages(ctx) -> list[dict]:
    out = [
        {
            "name": "risk register (all risks)",
            "path": reverse("risks:register"),
            "role": "ops",
            "admin_peer": reverse("admin:risks_risk_changelist"),
        },
        {
            "name": "risk register, high, page 3",
            "path": reverse("risks:register") + "?level=high&page=3",
            "role": "ops",
        },
        {"name": "risk register as staff", "path": reverse("risks:register"), "role": "staff"},
        {"name": "risk heat map (all risks)", "path": reverse("risks:heat_map"), "role": "ops"},
        {"name": "risk heat map as manager", "path": reverse("risks:heat_map"), "role": "manager"},
    ]
    busiest = Risk.objects.annotate(n=Count("assessments")).order_by("-n", "pk").first()
    if busiest:
        out.append({"name": f"risk page ({busiest.n} assessments)", "path": busiest.get_absolute_url(), "role": "ops"})
    watched = KeyRiskIndicator.objects.select_related("risk").order_by("pk").first()
    if watched:
        out.append(
            {
                "name": "risk page with a key risk indicator chart",
                "path": watched.risk.get_absolute_url(),
                "role": "ops",
            }
        )
    return out


def jobs(ctx) -> list[dict]:
    count = KeyRiskIndicator.objects.count()
    return [{"name": f"KRI scan over every bound indicator ({count})", "run": lambda: kri_scan(timezone.now())}]
