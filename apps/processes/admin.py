from django.contrib import admin

from .models import (
    ChangeRequest,
    ChangeRequestEvent,
    Delegation,
    ImprovementAction,
    Process,
    ProcessReview,
    ProcessVersion,
)


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "department", "owner", "status", "next_review_date")
    list_select_related = ("department", "owner")
    list_filter = ("status",)
    search_fields = ("code", "name")
    readonly_fields = ("current_version",)
    autocomplete_fields = ("owner",)


@admin.register(ProcessVersion)
class ProcessVersionAdmin(admin.ModelAdmin):
    # Published versions are immutable: read-only here.
    list_display = ("process", "number", "effective_date", "published_by")
    list_select_related = ("process", "published_by")

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = ChangeRequestEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "actor", "on_behalf_of", "from_status", "to_status", "comment", "created_at")
    fields = readonly_fields


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    # Status changes only through services (the approval machine).
    list_display = ("pk", "title", "process", "proposer", "status", "created_at")
    list_select_related = ("process", "proposer")
    list_filter = ("status", "urgency")
    readonly_fields = ("status", "revision", "assignee", "assignee_principal", "proposer", "process", "base_version")
    inlines = [EventInline]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ("principal", "delegate", "start_date", "end_date", "cancelled_at")
    list_select_related = ("principal", "delegate")


class ActionInline(admin.TabularInline):
    model = ImprovementAction
    extra = 0


@admin.register(ProcessReview)
class ProcessReviewAdmin(admin.ModelAdmin):
    list_display = ("process", "reviewed_on", "reviewer", "next_review_date")
    list_select_related = ("process", "reviewer")
    inlines = [ActionInline]
