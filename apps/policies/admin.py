"""Admin: categories are edited here; policies, versions, history and acknowledgements are
shown read-only (their writes go through the services and the approval machine)."""

from django.contrib import admin

from .models import Acknowledgement, Category, Policy, PolicyHistory, PolicyVersion


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "sort_order")
    prepopulated_fields = {"code": ("name",)}


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "category", "owning_department", "confidentiality", "status", "next_review_date")
    list_select_related = ("category", "owning_department")
    list_filter = ("status", "confidentiality", "category")
    search_fields = ("code", "title")


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ("policy", "label", "status", "effective_date", "approved_by", "article_count")
    list_select_related = ("policy", "approved_by")
    list_filter = ("status",)
    search_fields = ("policy__code", "title")
    exclude = ("source_text",)


@admin.register(PolicyHistory)
class PolicyHistoryAdmin(ReadOnlyAdmin):
    list_display = ("at", "policy", "version", "action", "actor")
    list_select_related = ("policy", "version__policy", "actor")
    list_filter = ("action",)


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "version")
    list_select_related = ("user", "version__policy")
    raw_id_fields = ("user", "version")
