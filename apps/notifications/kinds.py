"""The catalogue of notification kinds people can set a mail preference for.

A module's kind that is not listed here still works: it is mailed immediately and shows in
the preferences under its code. `mandatory` kinds (someone is waiting for you) can be
moved to the digest but not switched off.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Channel


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    group: str = ""
    mandatory: bool = False
    default: str = Channel.IMMEDIATE

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(c.value, c.label) for c in Channel if not (self.mandatory and c == Channel.OFF)]


KINDS: dict[str, Kind] = {}


def register_kind(code: str, label, *, group="", mandatory=False, default=Channel.IMMEDIATE) -> Kind:
    KINDS[code] = kind = Kind(code=code, label=label, group=group, mandatory=mandatory, default=default)
    return kind


def kind_for(code: str) -> Kind:
    """A listed kind, or for another one a stand-in labelled with its module's name."""
    if code in KINDS:
        return KINDS[code]
    module = MODULES.get(code.split(".", 1)[0], _GEN)
    return Kind(code=code, label=module, group=module)


_POL, _PRO, _KPI, _APP, _GEN = _("Regulations"), _("Processes"), _("Indicators"), _("Appraisals"), _("General")
MODULES = {"policies": _POL, "processes": _PRO, "kpis": _KPI, "appraisals": _APP}
for _code, _label, _group, _mandatory in [
    ("policies.review_due", _("Regulation review due"), _POL, False),
    ("policies.review_overdue", _("Regulation review overdue"), _POL, False),
    ("policies.published", _("Regulation version published"), _POL, False),
    ("policies.ack_required", _("Regulation to acknowledge"), _POL, True),
    ("policies.ack_reminder", _("Acknowledgement still open"), _POL, True),
    ("policies.ack_overdue_report", _("A report has not acknowledged"), _POL, False),
    ("processes.approval_waiting", _("Approval waiting for you"), _PRO, True),
    ("processes.approval_escalated", _("Approval waiting in your team"), _PRO, False),
    ("processes.review_due", _("Process review due"), _PRO, False),
    ("processes.action_overdue", _("Review action overdue"), _PRO, True),
    ("kpis.figures_missing", _("Indicator figures missing"), _KPI, True),
    ("kpis.figures_missing_head", _("Figures missing in your department"), _KPI, False),
    ("appraisals.cycle_opened", _("Appraisal cycle opened"), _APP, False),
    ("appraisals.stage_deadline", _("Appraisal step due soon"), _APP, True),
    ("appraisals.stage_moved", _("Appraisal moved to the next stage"), _APP, False),
    ("reminders.planned", _("Planned reminder"), _GEN, False),
]:
    register_kind(_code, _label, group=_group, mandatory=_mandatory)
