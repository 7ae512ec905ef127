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
    # Sent by the modules as things happen.
    ("policies.approval", _("Regulation draft waiting for your approval"), _POL, True),
    ("policies.returned", _("Your regulation draft was returned"), _POL, False),
    ("policies.ack_required", _("Regulation to acknowledge"), _POL, True),
    ("processes.approval_required", _("Process change waiting for your decision"), _PRO, True),
    ("processes.reject", _("Your process change was rejected"), _PRO, False),
    ("processes.return", _("Your process change was returned"), _PRO, False),
    ("processes.published", _("Process published"), _PRO, False),
    ("processes.delegation", _("Approvals delegated to you"), _PRO, False),
    ("processes.improvement_action", _("Improvement action assigned to you"), _PRO, False),
    ("kpis.figure_missing", _("Indicator figure missing"), _KPI, True),
    ("appraisals.self_open", _("Self-assessment open"), _APP, True),
    ("appraisals.self_submitted", _("A report submitted their self-assessment"), _APP, False),
    ("appraisals.review_open", _("Manager review open"), _APP, True),
    ("appraisals.reviewer_assigned", _("You review an appraisal"), _APP, True),
    ("appraisals.peer_invited", _("Peer review requested"), _APP, False),
    ("appraisals.calibrated", _("Appraisal calibrated"), _APP, False),
    ("appraisals.published", _("Appraisal result published"), _APP, False),
    ("appraisals.objection", _("Objection to an appraisal"), _APP, False),
    ("appraisals.objection_resolved", _("Your objection was answered"), _APP, False),
    # Sent by the reminder scan (apps/notifications/sources/).
    ("policies.review_due", _("Regulation review due"), _POL, False),
    ("policies.review_overdue", _("Regulation review overdue"), _POL, False),
    ("policies.ack_reminder", _("Acknowledgement still open"), _POL, True),
    ("policies.ack_overdue_report", _("A report has not acknowledged"), _POL, False),
    ("processes.approval_waiting", _("Approval waiting for you"), _PRO, True),
    ("processes.approval_escalated", _("Approval waiting in your team"), _PRO, False),
    ("processes.review_due", _("Process review due"), _PRO, False),
    ("processes.action_overdue", _("Improvement action overdue"), _PRO, True),
    ("kpis.figures_missing_head", _("Figures missing in your department"), _KPI, False),
    ("appraisals.stage_deadline", _("Appraisal step due soon"), _APP, True),
    ("reminders.planned", _("Planned reminder"), _GEN, False),
]:
    register_kind(_code, _label, group=_group, mandatory=_mandatory)
