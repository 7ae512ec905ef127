from django.contrib import admin

from .models import (
    ChangeRequest,
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


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    # Status changes only through services (the machine in workflow.py).
    list_display = ("pk", "title", "process", "proposer", "status", "created_at")
    list_select_related = ("process", "proposer")
    list_filter = ("status", "urgency")
    # The timeline is the approval request's (approvals engine).
    readonly_fields = ("status", "revision", "proposer", "process", "base_version")


class ActionInline(admin.TabularInline):
    model = ImprovementAction
    extra = 0


@admin.register(ProcessReview)
class ProcessReviewAdmin(admin.ModelAdmin):
    list_display = ("process", "reviewed_on", "reviewer", "next_review_date")
    list_select_related = ("process", "reviewer")
    inlines = [ActionInline]
