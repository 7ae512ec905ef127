"""Meetings' three statuses on the portal's one state-machine primitive
(apps/core/statemachine.py): the meeting, its minutes versions and the action items.
Confirming the minutes is an approval on the approvals engine (kind "meetings.minutes",
apps/meetings/approvals.py); the minutes machine mirrors its decision."""

from apps.core.statemachine import machine

from .models import ActionStatus, MeetingStatus, MinutesStatus

M, N, A = MeetingStatus, MinutesStatus, ActionStatus

MEETING = machine(
    "meetings.meeting",
    model="meetings.Meeting",
    choices=M,
    initial=M.SCHEDULED,
    table={M.SCHEDULED: {M.HELD, M.CANCELLED}},
)

MINUTES = machine(
    "meetings.minutes",
    model="meetings.MinutesVersion",
    choices=N,
    initial=N.DRAFT,
    table={
        N.DRAFT: {N.CONFIRMING, N.ISSUED},
        # the engine's decision: returned, rejected or withdrawn -> draft again
        N.CONFIRMING: {N.DRAFT, N.ISSUED},
        N.ISSUED: {N.SUPERSEDED},  # when its correction is issued
    },
)

ACTION = machine(
    "meetings.action",
    model="meetings.ActionItem",
    choices=A,
    initial=A.OPEN,
    table={
        A.OPEN: {A.IN_PROGRESS, A.DONE, A.CANCELLED},
        A.IN_PROGRESS: {A.IN_PROGRESS, A.DONE, A.CANCELLED},  # progress reports keep it in progress
        A.DONE: {A.ACCEPTED, A.IN_PROGRESS, A.CANCELLED},
        A.ACCEPTED: {A.IN_PROGRESS},  # reopened
    },
)
