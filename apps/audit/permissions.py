import rules

from apps.accounts.permissions import is_admin, is_staff_member

# The trail shows every field of every record (pay-relevant appraisal fields included).
rules.add_perm("audit.view", is_staff_member & is_admin)
