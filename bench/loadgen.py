"""The load generator: a separate process driving locust (headless, as a library).

    python -m bench.loadgen plan.json out.json

For each page of the plan: N concurrent users request it back to back (no think time)
for a warm-up, then the counters are reset and the page is measured for a fixed time.
Every request carries `X-Bench-Tag: <page index>:<w|m>` so the server's access log can
be split into warm-up and measured requests (the latency figures are the server's own).
Results are rewritten after every page, so a killed run still leaves what it measured.
"""

from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import logging  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import gevent  # noqa: E402
from locust import FastHttpUser, between, constant, task  # noqa: E402
from locust.env import Environment  # noqa: E402


def page_user(base: str, page: dict, tag: dict) -> type:
    class PageUser(FastHttpUser):
        host = base
        wait_time = constant(0)
        network_timeout = 30.0
        connection_timeout = 5.0

        @task
        def load(self):
            headers = {"Cookie": page["cookie"], "X-Bench-Tag": f"{page['idx']}:{tag['phase']}"}
            with self.client.get(
                page["path"], name="page", headers=headers, allow_redirects=False, catch_response=True
            ) as resp:
                if resp.status_code != 200:
                    resp.failure(f"HTTP {resp.status_code}")

    return PageUser


def wanting(env, wanted: int, since: float, cap: float, extra_until: float) -> bool:
    """Keep going? Always until one request is done (up to `cap` seconds), and until
    `wanted` are done while the run's budget allows (extra_until)."""
    done = env.stats.get("page", "GET").num_requests
    now = time.monotonic()
    if now - since >= cap or done >= max(1, wanted):
        return False
    return done < 1 or now < extra_until


def run_page(plan: dict, page: dict, extra_until: float) -> dict:
    """Load one page; warm-up and sample extensions for slow pages stop at extra_until
    (the time that still leaves every later page its base time within the run's budget)."""
    tag = {"phase": "w"}
    env = Environment(user_classes=[page_user(plan["base"], page, tag)])
    runner = env.create_local_runner()
    runner.start(plan["users"], spawn_rate=plan["users"])
    # The first page also warms the fresh workers (URLconf, base template, catalogues).
    warm_started = time.monotonic()
    gevent.sleep(plan["warmup"] + (plan.get("prime", 0) if page["idx"] == 0 else 0))
    # Each worker compiles a page's templates on its first request: a slow page keeps
    # warming until about one request per worker is done (bounded).
    while wanting(env, plan.get("warmup_requests", 0), warm_started, plan.get("warmup_max", 0), extra_until):
        gevent.sleep(0.05)
    tag["phase"] = "m"
    env.stats.reset_all()
    started = time.monotonic()
    gevent.sleep(plan["seconds"])
    # A slow page gets more time, up to a cap, so it still has a few samples.
    while wanting(env, plan.get("min_requests", 0), started, plan.get("max_seconds", 0), extra_until):
        gevent.sleep(0.05)
    runner.stop()
    elapsed = time.monotonic() - started
    entry = env.stats.get("page", "GET")
    errors = {str(e.error): e.occurrences for e in env.stats.errors.values()}
    result = {
        "idx": page["idx"],
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "elapsed": elapsed,
        "client_p50": entry.get_response_time_percentile(0.5) if entry.num_requests else None,
        "client_p95": entry.get_response_time_percentile(0.95) if entry.num_requests else None,
        "errors": errors,
    }
    runner.quit()
    return result


def mixed_user(base: str, mix: dict, tag: dict) -> type:
    """A person browsing: a page of the mix (by weight), then think time, again."""
    requests = mix["requests"]
    weights = [r["weight"] for r in requests]
    rng = random.Random(2026)
    low, high = mix["think"]

    class MixedUser(FastHttpUser):
        host = base
        wait_time = between(low, high)
        network_timeout = 30.0
        connection_timeout = 5.0

        @task
        def browse(self):
            page = rng.choices(requests, weights)[0]
            headers = {"Cookie": page["cookie"], "X-Bench-Tag": f"mix:{tag['phase']}"}
            with self.client.get(
                page["path"], name="mix", headers=headers, allow_redirects=False, catch_response=True
            ) as resp:
                if resp.status_code != 200:
                    resp.failure(f"HTTP {resp.status_code} {page['name']}")

    return MixedUser


def run_mixed(plan: dict) -> dict:
    mix = plan["mixed"]
    tag = {"phase": "w"}
    env = Environment(user_classes=[mixed_user(plan["base"], mix, tag)])
    runner = env.create_local_runner()
    runner.start(mix["users"], spawn_rate=max(1, mix["users"] / 2))
    gevent.sleep(mix["warmup"])
    tag["phase"] = "m"
    env.stats.reset_all()
    started = time.monotonic()
    gevent.sleep(mix["seconds"])
    runner.stop()
    elapsed = time.monotonic() - started
    entry = env.stats.get("mix", "GET")
    result = {
        "idx": "mix",
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "elapsed": elapsed,
        "errors": {str(e.error): e.occurrences for e in env.stats.errors.values()},
    }
    runner.quit()
    return result


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING)
    plan_path, out_path = argv
    with open(plan_path) as fh:
        plan = json.load(fh)
    results = []
    base = plan["warmup"] + plan["seconds"]
    deadline = time.monotonic() + plan["budget"] if plan.get("budget") else float("inf")
    for n, page in enumerate(plan["pages"]):
        later = (len(plan["pages"]) - n - 1) * base
        results.append(run_page(plan, page, deadline - later - base))
        with open(out_path, "w") as fh:
            json.dump(results, fh)
        print(
            f"  [{page['idx'] + 1}/{len(plan['pages'])}] {page['name']}: "
            f"{results[-1]['requests']} requests, {results[-1]['failures']} errors",
            flush=True,
        )
    if plan.get("mixed"):
        results.append(run_mixed(plan))
        with open(out_path, "w") as fh:
            json.dump(results, fh)
        print(f"  mixed: {results[-1]['requests']} requests, {results[-1]['failures']} errors", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
