"""`make bench` pages of the core app (the floor itself is always measured by the harness)."""

from django.urls import reverse


def pages(ctx) -> list[dict]:
    home = reverse("core:home")
    # The home page gathers every module's "my work" panels: a head has the most of them.
    return [
        {"name": "home (staff)", "path": home, "role": "staff"},
        {"name": "home (manager)", "path": home, "role": "manager"},
        {"name": "home (hr)", "path": home, "role": "hr"},
        # the company's "how things stand" panels
        {"name": "home (gm)", "path": home, "role": "gm"},
        {"name": "home (ops)", "path": home, "role": "ops"},
    ]


def jobs(ctx) -> list[dict]:
    return []
