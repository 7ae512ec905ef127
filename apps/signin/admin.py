from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.accounts.admin import UserAdmin

from . import services
from .models import ExternalAccount, SignInEvent


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "username", "ip_address", "method", "detail")
    list_filter = ("kind", "method")
    search_fields = ("username", "ip_address")
    date_hierarchy = "at"
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the log is evidence


@admin.register(ExternalAccount)
class ExternalAccountAdmin(admin.ModelAdmin):
    list_display = ("user", "source", "subject", "last_sign_in")
    list_filter = ("source",)
    search_fields = ("user__username", "subject")
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.action(description=_("Send an activation mail"))
def send_activation(modeladmin, request, queryset):
    """For people added by hand: add them with password-based sign-in disabled and a mail address, then this."""
    sent = services.invitations_send(users=list(queryset), sent_by=request.user)
    skipped = queryset.count() - sent
    modeladmin.message_user(request, ngettext("%d activation mail sent.", "%d activation mails sent.", sent) % sent)
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%d person skipped: no mail address, inactive, or a password is already set.",
                "%d people skipped: no mail address, inactive, or a password is already set.",
                skipped,
            )
            % skipped,
            level=messages.WARNING,
        )


UserAdmin.actions = [*(UserAdmin.actions or []), send_activation]
