from . import events
from .models import SignInEvent


class RefusedAccessLogMiddleware:
    """Logs every request the portal refused with 403 (a permission or CSRF refusal) in the
    sign-in log: who, from where, which page. (Objects a user may not know exist answer 404
    by design and are not "refused" here.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            authenticated = user is not None and user.is_authenticated
            events.record(
                SignInEvent.Kind.REFUSED,
                request=request,
                user=user if authenticated else None,
                username=user.get_username() if authenticated else "",
                detail=request.method,
            )
        return response
