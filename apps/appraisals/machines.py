"""The cycle's stage on the portal's one state-machine primitive (apps/core/statemachine.py).

Forward: self-assessment → manager review → calibration → published → closed. Back (HR, with
a reason, while nothing of the later stage was done): review → self-assessment and
calibration → review. Who may take which step, and the conditions, are in services.py."""

from apps.core.statemachine import machine

from .models import Stage

CYCLE = machine(
    "appraisals.cycle",
    model="appraisals.Cycle",
    field="stage",
    choices=Stage,
    initial=Stage.SELF,
    table={
        Stage.SELF: {Stage.REVIEW},
        Stage.REVIEW: {Stage.CALIBRATION, Stage.SELF},
        Stage.CALIBRATION: {Stage.PUBLISHED, Stage.REVIEW},
        Stage.PUBLISHED: {Stage.CLOSED},
    },
)
