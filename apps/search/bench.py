"""`make bench` pages for search: the results page for a fixed mix of query classes, the
same page with an empty query, and the top bar's suggestions; jobs time the SQL alone."""

from urllib.parse import urlencode

from django.urls import reverse

from .benchmark import QUERY_MIX, time_sql


def _mix(ctx) -> list[tuple[str, str]]:
    mix = list(QUERY_MIX)
    person = ctx.get("users", {}).get("manager")
    if person is not None:
        from .text import pinyin_lexemes

        full = max(pinyin_lexemes(person.name), key=len, default="")
        if full:
            mix.append(("pinyin of a person", full))
    return mix


def pages(ctx) -> list[dict]:
    results, suggest = reverse("search:results"), reverse("search:suggest")
    out = [{"name": "search: empty query", "path": results, "role": "staff"}]
    for name, q in _mix(ctx):
        out.append({"name": f"search: {name} ({q})", "path": f"{results}?{urlencode({'q': q})}", "role": "staff"})
    out.append({"name": "search as ops: 2 characters (报销)", "path": f"{results}?q=报销", "role": "ops"})
    out.append({"name": "search: 2 characters, page 5", "path": f"{results}?q=报销&page=5", "role": "staff"})
    for q in ("制", "报销", "jixiao"):
        out.append({"name": f"search suggestions ({q})", "path": f"{suggest}?{urlencode({'q': q})}", "role": "staff"})
    return out


def jobs(ctx) -> list[dict]:
    user = ctx.get("users", {}).get("staff")
    if user is None:
        return []

    def run(q):
        return lambda: time_sql(user, q, repeat=10)["matches"]

    return [{"name": f"search SQL ×10: {name} ({q})", "run": run(q)} for name, q in _mix(ctx)]
