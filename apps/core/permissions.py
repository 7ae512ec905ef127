"""404 or 403: one rule for every app.

* **404** when the user may not know the object exists: someone else's appraisal, a
  person-scope indicator, a regulation draft or restricted regulation, a change request they
  have nothing to do with. The answer is exactly what a missing object gives, so neither the
  object's existence nor its id leaks. Fetch through `visible_or_404`.
* **403** only when the user may know the object exists (they can see it, or it is a fixed
  page of the portal that anybody can find, linked from the top bar or a list) but may not do
  this action: `require_perm` for a page, `allowed_or_403` for an action on an object the
  user can see.

Services raise PermissionDenied for an action refused (a 403 through Django's handler);
a view turns that into 404 only when the object is one the user may not see.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404


def require_perm(perm: str):
    """Page decorator: the page is known to everybody, so a user without `perm` gets 403."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def visible_or_404(user, perm: str, obj):
    """`obj` if `user` has `perm` (the permission to see it) on it; else 404, as if missing."""
    if obj is None or not user.has_perm(perm, obj):
        raise Http404
    return obj


def allowed_or_403(user, perm: str, obj, *, visible: str):
    """`obj` if `user` may do `perm` on it. One the user may not even see (`visible`, the
    permission to see it) is a 404; one they see but may not act on is a 403."""
    visible_or_404(user, visible, obj)
    if not user.has_perm(perm, obj):
        raise PermissionDenied
    return obj
