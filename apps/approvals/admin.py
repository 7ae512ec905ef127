from django.contrib import admin

from .models import Delegation, Flow, Request


@admin.register(Flow)
class FlowAdmin(admin.ModelAdmin):
    # Flows are edited in the portal's flow editor (versions are immutable).
    list_display = ("kind", "current")
    list_select_related = ("current",)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    # Statuses change only through the engine's operations.
    list_display = ("pk", "kind", "title", "proposer", "status", "submitted_at")
    list_select_related = ("proposer",)
    list_filter = ("kind", "status")
    search_fields = ("title",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ("principal", "delegate", "kind", "start_date", "end_date", "cancelled_at")
    list_select_related = ("principal", "delegate")
    raw_id_fields = ("principal", "delegate")
