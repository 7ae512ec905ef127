from django.contrib import admin

from .models import Appraisal, AppraisalEvent, Criterion, Cycle, CycleEvent, PeerReview, Template


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["group", "name", "weight", "indicator", "sort_order"]
    raw_id_fields = ["indicator"]


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default", "is_active", "updated_at"]
    inlines = [CriterionInline]
    filter_horizontal = ["departments", "positions"]


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "stage", "self_deadline", "review_deadline", "calibration_deadline", "close_date"]
    list_filter = ["stage", "kind"]


@admin.register(Appraisal)
class AppraisalAdmin(admin.ModelAdmin):
    """Read-mostly: status and scores change only through the services (history!)."""

    list_display = ["cycle", "employee", "reviewer", "status", "total", "final_grade", "is_excluded"]
    list_filter = ["cycle", "status", "final_grade", "is_excluded"]
    search_fields = ["employee__username", "employee__display_name", "employee__employee_no"]
    list_select_related = ["cycle", "employee", "reviewer"]
    raw_id_fields = ["employee", "reviewer", "improvement_owner", "department", "position", "form"]
    readonly_fields = [f.name for f in Appraisal._meta.fields if f.name not in ("id",)]

    def has_add_permission(self, request):
        return False


admin.site.register(
    AppraisalEvent, list_display=["appraisal", "action", "actor", "created_at"], raw_id_fields=["appraisal", "actor"]
)
admin.site.register(CycleEvent, list_display=["cycle", "action", "actor", "created_at"])
admin.site.register(
    PeerReview,
    list_display=["appraisal", "peer", "deadline", "submitted_at"],
    raw_id_fields=["appraisal", "peer", "invited_by"],
)
