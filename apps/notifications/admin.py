from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.scheduling.admin_access import AdminRoleAccess

from . import services
from .models import Notification, NotificationPreference, OutboundEmail, Reminder, SentReminder


@admin.register(Notification)
class NotificationAdmin(AdminRoleAccess, admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at")
    list_select_related = ("recipient",)
    list_filter = ("kind",)
    search_fields = ("title", "recipient__username", "recipient__display_name")
    raw_id_fields = ("recipient",)


@admin.register(OutboundEmail)
class OutboundEmailAdmin(AdminRoleAccess, admin.ModelAdmin):
    """The outbox: what is pending, how often it was tried, and why it failed."""

    list_display = ("to", "subject", "is_digest", "status", "attempts", "next_attempt_at", "short_error", "created_at")
    list_filter = ("status", "is_digest")
    search_fields = ("to", "subject", "recipient__username")
    raw_id_fields = ("recipient", "notification")
    readonly_fields = [f.name for f in OutboundEmail._meta.fields if f.name not in ("status", "next_attempt_at")]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("last error"))
    def short_error(self, obj):
        return obj.last_error[:100]

    @admin.action(description=_("Retry now"))
    def retry_now(self, request, queryset):
        ids = list(queryset.filter(status=OutboundEmail.Status.PENDING).values_list("pk", flat=True))
        queryset.filter(pk__in=ids).update(next_attempt_at=timezone.now())
        services.queue_delivery(ids)
        self.message_user(request, _("%(n)d mails queued.") % {"n": len(ids)}, messages.SUCCESS)


@admin.register(Reminder)
class ReminderAdmin(AdminRoleAccess, admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "due_date", "done_at")
    list_select_related = ("recipient",)
    list_filter = ("kind", "due_date")
    search_fields = ("title", "recipient__username", "recipient__display_name")
    raw_id_fields = ("recipient",)


@admin.register(SentReminder)
class SentReminderAdmin(AdminRoleAccess, admin.ModelAdmin):
    list_display = ("kind", "object_type", "object_id", "due_date", "recipient", "sent_at")
    list_select_related = ("recipient",)
    list_filter = ("kind",)
    search_fields = ("object_type", "recipient__username")
    raw_id_fields = ("recipient",)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(AdminRoleAccess, admin.ModelAdmin):
    list_display = ("user", "kind", "channel")
    list_select_related = ("user",)
    list_filter = ("kind", "channel")
    raw_id_fields = ("user",)
