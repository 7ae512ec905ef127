"""Rebuild the search index from every source (or some), in batches, with a progress bar.

python manage.py reindex_search                     # everything
python manage.py reindex_search --source policies   # one source
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from apps.search import registry
from apps.search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index in batches (one transaction per batch)."

    def add_arguments(self, parser):
        parser.add_argument("--source", action="append", default=[], help="a source name (repeatable); default all")
        parser.add_argument("--batch-size", type=int, default=200, help="owners per batch (default 200)")

    def handle(self, *args, **options):
        names = [s.name for s in registry.sources()]
        unknown = [s for s in options["source"] if s not in names]
        if unknown:
            raise CommandError(f"Unknown source(s): {', '.join(unknown)}. Known: {', '.join(names)}")
        started = time.perf_counter()
        tty = self.stdout.isatty() if hasattr(self.stdout, "isatty") else sys.stdout.isatty()
        last = {"source": None}

        def progress(source, done, total, docs):
            width = 30
            filled = width * done // max(total, 1)
            line = f"  {source:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} owners, {docs} documents"
            if tty:
                self.stdout.write("\r" + line, ending="")
                if done >= total:
                    self.stdout.write("")
            elif done >= total or last["source"] != source or done % (20 * options["batch_size"]) == 0:
                self.stdout.write(line)
            last["source"] = source

        written = rebuild(options["source"] or None, batch_size=options["batch_size"], progress=progress)
        total = sum(written.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {total} documents from {len(written)} sources in {time.perf_counter() - started:.1f} s"
            )
        )
