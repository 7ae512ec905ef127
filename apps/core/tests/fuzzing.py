"""Walk the portal as a person would (links and forms from each page) and send what people
and attackers send by mistake or on purpose: NUL bytes, impossible years, words where
numbers belong, huge numbers. Used by test_fuzz.py; also runnable against a dev database."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.core.signals import got_request_exception
from django.urls import Resolver404, get_resolver, resolve

HOSTILE = [
    "abc\x00def",
    "0000-01-01",
    "9999-12-31",
    "0000",
    "9999",
    "abc",
    "-1",
    "99999999999999999999999",
    "1e309",
    "2026-13-45",
    "<script>alert(1)</script>'\"",
]
# query parameters the portal's lists and reports read
COMMON_PARAMS = [
    "page", "days", "year", "month", "q", "period", "sort", "status", "department", "from", "to", "format",
    "v", "grade", "kind", "parent", "mine", "unread", "method", "policy", "excluded", "all", "next",
]  # fmt: skip
# a number in the path (a year, an id, a version) replaced by these
PATH_NUMBERS = ["0", "9999", "10000", "99999999999999999999"]
# tried on each date-, year- or number-like field alone (the others keep their defaults)
EDGE_VALUES = ["0000", "9999", "0000-01-01", "9999-12-31", "99999999999999999999999"]
DATE_LIKE = re.compile(r"year|date|day|month|period|deadline|_on$|_at$|hours|months|index|revision|weight|score")
SKIP_PREFIXES = ("/static/", "/media/", "/accounts/logout/", "/accounts/language/", "/healthz")


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, type, default)


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._select: str | None = None
        self._select_value_set = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.forms.append(Form(action=a.get("action") or "", method=(a.get("method") or "get").lower()))
        elif not self.forms or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.forms[-1].fields.append((a["name"], kind, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self.forms[-1].fields.append((a["name"], "textarea", ""))
        elif tag == "select":
            self._select, self._select_value_set = a["name"], False
            self.forms[-1].fields.append((a["name"], "select", ""))
        elif tag == "option" and self._select and not self._select_value_set and a.get("value"):
            name, kind, _ = self.forms[-1].fields[-1]
            self.forms[-1].fields[-1] = (name, kind, a["value"])
            self._select_value_set = "selected" in a

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


@dataclass
class Failure:
    role: str
    method: str
    url: str
    data: dict | None
    status: int
    error: str = ""


class Walker:
    """Crawls from the home page as one signed-in person; records every 5xx."""

    def __init__(self, client, role: str, *, seen_views: set, seen_forms: set, limit: int = 400):
        """seen_views / seen_forms: what was fuzzed already (by any role); each role still
        walks every page it can reach, once per view and set of query parameters."""
        self.client, self.role, self.limit = client, role, limit
        self.seen_views, self.seen_forms = seen_views, seen_forms
        self.visited: set = set()
        self.kwargs_seen: dict = {}  # (namespace, kwarg) -> values seen in visited URLs
        self.failures: list[Failure] = []
        self.requests = 0
        self._last_error = ""
        self.client.raise_request_exception = False

    def _remember_error(self, sender, request=None, **kwargs):
        import sys
        import traceback

        self._last_error = "".join(traceback.format_exception(*sys.exc_info())[-3:])

    def _send(self, method: str, url: str, data: dict | None = None):
        self._last_error = ""
        self.requests += 1
        response = getattr(self.client, method)(url, data) if data is not None else getattr(self.client, method)(url)
        if response.status_code >= 500:
            self.failures.append(Failure(self.role, method, url, data, response.status_code, self._last_error))
        return response

    def run(self, start: str = "/") -> None:
        got_request_exception.connect(self._remember_error)
        try:
            self._walk(start)
        finally:
            got_request_exception.disconnect(self._remember_error)

    def _walk(self, start: str) -> None:
        queue, queued = deque([start]), {start}
        pages = 0
        while queue and pages < self.limit:
            url = queue.popleft()
            view = _view_name(url)
            if view is None:
                continue
            key = (view, tuple(sorted(k for k, _ in parse_qsl(urlsplit(url).query))))
            if key in self.visited:
                continue
            self.visited.add(key)
            self._remember_kwargs(url)
            response = self._send("get", url)
            pages += 1
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            parser = PageParser()
            parser.feed(response.content.decode("utf-8", "replace"))
            if key not in self.seen_views:
                self.seen_views.add(key)
                self._fuzz_query(url)
                self._fuzz_path(url)
            for form in parser.forms:
                self._fuzz_form(url, form)
            for href in parser.links:
                target = _local(href, url)
                if target and target not in queued:
                    queued.add(target)
                    queue.append(target)

    def _remember_kwargs(self, url: str) -> None:
        match = resolve(urlsplit(url).path)
        for name, value in match.kwargs.items():
            self.kwargs_seen.setdefault((match.namespace, name), []).append(value)

    def visit(self, url: str) -> None:
        """Walk on from one more page (one found by filling a pattern's arguments)."""
        self._walk(url)

    def _fuzz_query(self, url: str) -> None:
        parts = urlsplit(url)
        names = {k for k, _ in parse_qsl(parts.query)} | set(COMMON_PARAMS)
        for value in HOSTILE:
            self._send("get", f"{parts.path}?{urlencode(dict.fromkeys(sorted(names), value))}")

    def _fuzz_path(self, url: str) -> None:
        parts = urlsplit(url).path.split("/")
        for i, segment in enumerate(parts):
            if segment.isdigit():
                for number in PATH_NUMBERS:
                    self._send("get", "/".join([*parts[:i], number, *parts[i + 1 :]]))

    def _fuzz_form(self, page: str, form: Form) -> None:
        target = _local(form.action, page) if form.action else page
        if not target:
            return
        names = tuple(sorted(n for n, _, _ in form.fields))
        key = (_view_name(target), form.method, names)
        if key in self.seen_forms or key[0] is None:
            return
        self.seen_forms.add(key)
        base = {n: v for n, _, v in form.fields}
        base.pop("csrfmiddlewaretoken", None)
        editable = [n for n, kind, _ in form.fields if kind not in ("hidden", "checkbox", "radio")]
        for value in HOSTILE:
            data = {**base, **dict.fromkeys(editable, value)}
            if form.method == "post":
                self._send("post", target, data)
            else:
                self._send("get", target.split("?")[0], data)
        for name, kind, _ in form.fields:
            if kind in ("number", "date", "month") or DATE_LIKE.search(name):
                for value in EDGE_VALUES:
                    data = {**base, name: value}
                    self._send(form.method, target if form.method == "post" else target.split("?")[0], data)
        if form.method == "post":  # hidden fields (ids, the state the page showed) too
            hidden = [n for n, kind, _ in form.fields if kind in ("hidden", "select") and n != "csrfmiddlewaretoken"]
            for value in ("abc", "-1", "9999-12-31", "99999999999999999999999"):
                if hidden:
                    self._send("post", target, {**base, **dict.fromkeys(hidden, value)})


def _local(href: str, page: str) -> str | None:
    if href.startswith(("mailto:", "tel:", "javascript:", "#")) or "://" in href:
        return None
    if not href.startswith("/"):
        href = page.split("?")[0].rsplit("/", 1)[0] + "/" + href
    href = href.split("#")[0]
    return None if href.startswith(SKIP_PREFIXES) else href


def _view_name(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name or match._func_path


def all_patterns() -> dict[str, list[str]]:
    """Every named URL pattern of the portal (Django admin's own pages excluded), with the
    names of its arguments."""
    found = {}

    def walk(resolver, prefix="", args=()):
        for p in resolver.url_patterns:
            own = tuple(getattr(p.pattern, "converters", {}).keys())
            if hasattr(p, "url_patterns"):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                if p.namespace != "admin":
                    walk(p, ns, args + own)
            elif p.name:
                found[prefix + p.name] = list(args + own)

    walk(get_resolver())
    return found


def fill(name: str, args: list[str], kwargs_seen: dict, limit: int = 3) -> list[str]:
    """URLs of a pattern built from argument values seen on other pages of the same app
    (an appraisal's pk from its detail page gives its self-assessment page)."""
    from itertools import islice, product

    from django.urls import NoReverseMatch, reverse

    namespace = name.rpartition(":")[0]
    choices = []
    for arg in args:
        values = list(dict.fromkeys(kwargs_seen.get((namespace, arg), [])))
        if not values:
            values = list(dict.fromkeys(v for (ns, a), vs in kwargs_seen.items() if a == arg for v in vs))
        choices.append(values[:limit])
    urls = []
    for combo in islice(product(*choices), limit * 2):
        try:
            urls.append(reverse(name, kwargs=dict(zip(args, combo, strict=True))))
        except NoReverseMatch:
            continue
    return urls[:limit]
