import pghistory.middleware


class AuditContextMiddleware(pghistory.middleware.HistoryMiddleware):
    """Every write of a request is recorded with who made it: the user's id, their login
    (readable after the account is gone) and the address."""

    def get_context(self, request):
        context = super().get_context(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            context["username"] = user.get_username()
        return context
