from django.contrib import admin

from . import services
from .models import Department, EmployeeImport, Position


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "parent", "head", "depth")
    list_select_related = ("parent", "head")
    search_fields = ("name", "code")
    autocomplete_fields = ("parent", "head")
    readonly_fields = ("path", "depth")

    def save_model(self, request, obj, form, change):
        # The tree path is kept by the services, also when edited here.
        if not change:
            data = {f: form.cleaned_data[f] for f in form.cleaned_data}
            created = services.department_create(**data)
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
        else:
            data = dict(form.cleaned_data)
            services.department_update(department=obj, **data)


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "department", "is_head")
    list_select_related = ("department",)
    list_filter = ("is_head",)
    search_fields = ("name", "code", "department__name")


@admin.register(EmployeeImport)
class EmployeeImportAdmin(admin.ModelAdmin):
    list_display = ("filename", "created_by", "created_at", "applied_at", "created_count", "updated_count")
    list_select_related = ("created_by",)
