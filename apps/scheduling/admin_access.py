"""Admin access by role: the portal's administrators (role admin) manage schedules and watch
jobs and mail in Django admin without per-model permissions being handed out one by one."""

from apps.accounts.permissions import is_admin


class AdminRoleAccess:
    """ModelAdmin mixin: users with the admin role may view and change (never a superuser's
    other powers); everyone else falls back to Django's model permissions."""

    def has_module_permission(self, request):
        return is_admin(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_admin(request.user) or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return is_admin(request.user) or super().has_change_permission(request, obj)


class AdminRoleManages(AdminRoleAccess):
    """For data administrators keep by hand (the company calendar): add and delete as well."""

    def has_add_permission(self, request):
        return is_admin(request.user) or super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return is_admin(request.user) or super().has_delete_permission(request, obj)
