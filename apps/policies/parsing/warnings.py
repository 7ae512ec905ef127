"""What the importer asks a person to check, in the reader's language.

A warning is a code and its parameters (labels and lines as written in the document), never a
finished sentence: a draft keeps them (``PolicyVersion.parse_warnings``, JSON) and every page
renders them with ``gettext`` in the language of whoever reads them. Drafts saved before
warnings had codes hold plain strings; those are shown as they were written."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "misplaced": _("Number %(label)s does not fit (the previous one at its level is %(previous)s); kept as text"),
    "restart": _(
        "%(label)s starts the numbering again (the previous one was %(previous)s); another document may start here"
    ),
    "gap": _("%(previous)s is followed by %(label)s (%(missing)s missing)"),
    "first_gap": _("The first number is %(label)s (%(missing)s missing)"),
    "gap_range": _(
        "%(previous)s is followed by %(label)s (%(first)s to %(last)s missing); perhaps an excerpt or an amended text"
    ),
    "first_gap_range": _(
        "The first number is %(label)s (%(first)s to %(last)s missing); perhaps an excerpt or an amended text"
    ),
    "appendix_gap": _("Appendix number %(label)s is out of sequence (the previous one was %(previous)s)"),
    "page_line": _("Removed a page-number line: %(line)s"),
    "file_facts": _("Removed the site's details of the file: %(line)s"),
    "site_footer": _("Removed a site footer or disclaimer: %(line)s"),
    "page_header": _("Removed the page number from a page header: %(counter)s (%(line)s)"),
    "pinyin": _("Removed pinyin annotations: %(examples)s (%(count)s in all)"),
    "pinyin_more": _("Removed pinyin annotations: %(examples)s and more (%(count)s in all)"),
    "placeholder_date": _("The effective date is a placeholder never filled in: %(text)s"),
    "invalid_date": _("The effective date is not a real date: %(text)s"),
}


def _shown(value) -> str:
    if value is None:
        return pgettext("no previous number", "none")
    if isinstance(value, list):
        return pgettext("list separator", ", ").join(str(v) for v in value)
    return str(value)


def render(entry) -> str:
    """One warning as a sentence in the active language: a ``ParseWarning``, its JSON form
    (``{"code": …, "params": {…}}``) or a plain string kept from before."""
    if isinstance(entry, ParseWarning):
        code, params = entry.code, entry.params
    elif isinstance(entry, dict):
        code, params = entry.get("code", ""), entry.get("params") or {}
    else:
        return str(entry)
    template = MESSAGES.get(code)
    if template is None:
        return code  # a code from a later release, read by an older one
    return gettext(str(template)) % {k: _shown(v) for k, v in params.items()}


@dataclass
class ParseWarning:
    code: str
    params: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in MESSAGES:
            raise ValueError(f"unknown parse warning {self.code!r}")

    def __str__(self) -> str:
        return render(self)

    def as_json(self) -> dict:
        return {"code": self.code, "params": dict(self.params)}


def render_warnings(entries) -> list[str]:
    return [render(e) for e in entries or ()]
