"""`make bench` pages and jobs of the organisation, picked on the scale data."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse

from . import services
from .models import Department


def _biggest_department() -> Department:
    return (
        Department.objects.annotate(n=Count("members", filter=Q(members__is_active=True)))
        .order_by("-n", "path")
        .first()
    )


def pages(ctx) -> list[dict]:
    big = _biggest_department()
    manager = ctx["users"]["manager"]
    staff = ctx["users"]["staff"]
    users_admin = reverse("admin:accounts_user_changelist")
    return [
        {
            "name": "org chart",
            "path": reverse("departments:org_chart"),
            "role": "staff",
            "admin_peer": reverse("admin:departments_department_changelist") + "?all=",
        },
        {
            "name": f"department (biggest: {big.n} people)",
            "path": big.get_absolute_url(),
            "role": "staff",
            "admin_peer": f"{users_admin}?department__id__exact={big.pk}",
        },
        {
            "name": "department (biggest) page 3",
            "path": big.get_absolute_url() + "?page=3",
            "role": "staff",
            "admin_peer": f"{users_admin}?department__id__exact={big.pk}&p=2",
        },
        {
            "name": "person (manager, ~50 reports)",
            "path": manager.get_absolute_url(),
            "role": "staff",
            "admin_peer": f"{users_admin}?manager__id__exact={manager.pk}",
        },
        {
            "name": "person (staff)",
            "path": staff.get_absolute_url(),
            "role": "manager",
            "admin_peer": reverse("admin:accounts_user_change", args=[staff.pk]),
        },
    ]


def jobs(ctx) -> list[dict]:
    def move_subtree_and_back() -> int:
        """Move the biggest top-level subtree under another department and back: two
        prefix rewrites of every path in it."""
        with transaction.atomic():
            for moving in (
                Department.objects.filter(depth__in=(1, 2))
                .annotate(n=Count("children"))
                .order_by("depth", "-n", "path")
            ):
                target = (
                    Department.objects.exclude(path__startswith=moving.path)
                    .exclude(pk=moving.parent_id)
                    .order_by("depth", "path")
                    .first()
                )
                if target is None:
                    continue
                original_parent = moving.parent
                size = Department.objects.filter(path__startswith=moving.path).count()
                services.department_move(department=moving, new_parent=target)
                services.department_move(department=moving, new_parent=original_parent)
                return size * 2
        return 0

    def org_tree_for_everyone() -> int:
        from .selectors import org_tree

        roots = org_tree()
        return sum(r.total_count for r in roots) or get_user_model().objects.count()

    return [
        {"name": "move a level-1 subtree and back", "run": move_subtree_and_back},
        {"name": "org tree selector (all departments)", "run": org_tree_for_everyone},
    ]
