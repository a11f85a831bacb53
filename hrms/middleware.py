"""Request middleware of our own."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from pghistory.middleware import HistoryMiddleware


class PreferredLanguageMiddleware:
    """Vietnamese unless the user chose another language with the switcher (language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, which would show an
    English UI to a clerk whose browser happens to be set to English; here the default is
    always the project's language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class HistoryContextMiddleware(HistoryMiddleware):
    """Every database change made while answering a request is attributed in the history
    (django-pghistory) to the signed-in user, the address and the client's IP address."""

    def get_context(self, request):
        context = super().get_context(request)
        context["ip"] = request.META.get("REMOTE_ADDR")
        return context


class NoStoreForSignedInMiddleware:
    """Nothing answered to a signed-in user is kept by the browser or a proxy.

    Pages, exports and photos carry personal data; ``Cache-Control: no-store`` keeps them out of
    the browser's disk cache and shared caches, so the back button on a shared computer shows
    nothing after logout. Static files never get here (WhiteNoise answers them first).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
