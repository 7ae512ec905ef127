from django.contrib import admin

from apps.scheduling.admin_access import AdminRoleAccess

from .models import CareerStep


@admin.register(CareerStep)
class CareerStepAdmin(AdminRoleAccess, admin.ModelAdmin):
    list_display = ["from_position", "to_position", "min_grade"]
    filter_horizontal = ["courses"]
