"""The engine's three machines (request, stage, task) on the portal's one primitive."""

from apps.core.statemachine import machine

from .models import Request, Stage, Task

R, S, T = Request.Status, Stage.Status, Task.Status

REQUEST = machine(
    "approvals.request",
    model="approvals.Request",
    choices=R,
    initial=R.PENDING,
    table={
        R.DRAFT: {R.PENDING, R.WITHDRAWN},
        R.PENDING: {R.APPROVED, R.REJECTED, R.RETURNED, R.WITHDRAWN},
        R.RETURNED: {R.PENDING, R.WITHDRAWN},
    },
)

STAGE = machine(
    "approvals.stage",
    model="approvals.Stage",
    choices=S,
    initial=S.ACTIVE,
    table={
        S.WAITING: {S.ACTIVE, S.SKIPPED, S.CANCELLED},
        S.ACTIVE: {S.APPROVED, S.REJECTED, S.RETURNED, S.SKIPPED, S.CANCELLED},
        # A return to an earlier stage undoes the approvals after it.
        S.APPROVED: {S.RETURNED},
        S.SKIPPED: {S.RETURNED},
    },
)

TASK = machine(
    "approvals.task",
    model="approvals.Task",
    choices=T,
    initial=T.PENDING,
    table={
        T.QUEUED: {T.PENDING, T.CANCELLED, T.SKIPPED},
        T.PENDING: {T.APPROVED, T.REJECTED, T.RETURNED, T.TRANSFERRED, T.ESCALATED, T.CANCELLED, T.QUEUED},
    },
)

OPEN_TASKS = (T.QUEUED, T.PENDING)
