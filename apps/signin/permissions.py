import rules

from apps.accounts.permissions import is_admin

# Who has not activated, lockouts, the sign-in log: administrators only.
rules.add_perm("signin.manage", is_admin)
