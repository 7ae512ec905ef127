"""Reading numbers from the query string: a link someone edited by hand (?days=abc,
?days=99999999999, ?department=x) falls back to the default instead of reaching the
database or date arithmetic as garbage."""

PG_INT_MAX = 2**31 - 1


def query_int(request, name: str, default=None, *, minimum: int = 0, maximum: int = PG_INT_MAX):
    """The parameter as an int within [minimum, maximum], else `default`."""
    raw = (request.GET.get(name) or "").strip()
    if not raw or len(raw) > 12:
        return default
    try:
        value = int(raw)
    except ValueError:
        return default
    return value if minimum <= value <= maximum else default
