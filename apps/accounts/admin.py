from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "employee_no", "department", "position", "manager", "is_active")
    list_filter = ("is_active", "groups", "department")
    search_fields = ("username", "display_name", "employee_no", "email")
    list_select_related = ("department", "position", "manager")
    autocomplete_fields = ("department", "position", "manager")
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            _("Organisation"),
            {
                "fields": (
                    "display_name",
                    "employee_no",
                    "department",
                    "position",
                    "manager",
                    "phone",
                    "hire_date",
                    "leave_date",
                    "preferred_language",
                )
            },
        ),
    )
