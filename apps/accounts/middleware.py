from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """The language is the user's saved choice, else the cookie the switcher set, else
    Simplified Chinese. The browser's Accept-Language is ignored on purpose: the portal
    is Chinese first, and English only for whoever asks for it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        lang = (user.preferred_language if user is not None and user.is_authenticated else "") or request.COOKIES.get(
            settings.LANGUAGE_COOKIE_NAME, ""
        )
        if lang not in self.supported:
            lang = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = lang
        # override() restores the previous language afterwards, so one English request
        # doesn't leave the thread speaking English to whatever runs next in it.
        with translation.override(lang):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        return response
