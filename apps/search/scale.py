"""`generate_scale_data` part for search: index everything the other modules made (it runs
last, RUN_LAST), the same way `manage.py reindex_search` does, and time it."""

import time

from .indexing import rebuild

RUN_LAST = True


def add_arguments(parser) -> None:
    parser.add_argument("--search-batch", type=int, default=200, help="owners per indexing batch (default 200)")


def generate(ctx: dict, options: dict) -> None:
    started = time.perf_counter()
    written = rebuild(batch_size=options["search_batch"])
    seconds = time.perf_counter() - started
    total = sum(written.values())
    ctx["timings"].append({"name": "search: index every document", "seconds": seconds, "items": total})
    ctx["stdout"].write(
        f"  search: {total} documents indexed in {seconds:.0f} s ("
        + ", ".join(f"{name} {n}" for name, n in written.items())
        + ")"
    )
