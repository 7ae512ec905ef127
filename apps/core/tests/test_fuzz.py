"""No input anywhere gives a server error: the demo company, walked by every role (and
anonymously) through its links and forms, every page's query parameters, numbers in its
paths and every form field sent NUL bytes, impossible years, words for numbers and huge
numbers (apps/core/tests/fuzzing.py). Patterns no link leads to are filled with arguments
seen on other pages of their app. Slow (minutes): `make test-fuzz`, run by .ci/run."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from .fuzzing import Walker, all_patterns, fill

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]
ROLES = ["hr", "ops", "admin", "manager", "staff", "gm", None]
# reached on purpose by no walk: signing out and switching language end the walk's session
# (and /healthz answers 503 by design when no Celery worker runs, as in this test)
NOT_WALKED = {"accounts:logout", "accounts:set_language", "healthz"}


def _client(role):
    client = Client()
    if role:
        client.force_login(get_user_model().objects.get(username=role))
    return client


def test_no_input_anywhere_gives_a_server_error(settings, capsys):
    settings.DEBUG = True  # seed_demo refuses to run without it
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False
    seen_views, seen_forms, walkers = set(), set(), []
    for role in ROLES:
        walker = Walker(_client(role), role or "anonymous", seen_views=seen_views, seen_forms=seen_forms)
        walker.run("/" if role else reverse("accounts:login"))
        walkers.append(walker)

    patterns = all_patterns()
    seen_kwargs: dict = {}
    for walker in walkers:
        for key, values in walker.kwargs_seen.items():
            seen_kwargs.setdefault(key, []).extend(values)

    def reached():
        visited = {view for walker in walkers for view, _ in walker.visited}
        return visited | {view for view, _ in seen_views} | {form[0] for form in seen_forms}

    for name, args in sorted(patterns.items()):
        if name in reached() or name in NOT_WALKED:
            continue
        for url in [reverse(name)] if not args else fill(name, args, seen_kwargs):
            for walker in walkers:
                walker.visit(url)

    failures = [f for walker in walkers for f in walker.failures]
    requests = sum(w.requests for w in walkers)
    unreached = sorted(set(patterns) - reached() - NOT_WALKED)
    with capsys.disabled():
        print(f"\nfuzz: {requests} requests, {len(reached() & set(patterns))}/{len(patterns)} URL patterns reached")
        print(f"fuzz: not reached (no page links to them and no arguments were seen): {unreached}")
    report = "\n\n".join(f"{f.role} {f.method.upper()} {f.url} {f.data!r} -> {f.status}\n{f.error}" for f in failures)
    assert not failures, f"{len(failures)} server errors:\n{report[:20000]}"
    assert len(reached() & set(patterns)) >= 0.8 * len(patterns), unreached
