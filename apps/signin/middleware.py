from . import events
from .models import SignInEvent

USER_AGENT_MAX = 255  # django-axes stores it in a varchar(255)


class SignInMiddleware:
    """Two duties around sign-in (placed before django-axes' middleware):
    - a hostile User-Agent (NUL bytes, kilobytes long) is trimmed before django-axes stores
      it, so a failed sign-in never becomes a 500;
    - every request refused with 403 (a permission or CSRF refusal) is written to the sign-in
      log: who, from where, which page. (Objects a user may not know exist answer 404 by
      design and are not "refused" here.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        agent = request.META.get("HTTP_USER_AGENT")
        if agent and (len(agent) > USER_AGENT_MAX or "\x00" in agent):
            request.META["HTTP_USER_AGENT"] = agent.replace("\x00", "")[:USER_AGENT_MAX]
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
