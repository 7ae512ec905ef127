"""Who may do what with the organisation. Used by views (PermissionRequiredMixin /
has_perm) and templates ({% has_perm %}) alike."""

import rules

from apps.accounts.permissions import is_admin, is_hr, is_ops, is_staff_member

rules.add_perm("departments.view_org", is_staff_member)
rules.add_perm("departments.edit_org", is_ops | is_admin)
rules.add_perm("departments.import_employees", is_hr | is_admin)
