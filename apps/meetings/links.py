"""Kinds of objects an action item can link to. Each kind turns what a person typed (a
regulation code, "code 第五条", a process code, an indicator code) into a label and a URL, or
says why it cannot. Later modules (risks, training) add their kinds with `register()`;
models are looked up by name so this module imports no other module."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class LinkKind:
    code: str
    label: object
    example: str
    resolve: Callable[[str], tuple[str, str, str]]  # typed text -> (ref, label, url); ValidationError


KINDS: dict[str, LinkKind] = {}


def register(kind: LinkKind) -> LinkKind:
    KINDS[kind.code] = kind
    return kind


def resolve(kind: str, text: str) -> tuple[str, str, str]:
    text = (text or "").strip()
    if kind not in KINDS:
        raise ValidationError(_("Unknown kind of link: %(kind)s.") % {"kind": kind})
    if not text:
        raise ValidationError(_("Say which object to link to."))
    return KINDS[kind].resolve(text)


def _policy(text):
    Policy = apps.get_model("policies", "Policy")
    policy = Policy.objects.filter(code__iexact=text).first()
    if policy is None:
        raise ValidationError(_("No regulation with the code “%(code)s”.") % {"code": text})
    return policy.code, f"{policy.code} {policy.title}", policy.get_absolute_url()


ARTICLE = re.compile(r"^(?P<code>\S+)\s*[#\s]\s*(?P<label>\S+)$")


def _article(text):
    match = ARTICLE.match(text)
    if not match:
        raise ValidationError(_("Give the regulation code and the article, e.g. “OPS-001 第五条”."))
    code, ref, label, url = match["code"], None, None, None
    code, title, url = _policy(code)
    Policy = apps.get_model("policies", "Policy")
    policy = Policy.objects.get(code=code)
    node = None
    if policy.current_version_id:
        node = (
            apps.get_model("policies", "PolicyNode")
            .objects.filter(version_id=policy.current_version_id)
            .filter(label=match["label"])
            .first()
        )
    if node is None:
        raise ValidationError(
            _("The regulation %(code)s has no article “%(label)s” in its current version.")
            % {"code": code, "label": match["label"]}
        )
    ref = f"{code}#{node.slug}"
    label = f"{title} {node.label} {node.heading}".strip()
    return ref, label, f"{url}#{node.slug}"


def _process(text):
    Process = apps.get_model("processes", "Process")
    process = Process.objects.filter(code__iexact=text).first()
    if process is None:
        raise ValidationError(_("No process with the code “%(code)s”.") % {"code": text})
    return process.code, f"{process.code} {process.name}", process.get_absolute_url()


def _indicator(text):
    Indicator = apps.get_model("kpis", "Indicator")
    indicator = Indicator.objects.filter(code__iexact=text).first()
    if indicator is None:
        raise ValidationError(_("No indicator with the code “%(code)s”.") % {"code": text})
    return indicator.code, f"{indicator.code} {indicator.name}", reverse("kpis:indicator", args=[indicator.pk])


register(LinkKind("policy", gettext_lazy("Regulation"), "OPS-001", _policy))
register(LinkKind("policy_article", gettext_lazy("Regulation article"), "OPS-001 第五条", _article))
register(LinkKind("process", gettext_lazy("Process"), "purchase-approval", _process))
register(LinkKind("indicator", gettext_lazy("Indicator"), "KPI-SALES", _indicator))


def choices() -> list[tuple[str, str]]:
    return [(k.code, k.label) for k in KINDS.values()]
