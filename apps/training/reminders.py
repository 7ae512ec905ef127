"""Training reminders (each sent once per key by the notifications engine): a session on the
next working day reminds the people enrolled; a certificate 30 days before it lapses reminds its
holder; an open development action past its due date reminds the person and the mentor."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from apps.notifications.reminding import Due, ReminderSource, batches
from apps.scheduling.calendar import add_working_days

from . import notification_kinds as kinds
from .models import Attendance, Certificate, DevelopmentAction, DevelopmentPlan, Enrollment, Session

CERTIFICATE_NOTICE_DAYS = 30


class SessionsSoon(ReminderSource):
    name = "training.sessions"
    order = 70

    def scan(self, today):
        tomorrow = add_working_days(today, 1)
        tz = timezone.get_current_timezone()
        start = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min), tz)
        end = timezone.make_aware(datetime.combine(tomorrow, time.max), tz)
        rows = Enrollment.objects.filter(
            status=Attendance.ENROLLED,
            session__status=Session.Status.SCHEDULED,
            session__starts_at__gte=start,
            session__starts_at__lte=end,
        ).values_list("pk", "session_id", "person_id", "session__course__title", "session__starts_at", "session__place")
        for batch in batches(rows):
            yield [
                Due(
                    "training.session",
                    session_id,
                    kinds.SESSION_SOON,
                    timezone.localtime(starts).date(),
                    person,
                    gettext_noop("Training soon: %(course)s"),
                    gettext_noop("%(when)s, %(place)s."),
                    reverse("training:session", args=[session_id]),
                    {"course": title, "when": timezone.localtime(starts).strftime("%Y-%m-%d %H:%M"), "place": place},
                )
                for _pk, session_id, person, title, starts, place in batch
            ]


class CertificatesLapsing(ReminderSource):
    name = "training.certificates"
    order = 71

    def scan(self, today):
        rows = Certificate.objects.filter(
            expires_on__gte=today, expires_on__lte=today + timedelta(days=CERTIFICATE_NOTICE_DAYS)
        ).values_list("pk", "person_id", "course__title", "expires_on", "course_id")
        for batch in batches(rows):
            yield [
                Due(
                    "training.certificate",
                    pk,
                    kinds.CERTIFICATE_EXPIRING,
                    expires,
                    person,
                    gettext_noop("Your certificate for %(course)s expires on %(date)s"),
                    gettext_noop("Renew it by taking the course again."),
                    reverse("training:course", args=[course_id]),
                    {"course": title, "date": expires.isoformat()},
                )
                for pk, person, title, expires, course_id in batch
            ]


class DevelopmentActionsOverdue(ReminderSource):
    name = "training.development"
    order = 72

    def scan(self, today):
        rows = DevelopmentAction.objects.filter(
            done_at__isnull=True, due_date__lt=today, plan__status=DevelopmentPlan.Status.OPEN
        ).values_list("pk", "title", "due_date", "plan_id", "plan__person_id", "plan__mentor_id")
        for batch in batches(rows):
            dues = []
            for pk, title, due, plan_id, person, mentor in batch:
                for recipient in {person, mentor} - {None}:
                    dues.append(
                        Due(
                            "training.action",
                            pk,
                            kinds.ACTION_OVERDUE,
                            due,
                            recipient,
                            gettext_noop("Development action overdue: %(title)s"),
                            gettext_noop("It was due on %(due)s."),
                            reverse("training:development", args=[plan_id]),
                            {"title": title, "due": due.isoformat()},
                        )
                    )
            yield dues


SOURCES = [SessionsSoon(), CertificatesLapsing(), DevelopmentActionsOverdue()]
