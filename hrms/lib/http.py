"""Small helpers for views: the query string of a list without its page, file responses."""

from django.http import HttpResponse

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def query_without_page(request) -> str:
    """The request's query string without ``page``: for pagination links and exports of the
    same list."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An XLSX download (the filename must be plain ASCII, as our generated names are)."""
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
