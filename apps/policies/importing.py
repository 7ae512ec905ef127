"""Importing a compiled file (several regulations run together, which the parser sees
as numbering that starts over): each part becomes its own regulation, all or nothing."""

from __future__ import annotations

from django.db import transaction

from . import services
from .models import PolicyVersion
from .parsing import ParseResult
from .parsing.parser import parse_text, split_documents

MAX_PARTS = 50


def split_preview(result: ParseResult | None) -> list[dict]:
    """The regulations the preview offers to import separately ([] when there is one)."""
    if result is None or not result.document_starts:
        return []
    parts = []
    for k, text in enumerate(split_documents(result)[:MAX_PARTS], start=1):
        part = parse_text(text, remove_noise=False)
        lines = sum(1 for line in text.split("\n") if line.strip())  # a size hint for the preview
        parts.append({"number": k, "title": part.title or "", "text": text, "lines": lines})
    return parts if len(parts) > 1 else []


@transaction.atomic
def import_split(*, actor, code: str, title: str, result: ParseResult, **common) -> list[PolicyVersion]:
    """One new policy per part, codes ``code-1``, ``code-2``…; a duplicate code or any
    other refusal rolls every part back (services raise ValidationError)."""
    versions = []
    chosen_interpreter = common.pop("interpreting_department", None)
    for part in split_preview(result):
        interpreter = chosen_interpreter or department_named(parse_text(part["text"]).interpreter)
        versions.append(
            services.policy_create(
                actor=actor,
                code=f"{code}-{part['number']}",
                title=part["title"] or f"{title or code}（{part['number']}）",
                text=part["text"],
                interpreting_department=interpreter,
                **common,
            )
        )
    return versions


def department_named(name: str | None):
    """The department an interpreting body written in the text names (exactly, else by its start)."""
    from apps.departments.models import Department

    if not name:
        return None
    name = name.strip()
    return Department.objects.filter(name=name).first() or Department.objects.filter(name__startswith=name[:4]).first()
