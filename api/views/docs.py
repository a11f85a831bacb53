"""The OpenAPI schema and its browsable docs (Swagger UI from the drf-spectacular-sidecar
wheel; the page loads its script from a URL, never inline, so the strict CSP holds)."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.renderers import JSONOpenAPIRenderer

from api.views.base import ApiView


class SchemaView(ApiView, SpectacularAPIView):
    renderer_classes = [JSONOpenAPIRenderer]


class DocsView(ApiView, SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"

    @classmethod
    def as_view(cls, **initkwargs):
        # A page for people: without a session, the login page (DRF opts its views out of
        # LoginRequiredMiddleware; this one opts back in).
        view = super().as_view(**initkwargs)
        view.login_required = True
        return view
