"""`seed_demo`, last step (scheduling is the last app): the notifications the modules wrote
while building their demo history stay in the bell but are not mailed, so the console of
`make run` shows the reminders the beat schedule sends in its first minute, not hundreds of
history mails."""

from apps.notifications.models import OutboundEmail


def seed(ctx: dict) -> None:
    since = ctx.get("notifications_seed_started")
    if since is None:
        return
    dropped, _ = OutboundEmail.objects.filter(status=OutboundEmail.Status.PENDING, created_at__gte=since).delete()
    if dropped:
        ctx["stdout"].write(f"scheduling: {dropped} mails of the demo history not sent (they stay in the bell)")
