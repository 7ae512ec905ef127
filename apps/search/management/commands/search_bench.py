"""Time the search SQL alone for the benchmark's query mix (in process, no web server).

python manage.py search_bench [--user bench-staff] [--repeat 30]
"""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.search.benchmark import QUERY_MIX, time_sql


class Command(BaseCommand):
    help = "p50/p95 of the search SQL (results page and suggestions) for a fixed query mix."

    def add_arguments(self, parser):
        parser.add_argument("--user", default="bench-staff")
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--query", action="append", default=[], help="extra NAME=QUERY")

    def handle(self, *args, **options):
        try:
            user = get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {options['user']!r} (run generate_scale_data first).") from None
        mix = QUERY_MIX + [tuple(q.split("=", 1)) for q in options["query"]]
        self.stdout.write(f"load average before: {os.getloadavg()[0]:.1f}")
        self.stdout.write("| query class | query | matches | SQL p50 ms | SQL p95 ms | suggest p50 | suggest p95 |")
        self.stdout.write("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
        for name, q in mix:
            time_sql(user, q, repeat=2)  # warm the cache
            r = time_sql(user, q, repeat=options["repeat"])
            matches = f"{r['matches']}" if r["matches"] <= 6000 else f"{r['matches']} (capped)"
            self.stdout.write(
                f"| {name} | {q} | {matches} | {r['page_p50']:.1f} | {r['page_p95']:.1f} "
                f"| {r['suggest_p50']:.1f} | {r['suggest_p95']:.1f} |"
            )
        self.stdout.write(f"load average after: {os.getloadavg()[0]:.1f}")
