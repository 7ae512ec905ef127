"""Mail: preferences decide the channel; the outbox keeps every mail until a server took it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from apps.notifications import delivery
from apps.notifications.digest import daily_digest
from apps.notifications.models import Channel, Notification, NotificationPreference, OutboundEmail
from apps.notifications.services import channels_for, notify, notify_many, set_preferences
from apps.scheduling.runner import run_job

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def mailbox(settings):
    settings.EMAIL_BACKEND = LOCMEM
    return mail.outbox


@pytest.mark.django_db
def test_a_notification_is_mailed_immediately_by_default_in_the_recipients_language(org, mailbox):
    staff, manager = org["staff"], org["manager"]
    staff.preferred_language = "en"
    staff.save()
    for user in (staff, manager):
        notify(
            recipient=user, kind="policies.ack_required", title="《员工手册》待确认", body="请阅读", url="/policies/1/"
        )
    ids = list(OutboundEmail.objects.values_list("pk", flat=True))
    assert len(ids) == 2 and delivery.deliver(ids) == []
    by_to = {m.to[0]: m for m in mailbox}
    english, chinese = by_to[staff.email], by_to[manager.email]
    assert "Hello" in english.body and "/policies/1/" in english.body and "http" in english.body
    assert "您好" in chinese.body or "你好" in chinese.body
    html = {mime: c for c, mime in chinese.alternatives}["text/html"]
    assert "《员工手册》待确认" in html and "<a href=" in html
    assert OutboundEmail.objects.filter(status="sent").count() == 2


@pytest.mark.django_db
def test_a_broken_mail_server_delays_mail_with_backoff_and_never_loses_it(org, settings, mailbox):
    notify(recipient=org["staff"], kind="policies.ack_required", title="待确认")
    row = OutboundEmail.objects.get()
    settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = SMTP, "127.0.0.1", 1  # nothing listens
    settings.EMAIL_TIMEOUT = 2
    before = timezone.now()
    assert delivery.deliver([row.pk]) == [row.pk]
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 1) and "refused" in row.last_error.lower()
    assert row.next_attempt_at >= before + timedelta(seconds=60)
    delivery.deliver([row.pk])
    row.refresh_from_db()
    assert row.attempts == 2 and row.next_attempt_at >= before + timedelta(seconds=120)
    # Not due yet: the retry job leaves it alone; once due and the server is back, it goes out.
    assert delivery.deliver_pending(timezone.now()) == 0
    settings.EMAIL_BACKEND = LOCMEM
    assert delivery.deliver_pending(timezone.now() + timedelta(hours=1)) == 1
    row.refresh_from_db()
    assert row.status == "sent" and len(mailbox) == 1


def test_backoff_doubles_and_is_capped():
    assert [delivery.backoff(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert delivery.backoff(30) == delivery.BACKOFF_CAP


@pytest.mark.django_db
def test_the_retry_job_sends_pending_mail_and_commits_each_one(org, mailbox):
    notify_many(recipients=[org["staff"], org["manager"]], kind="policies.ack_required", title="待确认")
    OutboundEmail.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=1))
    run = run_job("notifications.deliver_pending")
    assert (run.outcome, run.items, len(mailbox)) == ("ok", 2, 2)
    assert run_job("notifications.deliver_pending").items == 0


@pytest.mark.django_db
def test_a_sent_mail_is_not_sent_again(org, mailbox):
    notify(recipient=org["staff"], kind="policies.ack_required", title="待确认")
    pk = OutboundEmail.objects.get().pk
    delivery.deliver([pk])
    delivery.deliver([pk])
    assert len(mailbox) == 1


@pytest.mark.django_db
def test_notify_does_not_fail_when_the_broker_is_down(org, django_capture_on_commit_callbacks, monkeypatch):
    from apps.notifications import tasks

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("redis is down")

    monkeypatch.setattr(tasks.deliver_emails, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=org["staff"], kind="policies.ack_required", title="待确认")
    assert OutboundEmail.objects.get().status == "pending"  # the retry job will send it


@pytest.mark.django_db
def test_people_choose_per_kind_immediately_digest_or_off(org):
    staff = org["staff"]
    set_preferences(user=staff, channels={"policies.review_due": Channel.DIGEST, "policies.published": Channel.OFF})
    notify(recipient=staff, kind="policies.review_due", title="评审到期")
    notify(recipient=staff, kind="policies.published", title="新版本发布")
    notify(recipient=staff, kind="policies.review_overdue", title="评审逾期")  # no choice: the default
    rows = {n.kind: n for n in Notification.objects.filter(recipient=staff)}
    assert len(rows) == 3  # the bell always has them
    assert rows["policies.review_due"].digest_pending
    assert list(OutboundEmail.objects.values_list("notification__kind", flat=True)) == ["policies.review_overdue"]


@pytest.mark.django_db
def test_an_approval_waiting_cannot_be_switched_off(org):
    staff = org["staff"]
    with pytest.raises(ValueError):
        set_preferences(user=staff, channels={"approvals.task": Channel.OFF})
    # even a row written behind our back does not silence it
    NotificationPreference.objects.create(user=staff, kind="approvals.task", channel=Channel.OFF)
    assert channels_for([(staff.pk, "approvals.task")]) == {(staff.pk, "approvals.task"): Channel.IMMEDIATE}
    set_preferences(user=staff, channels={"approvals.task": Channel.DIGEST})
    assert channels_for([(staff.pk, "approvals.task")])[(staff.pk, "approvals.task")] == "digest"


@pytest.mark.django_db
def test_the_daily_digest_mails_once_with_every_unread_digest_notification(org, mailbox):
    staff = org["staff"]
    set_preferences(user=staff, channels={"policies.review_due": Channel.DIGEST})
    for i in range(3):
        notify(recipient=staff, kind="policies.review_due", title=f"评审到期 {i}")
    Notification.objects.filter(title="评审到期 0").update(read_at=timezone.now())  # seen in the portal
    assert daily_digest(timezone.now()) == 1
    assert daily_digest(timezone.now()) == 0
    digest = OutboundEmail.objects.get(is_digest=True)
    assert "评审到期 1" in digest.body_text and "评审到期 2" in digest.body_text
    assert "评审到期 0" not in digest.body_text
    assert "2" in digest.subject
    delivery.deliver([digest.pk])
    assert len(mailbox) == 1 and mailbox[0].to == [staff.email]


@pytest.mark.django_db
def test_nobody_without_an_address_gets_mail(org):
    staff = org["staff"]
    staff.email = ""
    staff.save()
    notify(recipient=staff, kind="policies.ack_required", title="待确认")
    assert OutboundEmail.objects.count() == 0 and Notification.objects.count() == 1


@pytest.mark.django_db
def test_recipients_passed_as_id_only_stubs_still_get_their_mail(org):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    notify_many(
        recipients=[User(pk=org["staff"].pk), User(pk=org["hr"].pk)], kind="appraisals.self_open", title="自评开始"
    )
    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == sorted([org["staff"].email, org["hr"].email])
