"""`make bench` pages for training, on the scale data."""

from django.db.models import Count
from django.urls import reverse

from .models import Enrollment, Session


def pages(ctx) -> list[dict]:
    out = [
        {"name": "training home", "path": reverse("training:home"), "role": "staff"},
        {
            "name": "training report (every department, this year)",
            "path": reverse("training:reports"),
            "role": "hr",
            "admin_peer": reverse("admin:training_careerstep_changelist"),
        },
        {"name": "development plans (HR: all)", "path": reverse("training:development_list"), "role": "hr"},
    ]
    staff = ctx["users"].get("staff")
    if staff:
        out.append(
            {
                "name": "a person's training record",
                "path": reverse("training:record", args=[staff.username]),
                "role": "staff",
            }
        )
    busiest = Enrollment.objects.values("person__username").annotate(n=Count("pk")).order_by("-n").first()
    if busiest:
        out.append(
            {
                "name": f"training record of the busiest person ({busiest['n']} sessions)",
                "path": reverse("training:record", args=[busiest["person__username"]]),
                "role": "hr",
            }
        )
    session = Session.objects.annotate(n=Count("enrollments")).order_by("-n", "pk").first()
    if session:
        out.append(
            {"name": f"training session roster ({session.n} people)", "path": session.get_absolute_url(), "role": "hr"}
        )
    return out


def jobs(ctx) -> list[dict]:
    return []
